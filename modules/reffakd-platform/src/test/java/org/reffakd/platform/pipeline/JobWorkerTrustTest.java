package org.reffakd.platform.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.nn.train.Progress;
import org.reffakd.platform.Platform;
import org.reffakd.kafka.DeadLetters;
import org.reffakd.kafka.Topics;

/**
 * A job record is untrusted input (docs/security.md), against a real (embedded) broker and a
 * real worker: a run id is a name, never a path (nothing is written outside the runs root); a
 * config out of bounds, or none, is dead-lettered naming the field before any work; a record's
 * plugin folders are never loaded (a jar whose static initializer would leave a marker file).
 * The pipeline goes on: a later good record still gets its worker's attention.
 */
class JobWorkerTrustTest {

  @TempDir
  static Path tmp;
  static Platform platform;

  @BeforeAll
  static void start() {
    platform = Platform.start(new Platform.Options(null, null, tmp.resolve("kafka")));
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  static JsonObject config(Map<String, Object> changes) {
    RunConfig c = RunConfig.defaults("fashion-mnist").with(Map.of("data",
        tmp.resolve("nodata").toString(), "threads", 1));
    JsonObject j = new JsonObject(RunConfig.JSON.convertValue(c, Map.class));
    changes.forEach(j::put);
    return j;
  }

  @Test
  void hostileRecordsAreDeadLetteredAndWriteNothingOutsideTheRunsRoot() throws Exception {
    Path top = Files.createDirectories(tmp.resolve("top"));
    Path root = Files.createDirectories(top.resolve("runs"));
    // a link out of the runs root, where a run id would land
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.createSymbolicLink(root.resolve("escape"), outside);
    Map<String, String> expected = new LinkedHashMap<>(); // key -> part of the reason
    Map<String, JsonObject> records = new LinkedHashMap<>();
    JsonObject ok = config(Map.of());
    for (String bad : List.of("..", ".", "../x", "a/b", "a\\b", "..\\x", ".hidden", "",
        "x".repeat(201), "a/../..", "%2e%2e", "escape")) {
      String k = "id:" + bad;
      records.put(k, new JsonObject().put("run", bad).put("config", ok));
      expected.put(k, "run id");
    }
    records.put("id:number", new JsonObject().put("run", 5).put("config", ok));
    expected.put("id:number", "no run id");
    records.put("noconfig", new JsonObject().put("run", "noconfig"));
    expected.put("noconfig", "no config");
    records.put("configstring", new JsonObject().put("run", "configstring").put("config", "x"));
    expected.put("configstring", "no config");
    Map<String, Object[]> bounds = new LinkedHashMap<>();
    bounds.put("epochs", new Object[] {1_000_000_000, "epochs must be in [1, 10000]"});
    bounds.put("ae_epochs", new Object[] {50_000, "ae_epochs must be in [0, 10000]"});
    bounds.put("image_size", new Object[] {100_000, "image_size must be a multiple of 8 in"});
    bounds.put("batch_size", new Object[] {100_000, "batch_size must be in [1, 4096]"});
    bounds.put("threads", new Object[] {10_000, "threads must be in [1, 64]"});
    bounds.put("val_size", new Object[] {-1, "val_size must be in [0, 1000000]"});
    bounds.put("lr", new Object[] {"NaN", "lr must be finite"});
    bounds.put("ae_lr", new Object[] {"Infinity", "ae_lr must be finite"});
    bounds.put("soft_temperature", new Object[] {-1, "soft_temperature must be finite"});
    bounds.put("soft_per_class", new Object[] {10_000_000, "soft_per_class must be in"});
    bounds.put("weight_decay", new Object[] {"NaN", "weight_decay must be in [0, 1]"});
    for (Map.Entry<String, Object[]> e : bounds.entrySet()) {
      String k = "bound-" + e.getKey().replace('_', '-');
      records.put(k, new JsonObject().put("run", k).put("config",
          config(Map.of(e.getKey(), e.getValue()[0]))));
      expected.put(k, (String) e.getValue()[1]);
    }
    // a study's job that is refused still gets its (failed) result: the study does not wait
    records.put("distill-bound", new JsonObject().put("kind", "distill")
        .put("run", "distill-bound").put("config", config(Map.of("epochs", 20_000))));
    expected.put("distill-bound", "epochs must be in [1, 10000]");
    try (JobWorker w = new JobWorker(platform.kafka(), platform.pipeline(), root,
        Progress.NONE, "trust").start()) {
      publish(records);
      Map<String, String> reasons = awaitDeadLetters(expected.keySet(), Duration.ofSeconds(90));
      for (Map.Entry<String, String> e : expected.entrySet()) {
        String why = reasons.get(e.getKey());
        assertNotNull(why, "no dead letter for " + e.getKey() + ": " + reasons);
        assertTrue(why.contains(e.getValue()), e.getKey() + ": " + why);
        assertFalse(why.contains("NullPointerException") || why.contains("null"),
            e.getKey() + ": " + why);
      }
      assertEquals(0, w.completed());
      JsonObject failed = Jobs.awaitResult(platform.kafka(), "distill-bound",
          Duration.ofSeconds(60));
      assertNotNull(failed, "no result for the refused study job");
      assertEquals("failed", failed.getString("status"));
      assertTrue(failed.getString("error").contains("epochs must be in [1, 10000]"),
          failed.encode());
    }
    // nothing was written above the runs root, in it, or through the link
    try (Stream<Path> s = Files.list(top)) {
      assertEquals(List.of(root), s.toList());
    }
    try (Stream<Path> s = Files.list(root)) {
      assertEquals(List.of(root.resolve("escape")), s.toList());
    }
    try (Stream<Path> s = Files.list(outside)) {
      assertEquals(List.of(), s.toList());
    }
    assertFalse(Files.exists(tmp.resolve("config.json")));
  }

  @Test
  void aRecordCannotChooseTheCodeAWorkerLoads() throws Exception {
    Path marker = tmp.resolve("static-initializer-ran");
    Path plugins = Files.createDirectories(tmp.resolve("evil-plugins"));
    evilJar(plugins.resolve("evil.jar"), marker);
    Path root = Files.createDirectories(tmp.resolve("plugin-runs"));
    JsonObject cfg = config(Map.of("loss", "evil", "plugins",
        new JsonArray().add(plugins.toString()), "epochs", 1, "ae_epochs", 0));
    try (JobWorker w = new JobWorker(platform.kafka(), platform.pipeline(), root,
        Progress.NONE, "plugins").start()) {
      publish(Map.of("evil-job", new JsonObject().put("run", "evil-job").put("config", cfg)));
      String why = awaitDeadLetters(List.of("evil-job"), Duration.ofSeconds(90))
          .get("evil-job");
      assertNotNull(why);
      // the job fails as a job naming a loss no folder of this worker supplies
      assertTrue(why.contains("evil"), why);
    }
    assertFalse(Files.exists(marker), "the record's plugin folder was loaded: " + marker);
    // config.json, if written, records the worker's folders, not the record's
    Path written = root.resolve("evil-job").resolve("config.json");
    if (Files.exists(written)) {
      assertFalse(Files.readString(written).contains(plugins.toString()));
    }
  }

  @Test
  void aSoftLabelRecordThatIsNotADistributionIsRefusedWithItsReason() throws Exception {
    Map<String, double[][]> bad = new LinkedHashMap<>();
    bad.put("fashion-mnist/all-five", new double[][] {{5, 5}, {5, 5}});
    bad.put("fashion-mnist/sums-1.1", new double[][] {{0.5, 0.6}, {0.5, 0.5}});
    bad.put("fashion-mnist/negative", new double[][] {{1.5, -0.5}, {0.5, 0.5}});
    Map<String, String> expected = Map.of("fashion-mnist/all-five", "a probability in [0, 1]",
        "fashion-mnist/sums-1.1", "sums to 1.1", "fashion-mnist/negative",
        "a probability in [0, 1]");
    try (KafkaProducer<byte[], byte[]> p = platform.kafka().createProducer()) {
      for (Map.Entry<String, double[][]> e : bad.entrySet()) {
        JsonObject rec = new JsonObject().put("key", e.getKey()).put("dataset", "fashion-mnist")
            .put("variant", "paper").put("encoder_sha256", "0".repeat(64)).put("seed", 1)
            .put("classes", new JsonArray().add("a").add("b"))
            .put("similarity", new JsonArray().add(new JsonArray().add(1).add(0.5))
                .add(new JsonArray().add(0.5).add(1)))
            .put("soft_labels", new JsonArray(java.util.Arrays.stream(e.getValue())
                .map(r -> new JsonArray(java.util.Arrays.stream(r).boxed().toList())).toList()));
        p.send(new ProducerRecord<>(Topics.SOFTLABELS,
            e.getKey().getBytes(StandardCharsets.UTF_8),
            rec.encode().getBytes(StandardCharsets.UTF_8))).get();
      }
    }
    for (String key : bad.keySet()) {
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
          IllegalArgumentException.class, () -> platform.softLabels().fetch(key));
      assertTrue(e.getMessage().contains(expected.get(key)) && e.getMessage().contains("malformed")
          && !e.getMessage().startsWith("no soft-label record"), e.getMessage());
    }
  }

