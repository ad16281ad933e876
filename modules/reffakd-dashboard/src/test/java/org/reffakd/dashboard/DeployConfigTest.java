package org.reffakd.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reffakd.nn.train.Progress;
import org.reffakd.platform.bus.Addresses;
import org.reffakd.platform.bus.BusProgress;
import org.reffakd.platform.metrics.PlatformMetrics;

/**
 * deploy/ and dashboards/ agree with each other and with the code, without a Docker engine:
 * every metric a Grafana dashboard queries is in the platform's real /metrics output (after a
 * short real run, Kafka calls and HTTP requests), and names and ports match between the compose
 * file, prometheus.yml, Grafana's provisioning, the Kubernetes manifests, the Dockerfile and the
 * server's defaults.
 */
class DeployConfigTest {

  static final Path REPO = Path.of("..", "..").toAbsolutePath().normalize();
  static final Path DEPLOY = REPO.resolve("deploy");
  static final Path DASHBOARDS = REPO.resolve("dashboards");
  static final ObjectMapper JSON = new ObjectMapper();
  static final YAMLMapper YAML = new YAMLMapper();

  @TempDir
  static Path tmp;
  /** Prometheus series name -> label names seen on it. */
  static Map<String, Set<String>> series;
  static String scrape;

  @BeforeAll
  static void scrapeAfterARealRun() throws Exception {
    PlatformMetrics metrics = new PlatformMetrics(
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    Vertx vertx = metrics.newVertx(new VertxOptions());
    try {
      Path runs = tmp.resolve("runs");
      int port = DashboardServerTest.await(DashboardServer.start(vertx,
          new DashboardOptions("127.0.0.1", 0, runs, null), metrics)).actualPort();
      Path data = TinyRun.data(tmp.resolve("data"), 800, 200);
      String id = "deploy-check";
      Path dir = runs.resolve(id);
      JsonObject status = new JsonObject().put("run", id).put("dir", dir.toString())
          .put("dataset", "fashion-mnist").put("loss", "reffakd");
      vertx.eventBus().publish(Addresses.RUN_STATUS, status.copy().put("status", "started"));
      TinyRun.run(TinyRun.config(data, 1, 1, "reffakd", 32), dir,
          new BusProgress(vertx.eventBus(), id, Progress.NONE));
      vertx.eventBus().publish(Addresses.AUTOENCODER_TRAINED, new JsonObject().put("run", id)
          .put("val_mse", 0.5).put("epoch", 1));
      vertx.eventBus().publish(Addresses.RUN_STATUS, status.copy().put("status", "finished"));
      vertx.eventBus().publish(Addresses.RUN_STATUS, new JsonObject().put("run", "other")
          .put("status", "failed").put("error", "x"));
      metrics.recordsProduced("reffakd.fashion-mnist.samples", 10);
      metrics.recordsConsumed("reffakd.fashion-mnist.samples", 10);
      metrics.deadLettered("reffakd.jobs", 1);
      metrics.consumerLag("reffakd-workers", "reffakd.jobs", 0);
      System.gc();
      for (String path : List.of("/api/runs", "/api/runs/" + id, "/health")) {
        DashboardServerTest.get(port, path);
      }
      // the stage timings come from result.json, read asynchronously after "finished"
      long deadline = System.currentTimeMillis() + 10_000;
      do {
        scrape = DashboardServerTest.get(port, "/metrics").body();
        Thread.sleep(100);
      } while ((!scrape.contains("reffakd_stage_duration_seconds_count")
          || !scrape.contains("jvm_gc_pause_seconds_count"))
          && System.currentTimeMillis() < deadline);
      Files.createDirectories(Path.of("target"));
      Files.writeString(Path.of("target", "metrics-scrape.txt"), scrape);
      series = parse(scrape);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      metrics.close();
    }
  }

  @AfterAll
  static void nothing() {}

  /**
   * The /metrics of a platform just started (embedded broker, dashboard), before any run, any
   * ingest or any Kafka traffic of ours: series name -> label names.
   */
  static Map<String, Set<String>> scrapeBeforeAnyRun() throws Exception {
    PlatformMetrics metrics = new PlatformMetrics(
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    try (org.reffakd.platform.Platform p = org.reffakd.platform.Platform.start(
        new org.reffakd.platform.Platform.Options(null, null, tmp.resolve("fresh-kafka")),
        metrics)) {
      int port = DashboardServer.start(p, new DashboardOptions("127.0.0.1", 0,
          tmp.resolve("fresh"), null)).actualPort();
      System.gc(); // the JVM's GC meters appear with its first collection
      DashboardServerTest.get(port, "/metrics"); // Vert.x's HTTP meters: after one request
      String text = DashboardServerTest.get(port, "/metrics").body();
      Files.createDirectories(Path.of("target"));
      Files.writeString(Path.of("target", "metrics-scrape-fresh.txt"), text);
      return parse(text);
    } finally {
      metrics.close();
    }
  }

  /** Queried metrics (with the labels the query reads) missing from {@code scraped}. */
  static List<String> missingFrom(Map<String, Set<String>> scraped) throws IOException {
    List<String> missing = new ArrayList<>();
    for (Path file : dashboards()) {
      JsonNode d = JSON.readTree(file.toFile());
      for (String expr : expressions(d)) {
        for (Map.Entry<String, Set<String>> use : PromQl.metrics(expr).entrySet()) {
          Set<String> labels = scraped.get(use.getKey());
          if (labels == null) {
            missing.add(file.getFileName() + ": " + use.getKey() + " in " + expr);
          } else if (!labels.containsAll(use.getValue())) {
            missing.add(file.getFileName() + ": " + use.getKey() + " has labels " + labels
                + ", queried with " + use.getValue() + " in " + expr);
          }
        }
      }
    }
    return missing;
  }

  @Test
  void everyQueriedMetricIsThereBeforeAnyRun() throws Exception {
    List<String> missing = missingFrom(scrapeBeforeAnyRun());
    assertTrue(missing.isEmpty(), "queried but not in a fresh platform's /metrics (see "
        + "target/metrics-scrape-fresh.txt): panels would say No data until a run:\n"
        + String.join("\n", missing));
  }

  /** Series names of a Prometheus text exposition, with the label names of each. */
  static Map<String, Set<String>> parse(String text) {
    Map<String, Set<String>> out = new HashMap<>();
    Pattern line = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})?\\s");
    Pattern label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");
    for (String l : text.split("\n")) {
      Matcher m = line.matcher(l);
      if (l.startsWith("#") || !m.find()) {
        continue;
      }
      Set<String> labels = out.computeIfAbsent(m.group(1), k -> new TreeSet<>());
      if (m.group(3) != null) {
        Matcher lm = label.matcher(m.group(3));
        while (lm.find()) {
          labels.add(lm.group(1));
        }
      }
    }
    return out;
  }

