package org.reffakd.dashboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.reffakd.nn.run.Cost;
import org.reffakd.study.EpochPoint;
import org.reffakd.study.JobResult;
import org.reffakd.study.SoftLabelMatrix;
import org.reffakd.study.StudyData;
import org.reffakd.study.StudyReport;
import org.reffakd.dashboard.DashboardServerTest.Response;

/**
 * The study view's API over study folders written by {@link StudyReport#write} (study.json,
 * plots and all): the list, one study, its plots, the safety rules, a study rewritten while
 * served, and a runs root that is itself a study folder.
 */
class StudyDashboardTest {

  static final String STUDY = "study-a";
  static final String GROWING = "study-growing";

  @TempDir
  static Path tmp;
  static Path runs;
  @RegisterExtension
  static final DashboardVertx web = new DashboardVertx();
  static int port;
  static final HttpClient HTTP = DashboardServerTest.HTTP;

  @BeforeAll
  static void start() throws Exception {
    runs = tmp.resolve("runs");
    StudyReport.write(study(4, 4), runs.resolve(STUDY));
    Files.createDirectories(runs.resolve("half-a-study/plots")); // no study.json: not a study
    port = serve(runs, null, "127.0.0.1");
  }

  static int serve(Path root, String token, String host) throws Exception {
    return DashboardServerTest.await(web.start(new DashboardOptions(host, 0, root, token),
        "127.0.0.1")).actualPort();
  }

  /**
   * A study of ce and reffakd/paper on fraction 1.0, seeds 1 and 2 ({@code total} jobs planned,
   * the first {@code done} finished), with one soft-label matrix; its settings name an
   * absolute data path.
   */
  static StudyData study(int done, int total) {
    return study(done, total, tmp.resolve("secret-data"));
  }

  static StudyData study(int done, int total, Path data) {
    List<JobResult> all = new ArrayList<>();
    for (long seed = 1; seed <= 2; seed++) {
      all.add(job("ce", "-", Map.of(), seed, 0.80 + 0.01 * seed, false));
      all.add(job("reffakd", "paper", Map.of("alpha", "0.5"), seed, 0.84 + 0.01 * seed, true));
    }
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("study", "t1");
    settings.put("jobs", total);
    settings.put("jobs_done", done);
    settings.put("config", Map.of("data", data.toAbsolutePath().toString(), "epochs", 3));
    return new StudyData("fashion-mnist", "ce", settings, all.subList(0, done),
        Map.of(1L, new Cost(5000, 1e6, 2e12, 30, 60, 800)), Map.of(),
        List.of(new SoftLabelMatrix("paper", 1, List.of("shirt", "coat", "bag"),
            new double[][] {{1, 0.8, 0.1}, {0.8, 1, 0.2}, {0.1, 0.2, 1}},
            new double[][] {{0.7, 0.25, 0.05}, {0.25, 0.65, 0.1}, {0.05, 0.1, 0.85}})));
  }

  static JobResult job(String loss, String variant, Map<String, String> grid, long seed,
                       double h, boolean ae) {
    return new JobResult(loss + "-" + variant + "-seed" + seed, loss, variant, grid, 1.0, seed,
        List.of(new EpochPoint(1, 0.5, h - 0.05), new EpochPoint(2, 0.7, h),
            new EpochPoint(3, 0.6, h + 0.01)),
        ae, false, new Cost(1000, 2e5, 1e12, 10, 20, 500));
  }

  static Response get(int p, String path, String... headers) throws Exception {
    return DashboardServerTest.get(p, path, headers);
  }

  static Response raw(int p, String target) throws Exception {
    return DashboardServerTest.rawRequest(p, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:"
        + p + "\r\nConnection: close\r\n\r\n");
  }

  static JsonObject find(JsonArray a, String id) {
    return DashboardServerTest.find(a, id);
  }