  /** A loss plugin jar whose static initializer creates {@code marker}. */
  static void evilJar(Path jar, Path marker) throws Exception {
    Path src = Files.createDirectories(tmp.resolve("evil-src/evil"));
    Path classes = Files.createDirectories(tmp.resolve("evil-classes"));
    Files.writeString(src.resolve("Gadget.java"), "package evil;\n"
        + "import java.util.*;\nimport org.reffakd.spi.*;\n"
        + "public class Gadget implements LossPlugin {\n"
        + "  static { try { java.nio.file.Files.createFile(java.nio.file.Path.of(\""
        + marker.toString().replace("\\", "\\\\") + "\")); } catch (Exception e) { } }\n"
        + "  public String name() { return \"evil\"; }\n"
        + "  public String version() { return \"1\"; }\n"
        + "  public String description() { return \"evil\"; }\n"
        + "  public Set<Need> needs() { return Set.of(); }\n"
        + "  public List<ParameterSpec> parameters() { return List.of(); }\n"
        + "  public LossFunction create(Parameters p) { return null; }\n"
        + "}\n");
    int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d",
        classes.toString(), "-cp", System.getProperty("java.class.path"),
        src.resolve("Gadget.java").toString());
    assertEquals(0, rc);
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("evil/Gadget.class"));
      Files.copy(classes.resolve("evil/Gadget.class"), out);
      out.closeEntry();
      out.putNextEntry(new JarEntry("META-INF/services/org.reffakd.spi.LossPlugin"));
      out.write("evil.Gadget\n".getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void publish(Map<String, JsonObject> records) throws Exception {
    try (KafkaProducer<byte[], byte[]> p = platform.kafka().createProducer()) {
      for (Map.Entry<String, JsonObject> e : records.entrySet()) {
        p.send(new ProducerRecord<>(Topics.JOBS, e.getKey().getBytes(StandardCharsets.UTF_8),
            e.getValue().encode().getBytes(StandardCharsets.UTF_8))).get();
      }
    }
  }

  /** The reasons of the dead letters from reffakd.jobs, by key, once all of keys have one. */
  static Map<String, String> awaitDeadLetters(java.util.Collection<String> keys,
                                              Duration timeout) {
    Map<String, String> m = new LinkedHashMap<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> c = platform.kafka().createConsumer("dlq-"
        + System.nanoTime())) {
      TopicPartition tp = new TopicPartition(Topics.DEADLETTER, 0);
      List<TopicPartition> parts = new ArrayList<>();
      while (parts.isEmpty() && System.nanoTime() < deadline) {
        c.partitionsFor(Topics.DEADLETTER).forEach(p ->
            parts.add(new TopicPartition(p.topic(), p.partition())));
        if (parts.isEmpty()) {
          sleep(200);
        }
      }
      c.assign(parts.isEmpty() ? List.of(tp) : parts);
      c.seekToBeginning(c.assignment());
      while (!m.keySet().containsAll(keys) && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(300))) {
          var h = r.headers().lastHeader(DeadLetters.H_REASON);
          var src = r.headers().lastHeader(DeadLetters.H_SOURCE_TOPIC);
          if (r.key() != null && h != null && src != null
              && Topics.JOBS.equals(new String(src.value(), StandardCharsets.UTF_8))) {
            m.put(new String(r.key(), StandardCharsets.UTF_8),
                new String(h.value(), StandardCharsets.UTF_8));
          }
        }
      }
    }
    return m;
  }
}