  // ---- dashboards ----

  static List<Path> dashboards() throws IOException {
    try (Stream<Path> s = Files.list(DASHBOARDS)) {
      return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  @Test
  void everyQueriedMetricIsExported() throws Exception {
    int queries = 0;
    for (Path file : dashboards()) {
      queries += expressions(JSON.readTree(file.toFile())).size();
    }
    List<String> missing = missingFrom(series);
    assertTrue(queries >= 20, "the dashboards hold " + queries + " queries");
    assertTrue(missing.isEmpty(), "queried but not in /metrics (see target/metrics-scrape.txt):"
        + "\n" + String.join("\n", missing));
  }

  @Test
  void theQueryReaderFindsMetricsAndLabels() {
    assertEquals(Map.of("reffakd_epoch_duration_seconds_sum", Set.of(),
            "reffakd_typo_count", Set.of()),
        PromQl.metrics("sum by (stage) (rate(reffakd_epoch_duration_seconds_sum[15m])) / "
            + "sum by (stage) (rate(reffakd_typo_count[15m])) * 60"));
    assertEquals(Map.of("reffakd_student_loss", Set.of("strategy", "term")),
        PromQl.metrics("reffakd_student_loss{strategy=~\"$strategy\", term!=\"total\"}"));
    assertEquals(Map.of("reffakd_student_loss", Set.of("strategy")),
        PromQl.metrics("label_values(reffakd_student_loss, strategy)"));
    assertEquals(Set.of("system_load_average_1m", "system_cpu_count"),
        PromQl.metrics("system_load_average_1m / system_cpu_count").keySet());
    assertFalse(series.containsKey("reffakd_typo_count"));
  }

  /** Every PromQL expression of a dashboard: panel targets (rows included) and variables. */
  static List<String> expressions(JsonNode d) {
    List<String> out = new ArrayList<>();
    for (JsonNode p : d.path("panels")) {
      List<JsonNode> panels = new ArrayList<>(List.of(p));
      p.path("panels").forEach(panels::add);
      for (JsonNode q : panels) {
        q.path("targets").forEach(t -> out.add(t.path("expr").asText()));
      }
    }
    for (JsonNode v : d.path("templating").path("list")) {
      JsonNode q = v.path("query");
      String text = q.isObject() ? q.path("query").asText() : q.asText();
      if (!text.isBlank()) {
        out.add(text);
      }
    }
    return out;
  }

  @Test
  void dashboardsAreWellFormedAndCoverTheTopics() throws Exception {
    String uid = datasourceUid();
    Set<String> uids = new LinkedHashSet<>();
    Set<String> titles = new TreeSet<>();
    StringBuilder all = new StringBuilder();
    for (Path file : dashboards()) {
      JsonNode d = JSON.readTree(file.toFile());
      assertTrue(uids.add(d.path("uid").asText()), "duplicate uid in " + file);
      assertFalse(d.path("title").asText().isBlank(), file.toString());
      assertTrue(d.has("schemaVersion"), file.toString());
      Set<Integer> ids = new LinkedHashSet<>();
      for (JsonNode p : d.path("panels")) {
        titles.add(p.path("title").asText());
        assertTrue(ids.add(p.path("id").asInt()), "duplicate panel id in " + file);
        assertTrue(p.has("gridPos"), file + ": " + p.path("title"));
        if (!p.path("type").asText().equals("row")) {
          assertEquals(uid, p.path("datasource").path("uid").asText(),
              file + ": panel '" + p.path("title").asText() + "' must use the provisioned "
                  + "datasource");
          assertTrue(p.path("targets").size() > 0, file + ": " + p.path("title"));
        }
      }
      all.append(Files.readString(file));
    }
    for (String topic : List.of("reffakd_student_loss", "reffakd_student_accuracy",
        "reffakd_images_per_second", "reffakd_epoch_duration_seconds",
        "reffakd_kafka_records_produced_total", "reffakd_kafka_consumer_lag_records",
        "jvm_memory_used_bytes", "jvm_gc_pause_seconds")) {
      assertTrue(all.toString().contains(topic), "no dashboard shows " + topic);
    }
  }

  // ---- compose, Prometheus, Grafana, Kubernetes, Dockerfile ----

  static JsonNode yaml(Path p) throws IOException {
    return YAML.readTree(p.toFile());
  }

  static String datasourceUid() throws IOException {
    JsonNode ds = yaml(DEPLOY.resolve("grafana/provisioning/datasources/prometheus.yml"));
    return ds.path("datasources").get(0).path("uid").asText();
  }

  @Test
  void composeRunsKafkaPrometheusGrafanaAndThePlatformWithPinnedImages() throws Exception {
    JsonNode services = yaml(DEPLOY.resolve("docker-compose.yml")).path("services");
    for (String s : List.of("kafka", "prometheus", "grafana", "platform")) {
      assertTrue(services.has(s), "compose service " + s);
    }
    for (String s : List.of("kafka", "prometheus", "grafana")) {
      String image = services.path(s).path("image").asText();
      assertTrue(image.matches("[a-z0-9./-]+:v?\\d+\\.\\d+\\.\\d+.*"),
          s + " image must be pinned to a version, got " + image);
    }
    JsonNode platform = services.path("platform");
    String dockerfile = platform.path("build").path("dockerfile").asText();
    Path context = DEPLOY.resolve(platform.path("build").path("context").asText()).normalize();
    assertEquals(REPO, context, "the platform builds from the repository root");
    assertTrue(Files.isRegularFile(context.resolve(dockerfile)), dockerfile);

    List<String> cmd = strings(platform.path("command"));
    assertEquals("serve", cmd.get(0));
    assertEquals("0.0.0.0", after(cmd, "--host"));
    assertEquals(String.valueOf(DashboardOptions.DEFAULT_PORT), after(cmd, "--port"));
    assertEquals("kafka:9092", after(cmd, "--kafka"));
    assertTrue(platform.path("environment").path("REFFAKD_TOKEN").asText().startsWith(
        "${REFFAKD_TOKEN"), "the token comes from the environment, never from the file");
    assertEquals(DashboardOptions.DEFAULT_PORT + ":" + DashboardOptions.DEFAULT_PORT,
        strings(platform.path("ports")).get(0).replaceFirst("^127\\.0\\.0\\.1:", ""));

    // Kafka in KRaft mode, advertising the address the platform uses
    JsonNode kenv = services.path("kafka").path("environment");
    assertTrue(kenv.path("KAFKA_PROCESS_ROLES").asText().contains("controller"));
    assertTrue(kenv.path("KAFKA_ADVERTISED_LISTENERS").asText().contains("//kafka:9092"));

    // Prometheus reads our prometheus.yml; Grafana our provisioning and dashboards/
    assertTrue(strings(services.path("prometheus").path("volumes")).stream().anyMatch(v ->
        v.startsWith("./prometheus.yml:")));
    List<String> gv = strings(services.path("grafana").path("volumes"));
    String dashMount = gv.stream().filter(v -> v.startsWith("../dashboards:")).findFirst()
        .orElseThrow(() -> new AssertionError("grafana must mount ../dashboards"))
        .split(":")[1];
    assertTrue(gv.stream().anyMatch(v -> v.startsWith("./grafana/provisioning:"
        + "/etc/grafana/provisioning")));
    JsonNode provider = yaml(DEPLOY.resolve("grafana/provisioning/dashboards/reffakd.yml"));
    assertEquals(dashMount, provider.path("providers").get(0).path("options").path("path")
        .asText(), "the dashboard provider reads the folder compose mounts");

    // Grafana's datasource is the compose Prometheus
    JsonNode ds = yaml(DEPLOY.resolve("grafana/provisioning/datasources/prometheus.yml"))
        .path("datasources").get(0);
    assertEquals("prometheus", ds.path("type").asText());
    assertEquals("http://prometheus:9090", ds.path("url").asText());
    assertTrue(strings(services.path("prometheus").path("ports")).get(0).endsWith(":9090"));
  }

  @Test
  void prometheusScrapesThePlatformsMetricsEndpoint() throws Exception {
    JsonNode prom = yaml(DEPLOY.resolve("prometheus.yml"));
    JsonNode job = null;
    for (JsonNode j : prom.path("scrape_configs")) {
      if (j.path("job_name").asText().equals("reffakd")) {
        job = j;
      }
    }
    assertNotNull(job, "a scrape job named reffakd");
    assertEquals("/metrics", job.path("metrics_path").asText("/metrics"));
    List<String> targets = strings(job.path("static_configs").get(0).path("targets"));
    assertEquals(List.of("platform:" + DashboardOptions.DEFAULT_PORT), targets,
        "the compose service name and the server's port");
    JsonNode compose = yaml(DEPLOY.resolve("docker-compose.yml"));
    JsonNode services = compose.path("services");
    assertTrue(services.has(targets.get(0).split(":")[0]));
    // off loopback /metrics needs the token: the compose secret made of REFFAKD_TOKEN
    assertEquals("Bearer", job.path("authorization").path("type").asText("Bearer"));
    assertEquals("/run/secrets/reffakd_token", job.path("authorization")
        .path("credentials_file").asText());
    assertEquals("REFFAKD_TOKEN", compose.path("secrets").path("reffakd_token")
        .path("environment").asText());
    assertTrue(strings(services.path("prometheus").path("secrets")).contains("reffakd_token"));
    assertTrue(series.containsKey("reffakd_runs_total"), "and /metrics is what it scrapes");
  }

  @Test
  void kubernetesManifestsAgreeWithTheServer() throws Exception {
    List<JsonNode> docs = new ArrayList<>();
    try (Stream<Path> s = Files.list(DEPLOY.resolve("k8s"))) {
      for (Path p : s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        try (var parser = new YAMLFactory().createParser(p.toFile())) {
          YAML.readValues(parser, JsonNode.class).forEachRemaining(n -> {
            if (n != null && !n.isNull()) {
              docs.add(n);
            }
          });
        }
      }
    }
    JsonNode deployment = kind(docs, "Deployment");
    JsonNode service = kind(docs, "Service");
    JsonNode config = kind(docs, "ConfigMap");
    assertNotNull(config);
    JsonNode pod = deployment.path("spec").path("template");
    JsonNode ann = pod.path("metadata").path("annotations");
    String port = String.valueOf(DashboardOptions.DEFAULT_PORT);
    assertEquals("true", ann.path("prometheus.io/scrape").asText());
    assertEquals(port, ann.path("prometheus.io/port").asText());
    assertEquals("/metrics", ann.path("prometheus.io/path").asText());
    JsonNode c = pod.path("spec").path("containers").get(0);
    assertEquals(DashboardOptions.DEFAULT_PORT, c.path("ports").get(0).path("containerPort")
        .asInt());
    String portName = c.path("ports").get(0).path("name").asText();
    List<String> args = strings(c.path("args"));
    assertEquals("serve", args.get(0));
    assertEquals("0.0.0.0", after(args, "--host"));
    assertEquals(port, after(args, "--port"));
    assertTrue(after(args, "--kafka").startsWith("$("), "the Kafka address comes from the "
        + "ConfigMap");
    boolean tokenFromSecret = false;
    for (JsonNode e : c.path("env")) {
      if (e.path("name").asText().equals("REFFAKD_TOKEN")) {
        tokenFromSecret = e.path("valueFrom").has("secretKeyRef");
      }
    }
    assertTrue(tokenFromSecret, "REFFAKD_TOKEN from a Secret");
    assertEquals("/health", c.path("readinessProbe").path("httpGet").path("path").asText());
    // the Service selects the pods and forwards the server's port
    JsonNode sp = service.path("spec");
    sp.path("selector").fields().forEachRemaining(e -> assertEquals(e.getValue().asText(),
        pod.path("metadata").path("labels").path(e.getKey()).asText(), "selector " + e.getKey()));
    assertEquals(DashboardOptions.DEFAULT_PORT, sp.path("ports").get(0).path("port").asInt());
    String target = sp.path("ports").get(0).path("targetPort").asText();
    assertTrue(target.equals(port) || target.equals(portName), target);
    // the scrape config for an in-cluster Prometheus keeps the annotated pods
    JsonNode scrapeCm = null;
    for (JsonNode d : docs) {
      if (d.path("kind").asText().equals("ConfigMap") && d.path("data").has("prometheus.yml")) {
        scrapeCm = d;
      }
    }
    assertNotNull(scrapeCm, "a ConfigMap with a Prometheus scrape config");
    JsonNode prom = YAML.readTree(scrapeCm.path("data").path("prometheus.yml").asText());
    String text = prom.toString();
    assertTrue(text.contains("kubernetes_sd_configs"));
    assertTrue(text.contains("__meta_kubernetes_pod_annotation_prometheus_io_scrape"));
    assertTrue(text.contains("__meta_kubernetes_pod_annotation_prometheus_io_port"));
    assertTrue(prom.path("scrape_configs").get(0).path("authorization")
        .path("credentials_file").asText().contains("reffakd-token"), "sends the token");
  }

  @Test
  void dockerfileBuildsWithMavenAndRunsTheCliOnJava17() throws Exception {
    List<String> lines = Files.readAllLines(DEPLOY.resolve("Dockerfile"));
    List<String> from = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
    assertEquals(2, from.size(), "a build stage and a runtime stage");
    assertTrue(from.get(0).matches("FROM maven:\\d+\\.\\d+\\.\\d+-eclipse-temurin-17 AS build"),
        from.get(0));
    assertTrue(from.get(1).matches("FROM eclipse-temurin:17\\.\\d+\\.\\d+_\\d+-jre.*"),
        from.get(1));
    String text = String.join("\n", lines);
    assertTrue(text.contains("EXPOSE " + DashboardOptions.DEFAULT_PORT));
    assertTrue(text.contains("jdk.incubator.vector") || Files.readString(
        DEPLOY.resolve("docker-entrypoint.sh")).contains("jdk.incubator.vector"));
    assertTrue(Files.readString(DEPLOY.resolve("docker-entrypoint.sh")).contains(
        "REFFAKD_TOKEN"));
    assertTrue(Files.isRegularFile(REPO.resolve(".dockerignore"))
        || Files.isRegularFile(DEPLOY.resolve("Dockerfile.dockerignore")),
        "keep target/ and runs/ out of the build context");
  }

  static JsonNode kind(List<JsonNode> docs, String kind) {
    return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " in deploy/k8s"));
  }