  static HttpResponse<byte[]> bytes(int p, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p + path))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void listsTheStudiesUnderTheRoot() throws Exception {
    JsonArray list = get(port, "/api/studies").json().getJsonArray("studies");
    assertTrue(list.stream().noneMatch(x -> ((JsonObject) x).getString("id")
        .equals("half-a-study")), list.encode());
    JsonObject a = find(list, STUDY);
    assertEquals("fashion-mnist", a.getString("dataset"));
    assertEquals(4, a.getInteger("jobs"));
    assertEquals(4, a.getInteger("jobs_done"));
    assertFalse(a.getString("modified").isEmpty());
    // a study folder is not a run, and breaks nothing in the runs list
    JsonArray runList = get(port, "/api/runs").json().getJsonArray("runs");
    assertTrue(runList.isEmpty(), runList.encode());
  }

  @Test
  void oneStudyIsItsStudyJsonWithItsPlots() throws Exception {
    JsonObject s = get(port, "/api/studies/" + STUDY).json();
    assertEquals(STUDY, s.getString("id"));
    assertEquals("ce", s.getString("baseline"));
    assertEquals(4, s.getJsonObject("settings").getInteger("jobs_done"));
    assertEquals(4, s.getInteger("jobs_done"));
    assertEquals(4, s.getInteger("jobs_total"));
    assertEquals(4, s.getJsonArray("jobs").size());
    JsonArray routes = s.getJsonArray("routes");
    assertEquals(2, routes.size());
    JsonObject r = routes.stream().map(JsonObject.class::cast)
        .filter(x -> x.getString("loss").equals("reffakd")).findFirst().orElseThrow();
    assertEquals(0.04, r.getJsonObject("paired_difference").getDouble("mean"), 1e-9);
    assertEquals(0.855, r.getJsonObject("test_at_best_val").getDouble("mean"), 1e-9);
    assertTrue(r.getJsonObject("paper_protocol").getString("protocol").contains("optimistic"));
    List<Object> plots = s.getJsonArray("plots").getList();
    assertTrue(plots.contains("accuracy.png"), plots.toString());
    assertTrue(plots.contains("heatmap-paper-seed1.png"), plots.toString());
    assertTrue(plots.stream().allMatch(p -> ((String) p).endsWith(".png")), plots.toString());
    assertNotNull(s.getJsonObject("plot_captions").getString("accuracy.png"));
    assertFalse(s.getString("modified").isEmpty());
  }

  @Test
  void servesThePlotsAsPng() throws Exception {
    HttpResponse<byte[]> r = bytes(port, "/api/studies/" + STUDY + "/plots/accuracy.png?t=1");
    assertEquals(200, r.statusCode());
    assertEquals("image/png", r.headers().firstValue("Content-Type").orElse(null));
    byte[] onDisk = Files.readAllBytes(runs.resolve(STUDY).resolve("plots/accuracy.png"));
    assertArrayEquals(onDisk, r.body());
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(r.body()));
    assertNotNull(img, "a PNG");
    assertTrue(img.getWidth() > 100);
    HttpResponse<String> head = HTTP.send(HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + port + "/api/studies/" + STUDY + "/plots/accuracy.png"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, head.statusCode());
    assertEquals("", head.body());
  }

  @Test
  void unknownStudiesPlotsAndTraversalAreJson404() throws Exception {
    assertTrue(get(port, "/api/studies/no-such-study").clientError(404).contains("no study"));
    get(port, "/api/studies/no-such-study/plots/accuracy.png").clientError(404);
    get(port, "/api/studies/half-a-study").clientError(404);
    get(port, "/api/studies/half-a-study/plots/x.png").clientError(404);
    assertTrue(get(port, "/api/studies/" + STUDY + "/plots/nope.png").clientError(404)
        .contains("no plot"));
    for (String bad : List.of("..%2F..%2Fetc", "..%2F" + STUDY, "%2e%2e", "a%20b", "-x",
        "x%5C..%5Cy")) {
      get(port, "/api/studies/" + bad).clientError(404);
      get(port, "/api/studies/" + bad + "/plots/x.png").clientError(404);
      get(port, "/api/studies/" + bad + "/plots/accuracy.png").clientError(404);
    }
    for (String bad : List.of("..%2Fstudy.json", "..%2F..%2F" + STUDY + "%2Fplots%2Faccuracy.png",
        "study.json", "report.md", "accuracy.PNG", ".hidden.png", "a%20b.png", "%2e%2e.png",
        "x%5C..%5Caccuracy.png")) {
      get(port, "/api/studies/" + STUDY + "/plots/" + bad).clientError(404);
    }
    // dot segments, written byte for byte: the router resolves them, nothing matches
    for (String target : List.of("/api/studies/" + STUDY + "/plots/../study.json",
        "/api/studies/" + STUDY + "/plots/../../" + STUDY + "/study.json",
        "/api/studies/../../etc/plots/x.png", "/api/studies/..%2F..%2Fetc/plots/x.png",
        "/api/studies/" + STUDY + "/plots/%2e%2e/study.json")) {
      Response r = raw(port, target);
      assertEquals(404, r.status(), target);
      assertNotNull(r.json().getString("error"), target);
      assertFalse(r.body().contains("\"routes\""), target);
    }
  }

  @Test
  void aRewrittenStudyIsReadAgain() throws Exception {
    StudyReport.write(study(1, 4), runs.resolve(GROWING)); // one job finished
    assertEquals(1, get(port, "/api/studies/" + GROWING).json().getInteger("jobs_done"));
    assertEquals(1, find(get(port, "/api/studies").json().getJsonArray("studies"), GROWING)
        .getInteger("jobs_done"));
    byte[] before = bytes(port, "/api/studies/" + GROWING + "/plots/accuracy.png").body();

    StudyReport.write(study(3, 4), runs.resolve(GROWING)); // two more jobs finished

    JsonObject s = get(port, "/api/studies/" + GROWING).json();
    assertEquals(3, s.getInteger("jobs_done"));
    assertEquals(3, s.getJsonArray("jobs").size());
    assertEquals(3, find(get(port, "/api/studies").json().getJsonArray("studies"), GROWING)
        .getInteger("jobs_done"), "the list shows the rewrite, not a cached summary");
    byte[] after = bytes(port, "/api/studies/" + GROWING + "/plots/accuracy.png").body();
    assertArrayEquals(Files.readAllBytes(runs.resolve(GROWING).resolve("plots/accuracy.png")),
        after);
    assertFalse(java.util.Arrays.equals(before, after), "the plot was redrawn with more jobs");
  }

  @Test
  void aRunsRootThatIsAStudyIsListedWithItsJobsAsRuns() throws Exception {
    Path root = tmp.resolve("only-study");
    StudyReport.write(study(2, 4), root);
    Path job = root.resolve("jobs/ce---seed1");
    Files.createDirectories(job);
    Files.writeString(job.resolve("config.json"),
        "{\"dataset\":\"fashion-mnist\",\"loss\":\"ce\",\"seed\":1,\"epochs\":3}");
    Files.writeString(job.resolve("metrics.csv"), "epoch,test_top1\n1,0.7\n");
    int p = serve(root, null, "127.0.0.1");
    JsonArray list = get(p, "/api/studies").json().getJsonArray("studies");
    assertEquals(1, list.size(), list.encode());
    assertEquals(2, find(list, "only-study").getInteger("jobs_done"));
    assertEquals(2, get(p, "/api/studies/only-study").json().getInteger("jobs_done"));
    assertEquals(200, bytes(p, "/api/studies/only-study/plots/accuracy.png").statusCode());
    JsonArray runList = get(p, "/api/runs").json().getJsonArray("runs");
    assertEquals(1, runList.size(), runList.encode());
    assertEquals("ce", find(runList, "ce---seed1").getString("loss"));
    assertEquals(1, get(p, "/api/runs/ce---seed1/metrics").json().getJsonArray("student")
        .size());
  }

  @Test
  void offLoopbackTheStudyHoldsNoAbsolutePath() throws Exception {
    int p = serve(runs, "t0k-0123456789abcdef", "0.0.0.0");
    String[] auth = {"Authorization", "Bearer t0k-0123456789abcdef"};
    get(p, "/api/studies").clientError(401);
    get(p, "/api/studies/" + STUDY + "/plots/accuracy.png").clientError(401);
    String top = tmp.toAbsolutePath().normalize().toString();
    JsonObject s = get(p, "/api/studies/" + STUDY, auth).json();
    assertEquals(HiddenPaths.HIDDEN, s.getJsonObject("settings").getJsonObject("config")
        .getString("data"));
    for (String path : List.of("/api/studies", "/api/studies/" + STUDY, "/api/studies/nope",
        "/api/studies/" + STUDY + "/plots/nope.png")) {
      Response r = get(p, path, auth);
      assertFalse(r.body().contains(top), path + ": " + r.body());
    }
    // on loopback the paths are shown
    assertTrue(get(port, "/api/studies/" + STUDY).body().contains(top));
  }
}