  static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.forEach(x -> out.add(x.asText()));
    return out;
  }

  static String after(List<String> args, String flag) {
    int i = args.indexOf(flag);
    assertTrue(i >= 0 && i + 1 < args.size(), flag + " in " + args);
    return args.get(i + 1);
  }

  /** Just enough PromQL to find the metric names (and matcher labels) an expression reads. */
  static final class PromQl {

    static final Set<String> WORDS = Set.of("rate", "irate", "increase", "delta", "deriv",
        "sum", "avg", "min", "max", "count", "topk", "bottomk", "quantile", "stddev", "by",
        "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless",
        "offset", "bool", "histogram_quantile", "clamp_min", "clamp_max", "clamp", "abs",
        "avg_over_time", "max_over_time", "min_over_time", "sum_over_time", "last_over_time",
        "count_over_time", "label_replace", "label_values", "vector", "scalar", "time",
        "absent", "round", "sort", "sort_desc", "changes", "resets", "timestamp", "Inf", "NaN",
        "query_result");

    static Map<String, Set<String>> metrics(String expr) {
      Map<String, Set<String>> out = new HashMap<>();
      Matcher lv = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][\\w:]*)\\s*(\\{[^}]*\\})?"
          + "\\s*,\\s*(\\w+)\\s*\\)").matcher(expr);
      if (lv.find()) {
        Set<String> labels = new TreeSet<>(matcherLabels(lv.group(2)));
        labels.add(lv.group(3));
        out.put(lv.group(1), labels);
        return out;
      }
      String e = expr.replaceAll("\\$\\w+|\\$\\{\\w+}", "x"); // Grafana variables
      Matcher sel = Pattern.compile("([a-zA-Z_:][\\w:]*)\\s*\\{([^}]*)\\}").matcher(e);
      while (sel.find()) {
        if (!WORDS.contains(sel.group(1))) {
          out.computeIfAbsent(sel.group(1), k -> new TreeSet<>())
              .addAll(matcherLabels("{" + sel.group(2) + "}"));
        }
      }
      e = e.replaceAll("\"[^\"]*\"", "\"\"")
          .replaceAll("\\{[^}]*\\}", " ")
          .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
          .replaceAll("\\[[^]]*\\]", " ");
      Matcher id = Pattern.compile("(?<![\\w.])([a-zA-Z_:][\\w:]*)").matcher(e);
      while (id.find()) {
        String t = id.group(1);
        if (!WORDS.contains(t)) {
          out.computeIfAbsent(t, k -> new TreeSet<>());
        }
      }
      return out;
    }

    static Set<String> matcherLabels(String block) {
      Set<String> labels = new TreeSet<>();
      if (block != null) {
        Matcher m = Pattern.compile("(\\w+)\\s*(=~|!~|!=|=)").matcher(block);
        while (m.find()) {
          labels.add(m.group(1));
        }
      }
      return labels;
    }
  }
}
