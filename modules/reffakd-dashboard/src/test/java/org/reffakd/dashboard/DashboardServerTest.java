package org.reffakd.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.reffakd.nn.train.Progress;
import org.reffakd.platform.bus.Addresses;

/**
 * The dashboard's HTTP side over a real (tiny) run: every JSON endpoint, the event stream, the
 * Prometheus endpoint, and the safety rules (ids, traversal, bad parameters, token, host and
 * origin checks, JSON errors).
 */
class DashboardServerTest {

  static final String RUN = "fmnist-reffakd-tiny";

  @TempDir
  static Path tmp;
  static Path runs;
  @RegisterExtension
  static final DashboardVertx web = new DashboardVertx();
  static int port;
  // HTTP/1.1: the JDK client's default h2c upgrade once hung a request past its timeout
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    Path data = TinyRun.data(tmp.resolve("data"), 1000, 300);
    runs = tmp.resolve("runs");
    TinyRun.run(TinyRun.config(data, 1, 1, "reffakd", 64), runs.resolve(RUN), Progress.NONE);
    Files.createDirectories(runs.resolve("interrupted"));
    Files.writeString(runs.resolve("interrupted/config.json"),
        "{\"dataset\":\"fashion-mnist\",\"loss\":\"ce\",\"seed\":3,\"epochs\":5}");
    Files.writeString(runs.resolve("interrupted/metrics.csv"),
        "epoch,lr,loss,loss_ce,train_acc,test_top1,test_top5,seconds\n1,0.1,0.9,0.9,0.6,0.7,0.95,2\n");
    Files.createDirectories(runs.resolve("corrupt"));
    Files.writeString(runs.resolve("corrupt/config.json"), "{not json");
    Files.createDirectories(runs.resolve("not-a-run")); // no run files: not listed
    port = await(web.start(new DashboardOptions("127.0.0.1", 0, runs, null))).actualPort();
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  record Response(int status, String contentType, String body) {
    JsonObject json() {
      assertTrue(contentType != null && contentType.startsWith("application/json"),
          "JSON expected, got " + contentType + ": " + body);
      return new JsonObject(body);
    }

    /** A 4xx answer with a JSON {"error": ...} body. */
    String clientError(int expected) {
      assertEquals(expected, status, body);
      String e = json().getString("error");
      assertNotNull(e, body);
      assertFalse(e.isBlank());
      return e;
    }
  }

  static Response get(String path) throws Exception {
    return get(port, path);
  }

  static Response get(int p, String path) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + p + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null),
        r.body());
  }

  static Response send(int p, String method, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p + path))
        .method(method, HttpRequest.BodyPublishers.ofString("{}"));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null),
        r.body());
  }

  /** A request written byte for byte (no client-side path normalisation). */
  static Response raw(String target, String host) throws Exception {
    return rawRequest(port, "GET " + target + " HTTP/1.1\r\nHost: " + host
        + "\r\nConnection: close\r\n\r\n");
  }

  /** A request written byte for byte; the answer's status, type and (de-chunked) body. */
  static Response rawRequest(int p, String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", p)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String text = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int status = Integer.parseInt(text.substring(9, 12));
      int split = text.indexOf("\r\n\r\n");
      String head = text.substring(0, split).toLowerCase();
      String type = head.lines().filter(l -> l.startsWith("content-type:"))
          .map(l -> l.substring(13).trim()).findFirst().orElse(null);
      String body = text.substring(split + 4);
      if (head.contains("transfer-encoding: chunked")) {
        body = dechunk(body);
      }
      return new Response(status, type, body);
    }
  }

  private static String dechunk(String s) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < s.length()) {
      int eol = s.indexOf("\r\n", i);
      int n = Integer.parseInt(s.substring(i, eol).trim(), 16);
      if (n == 0) {
        break;
      }
      out.append(s, eol + 2, eol + 2 + n);
      i = eol + 2 + n + 2;
    }
    return out.toString();
  }

  static Response raw(String target) throws Exception {
    return raw(target, "127.0.0.1:" + port);
  }

  // ---- the JSON API ----

  @Test
  void listsRunsWithTheirStatus() throws Exception {
    JsonObject o = get("/api/runs").json();
    JsonArray list = o.getJsonArray("runs");
    JsonObject run = find(list, RUN);
    assertEquals("finished", run.getString("status"));
    assertEquals("fashion-mnist", run.getString("dataset"));
    assertEquals("reffakd", run.getString("loss"));
    assertEquals(1, run.getInteger("epochs_done"));
    assertTrue(run.getDouble("best_top1") > 0.1);
    assertEquals("incomplete", find(list, "interrupted").getString("status"));
    assertNotNull(find(list, "corrupt").getString("error"), "a corrupt run is listed with why");
    assertTrue(list.stream().noneMatch(x -> ((JsonObject) x).getString("id").equals("not-a-run")));

    JsonArray finished = get("/api/runs?status=finished").json().getJsonArray("runs");
    assertEquals(1, finished.size());
    assertTrue(get("/api/runs?status=bogus").clientError(400).contains("status"));
    get("/api/runs?status=finished&status=running").clientError(400);
  }

  static JsonObject find(JsonArray a, String id) {
    return a.stream().map(JsonObject.class::cast).filter(x -> x.getString("id").equals(id))
        .findFirst().orElseThrow(() -> new AssertionError(id + " not in " + a));
  }

  @Test
  void oneRunHasMatricesConfigProvenanceAndTimings() throws Exception {
    JsonObject d = get("/api/runs/" + RUN).json();
    assertEquals("finished", d.getString("status"));
    JsonArray classes = d.getJsonArray("classes");
    assertEquals(10, classes.size());
    assertEquals("T-shirt/top", classes.getString(0));
    assertEquals(10, d.getJsonArray("similarity").size());
    assertEquals(10, d.getJsonArray("similarity").getJsonArray(4).size());
    JsonArray soft = d.getJsonArray("soft_labels");
    double sum = soft.getJsonArray(2).stream().mapToDouble(v -> ((Number) v).doubleValue()).sum();
    assertEquals(1.0, sum, 1e-9);
    assertEquals("reffakd", d.getJsonObject("config").getString("loss"));
    assertNotNull(d.getJsonObject("provenance").getValue("code_version"));
    assertNotNull(d.getJsonObject("provenance").getJsonObject("dataset_sha256").getString("train"));
    assertTrue(d.getJsonObject("timings_s").containsKey("student"));
    assertTrue(d.getJsonArray("files").stream().anyMatch(f ->
        ((JsonObject) f).getString("name").equals("checkpoints/autoencoder-best.ckpt")));
  }

  @Test
  void perEpochRows() throws Exception {
    JsonObject m = get("/api/runs/" + RUN + "/metrics").json();
    JsonObject row = m.getJsonArray("student").getJsonObject(0);
    assertEquals(1, row.getInteger("epoch"));
    assertTrue(row.containsKey("loss_ce") && row.containsKey("loss_kd"), row.encode());
    assertTrue(row.getDouble("test_top1") > 0);
    assertEquals(1, m.getJsonArray("autoencoder").size());
    JsonObject only = get("/api/runs/" + RUN + "/metrics?stage=autoencoder").json();
    assertFalse(only.containsKey("student"));
    assertTrue(get("/api/runs/" + RUN + "/metrics?stage=teacher").clientError(400)
        .contains("stage"));
  }

  @Test
  void reconstructionsAreImagesOfTheRunsTestSplit() throws Exception {
    JsonObject r = get("/api/runs/" + RUN + "/reconstructions?n=4").json();
    JsonArray images = r.getJsonArray("images");
    assertEquals(4, images.size());
    JsonObject first = images.getJsonObject(0);
    assertEquals("T-shirt/top", first.getString("class"));
    assertEquals("Trouser", images.getJsonObject(1).getString("class"));
    for (String k : List.of("original", "reconstruction", "decoder_output")) {
      String url = first.getString(k);
      assertTrue(url.startsWith("data:image/png;base64,"), url);
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(
          url.substring(url.indexOf(',') + 1))));
      assertEquals(32, img.getWidth());
      assertEquals(32, img.getHeight());
    }
    assertTrue(r.getDouble("mse") > 0 && r.getDouble("mse") < 10, r.encode().substring(0, 200));
    // cached: the same answer again
    assertEquals(r, get("/api/runs/" + RUN + "/reconstructions?n=4").json());
    for (String bad : List.of("0", "17", "abc", "1e3", "")) {
      assertTrue(get("/api/runs/" + RUN + "/reconstructions?n=" + bad).clientError(400)
          .contains("n must be"));
    }
    // a run without an autoencoder checkpoint: 409, with the reason
    assertTrue(get("/api/runs/interrupted/reconstructions").clientError(409)
        .contains("no trained autoencoder"));
  }

  @Test
  void comparesRuns() throws Exception {
    JsonArray a = get("/api/compare?runs=" + RUN + ",interrupted").json().getJsonArray("runs");
    assertEquals(2, a.size());
    assertEquals("ce", a.getJsonObject(1).getString("loss"));
    assertEquals(1, a.getJsonObject(1).getJsonArray("student").size());
    get("/api/compare").clientError(400);
    get("/api/compare?runs=").clientError(400);
    get("/api/compare?runs=" + RUN + ",nope").clientError(404);
    get("/api/compare?runs=" + RUN + ",..%2Fx").clientError(400);
    get("/api/compare?runs=" + "a,b,c,d,e,f,g,h,i,j,k,l,m").clientError(400);
  }

  @Test
  void exportedModelsAreListedWithTheirCardsAndDownloadable() throws Exception {
    Path dir = runs.resolve(RUN);
    Path model = dir.resolve("student.onnx");
    Path card = dir.resolve("student.onnx.json");
    Path link = dir.resolve("linked.onnx");
    byte[] bytes = new byte[3000];
    new java.util.Random(1).nextBytes(bytes);
    try {
      java.nio.file.Files.write(model, bytes);
      java.nio.file.Files.writeString(card, "{\"format\": \"onnx\", \"size_bytes\": 3000, "
          + "\"run\": \"" + dir.toAbsolutePath() + "\", \"latency_ms_batch1\": 0.1}");
      java.nio.file.Files.createSymbolicLink(link, tmp.resolve("data").toAbsolutePath());
      JsonObject d = get("/api/runs/" + RUN).json();
      io.vertx.core.json.JsonArray models = d.getJsonArray("models");
      assertEquals(1, models.size(), models.encode()); // the link is not listed
      JsonObject m = models.getJsonObject(0);
      assertEquals("student.onnx", m.getString("name"));
      assertEquals(3000L, m.getLong("bytes"));
      assertEquals("onnx", m.getJsonObject("card").getString("format"));
      assertFalse(m.getJsonObject("card").containsKey("run"), "no absolute path");

      HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
              + port + "/api/runs/" + RUN + "/models/student.onnx")).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, r.statusCode());
      assertTrue(java.util.Arrays.equals(bytes, r.body()));
      assertEquals("attachment; filename=\"student.onnx\"",
          r.headers().firstValue("Content-Disposition").orElse(null));
      for (String bad : List.of("student.onnx.json", "config.json", "..%2Fx.onnx", "a%20b.onnx",
          ".hidden.onnx", "checkpoints%2Fstudent-last.ckpt")) {
        get("/api/runs/" + RUN + "/models/" + bad).clientError(400);
      }
      get("/api/runs/" + RUN + "/models/none.onnx").clientError(404);
      get("/api/runs/" + RUN + "/models/linked.onnx").clientError(404);
      get("/api/runs/no-such-run/models/student.onnx").clientError(404);
      int p = exposed("s3cret-0123456789abcdef");
      get(p, "/api/runs/" + RUN + "/models/student.onnx").clientError(401);
      assertEquals(200, get(p, "/api/runs/" + RUN + "/models/student.onnx", "Authorization",
          "Bearer s3cret-0123456789abcdef").status());
    } finally {
      java.nio.file.Files.deleteIfExists(model);
      java.nio.file.Files.deleteIfExists(card);
      java.nio.file.Files.deleteIfExists(link);
    }
  }

  @Test
  void unknownAndMalformedRunIdsAreJson4xx() throws Exception {
    assertTrue(get("/api/runs/no-such-run").clientError(404).contains("no-such-run"));
    get("/api/runs/no-such-run/metrics").clientError(404);
    get("/api/runs/no-such-run/reconstructions").clientError(404);
    for (String bad : List.of("..%2F..%2Fetc", "..%2F..%2Fetc%2Fpasswd", "a%20b", "a..b",
        "-x", "%00", "x%5C..%5Cy")) {
      assertTrue(get("/api/runs/" + bad).clientError(400).contains("malformed run id"), bad);
      get("/api/runs/" + bad + "/metrics").clientError(400);
    }
    // a bare ".." is a dot segment the router resolves first: /api/runs/.. is /api/
    for (String dots : List.of("..", "%2e%2e", ".%2e")) {
      Response r = raw("/api/runs/" + dots);
      assertTrue(r.status() == 400 || r.status() == 404, dots + " -> " + r.status());
      assertNotNull(r.json().getString("error"));
    }
    // the router normalises dot segments: nothing under /api matches, still JSON
    raw("/api/runs/../../etc/passwd").clientError(404);
    raw("/api/runs/%2e%2e/%2e%2e/etc/passwd").clientError(404);
    get("/api/nothing-here").clientError(404);
  }

  @Test
  void staticFilesCannotEscapeTheirFolder() throws Exception {
    Response index = get("/");
    assertEquals(200, index.status());
    assertTrue(index.body().contains("ReffAKD dashboard"));
    Response chart = get("/vendor/chart.umd.js");
    assertEquals(200, chart.status());
    assertTrue(chart.contentType().contains("javascript"), chart.contentType());
    for (String target : List.of("/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2f..%2fetc%2fpasswd", "/..%2fsimplelogger.properties", "/../simplelogger.properties",
        "/webjars/../simplelogger.properties", "/webjars/chart.js/../../../simplelogger.properties",
        "/webjars/%2e%2e/%2e%2e/%2e%2e/simplelogger.properties",
        "/../org/reffakd/dashboard/DashboardServer.class", "/..\\..\\etc\\passwd")) {
      Response r = raw(target);
      assertTrue(r.status() >= 400 && r.status() < 500, target + " -> " + r.status());
      assertFalse(r.body().contains("root:"), target);
      assertFalse(r.body().contains("org.slf4j"), target);
      assertFalse(r.body().contains("CAFEBABE") || r.body().startsWith("\u00ca\u00fe"), target);
      assertNotNull(r.json().getString("error"), target);
    }
  }

  @Test
  void mutatingRequestsFollowTheTokenRule() throws Exception {
    // loopback, no token: no route takes a POST, answered in JSON
    Response open = send(port, "POST", "/api/runs");
    assertTrue(open.status() == 404 || open.status() == 405, open.body());
    open.json();

    int p = await(web.start(new DashboardOptions("127.0.0.1", 0, runs,
        "s3cret-0123456789abcdef"))).actualPort();
    assertTrue(send(p, "POST", "/api/runs").clientError(401).contains("token"));
    send(p, "DELETE", "/api/runs/" + RUN).clientError(401);
    send(p, "POST", "/api/runs", "Authorization", "Bearer wrong").clientError(401);
    Response ok = send(p, "POST", "/api/runs", "Authorization", "Bearer s3cret-0123456789abcdef");
    assertTrue(ok.status() == 404 || ok.status() == 405, ok.body());
    send(p, "POST", "/api/runs", "Authorization", "Bearer s3cret-0123456789abcdef", "Origin",
        "http://evil.example").clientError(403);
    assertEquals(200, get(p, "/api/runs").status(), "reads need no token");
  }

  @Test
  void exposingTheDashboardNeedsAToken() throws Exception {
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> await(web.start(new DashboardOptions("0.0.0.0", 0, runs, null))));
    assertTrue(e.getCause() instanceof IllegalArgumentException);
    assertTrue(e.getCause().getMessage().contains("token"), e.getCause().getMessage());
    int p = await(web.start(new DashboardOptions("0.0.0.0", 0, runs, "t0k-0123456789abcdef")))
        .actualPort();
    assertEquals(200, get(p, "/health").status());
    assertTrue(new DashboardOptions(null, 8080, null, null).loopback());
    assertEquals(DashboardOptions.DEFAULT_HOST, DashboardOptions.defaults().host());
    assertEquals(8080, DashboardOptions.defaults().port());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> DashboardOptions.defaults().withPort(70000));
  }

  @Test
  void aShortTokenABusyPortAndTheLoginHintAreEachOneClearLine() throws Exception {
    for (String weak : List.of("abc", "t0k", "0123456789abcde")) {
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
          IllegalArgumentException.class,
          () -> new DashboardOptions("0.0.0.0", 0, runs, weak).validate());
      assertTrue(e.getMessage().contains("at least 16"), e.getMessage());
    }
    // the port of this test's own server is taken: the message names it
    ExecutionException busy = org.junit.jupiter.api.Assertions.assertThrows(
        ExecutionException.class, () -> await(web.start(
            new DashboardOptions("127.0.0.1", port, runs, null))));
    assertTrue(busy.getCause().getMessage().contains("127.0.0.1:" + port)
        && busy.getCause().getMessage().contains("--port"), busy.getCause().getMessage());
    // off loopback the 401 page's hint is shown as it is: a route, not a hidden file
    int p = exposed("s3cret-0123456789abcdef");
    String body = get(p, "/api/runs").clientError(401);
    assertTrue(body.contains("/login?token=<token>") && !body.contains(HiddenPaths.HIDDEN),
        body);
  }

  @Test
  void loopbackServerAnswersLocalHostNamesOnly() throws Exception {
    assertEquals(200, raw("/health", "localhost:" + port).status());
    raw("/api/runs", "attacker.example").clientError(403);
  }

  @Test
  void hostHeaderMustNameLoopbackExactly() throws Exception {
    for (String bad : List.of("127.0.0.1.evil.com", "127.0.0.1.evil.com:" + port,
        "localhost.evil.com", "localhost.evil.com:" + port, "127.0.0.1@evil.com",
        "evil.com@127.0.0.1", "", "127.0.0.256", "127.0.0.1:99999", "[::1].evil.com",
        "0x7f.0.0.1", "attacker.example")) {
      Response r = raw("/api/runs", bad);
      assertTrue(r.status() >= 400 && r.status() < 500, "Host '" + bad + "' -> " + r.status());
      assertNotNull(r.json().getString("error"), bad);
    }
    for (String good : List.of("127.0.0.1", "127.0.0.1:" + port, "localhost",
        "LOCALHOST:" + port, "[::1]", "[::1]:" + port, "127.1.2.3:" + port)) {
      assertEquals(200, raw("/api/runs", good).status(), good);
    }
  }

  /** A dashboard configured as bound beyond loopback (0.0.0.0), listening on 127.0.0.1. */
  static int exposed(String token) throws Exception {
    return await(web.start(new DashboardOptions("0.0.0.0", 0, runs, token), "127.0.0.1"))
        .actualPort();
  }

  static Response get(int p, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p + path))
        .timeout(Duration.ofSeconds(30));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null),
        r.body());
  }

  @Test
  void offLoopbackEveryRouteNeedsTheToken() throws Exception {
    int p = exposed("s3cret-0123456789abcdef");
    for (String path : List.of("/", "/index.html", "/app.js", "/api/runs", "/api/runs/" + RUN,
        "/api/events", "/metrics", "/vendor/chart.umd.js", "/api/nothing")) {
      assertTrue(get(p, path).clientError(401).contains("token"), path);
      get(p, path, "Authorization", "Bearer wrong").clientError(401);
      get(p, path, "Cookie", "reffakd_session=s3cret-0123456789abcdef").clientError(401);
    }
    for (String path : List.of("/", "/api/runs", "/metrics", "/api/runs/" + RUN)) {
      assertEquals(200, get(p, path, "Authorization", "Bearer s3cret-0123456789abcdef").status(), path);
    }
    assertEquals(200, get(p, "/health").status(), "probes need no token");
    HttpResponse<InputStream> sse = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + p + "/api/events"))
        .header("Authorization", "Bearer s3cret-0123456789abcdef").build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, sse.statusCode());
    sse.body().close();

    // the browser: /login?token= sets the session cookie, which every request then sends
    get(p, "/login").clientError(401);
    get(p, "/login?token=wrong").clientError(401);
    HttpResponse<String> login = HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + p + "/login?token=s3cret-0123456789abcdef")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(303, login.statusCode());
    assertEquals("/", login.headers().firstValue("Location").orElse(null));
    String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(setCookie.toLowerCase().contains("; httponly")
        && setCookie.contains("SameSite=Strict"),
        setCookie);
    assertFalse(setCookie.contains("s3cret-0123456789abcdef"), "the cookie does not hold the token");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    for (String path : List.of("/", "/api/runs", "/metrics")) {
      assertEquals(200, get(p, path, "Cookie", cookie).status(), path);
    }
    HttpResponse<InputStream> events = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + p + "/api/events")).header("Cookie", cookie).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, events.statusCode(), "EventSource sends the cookie");
    try (BufferedReader in = new BufferedReader(new InputStreamReader(events.body(),
        StandardCharsets.UTF_8))) {
      assertEquals("event: snapshot", next(in, "event:"));
    }
  }

  @Test
  void offLoopbackResponsesHoldNoAbsolutePath() throws Exception {
    int p = exposed("t0k-0123456789abcdef");
    String[] auth = {"Authorization", "Bearer t0k-0123456789abcdef"};
    String root = runs.toAbsolutePath().normalize().toString();
    String top = tmp.toAbsolutePath().normalize().toString();
    web.vertx().eventBus().publish(Addresses.RUN_STATUS, new JsonObject().put("run", "elsewhere")
        .put("status", "running").put("dir", tmp.resolve("outside/elsewhere").toString()));
    web.vertx().eventBus().publish(Addresses.RUN_STATUS, new JsonObject().put("run", "moved")
        .put("status", "running").put("dir", runs.resolve("not-a-run").toString()));
    for (int i = 0; i < 100 && !get(p, "/api/runs", auth).body().contains("moved"); i++) {
      Thread.sleep(50);
    }
    JsonObject list = get(p, "/api/runs", auth).json();
    assertEquals(HiddenPaths.HIDDEN, list.getString("root"));
    JsonObject d = get(p, "/api/runs/" + RUN, auth).json();
    assertEquals(RUN, d.getString("dir"));
    assertEquals(HiddenPaths.HIDDEN, d.getJsonObject("config").getString("data"));
    JsonObject moved = get(p, "/api/runs/moved", auth).json();
    assertEquals("not-a-run", moved.getJsonObject("live").getString("dir"));
    for (String path : List.of("/api/runs", "/api/runs/" + RUN, "/api/runs/elsewhere",
        "/api/runs/moved", "/api/runs/" + RUN + "/metrics", "/api/compare?runs=" + RUN
        + ",interrupted", "/api/runs/corrupt", "/api/runs/nope", "/api/runs/nope/metrics")) {
      Response r = get(p, path, auth);
      assertFalse(r.body().contains(root), path + ": " + r.body());
      assertFalse(r.body().contains(top), path + ": " + r.body());
    }
    assertTrue(get(p, "/api/runs/corrupt", auth).clientError(500).contains("corrupt/config.json"));
    HttpResponse<InputStream> events = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + p + "/api/events")).header(auth[0], auth[1]).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    try (BufferedReader in = new BufferedReader(new InputStreamReader(events.body(),
        StandardCharsets.UTF_8))) {
      String snapshot = next(in, "data:");
      assertTrue(snapshot.contains("elsewhere"), snapshot);
      assertFalse(snapshot.contains(top), snapshot);
    }
    // on loopback the paths are shown
    assertEquals(root, get("/api/runs").json().getString("root"));
  }

  @Test
  void errorsVertxAnswersBeforeTheRouterAreJson() throws Exception {
    Response uri = rawRequest(port, "GET /api/runs?x=" + "a".repeat(20_000)
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertTrue(uri.clientError(414).contains("too long"), uri.body());
    Response header = rawRequest(port, "GET /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
        + "b".repeat(20_000) + "\r\nConnection: close\r\n\r\n");
    assertTrue(header.clientError(431).contains("headers"), header.body());
  }

  @Test
  void headIsAnsweredWhereverGetIs() throws Exception {
    for (String path : List.of("/", "/api/runs", "/api/runs/" + RUN, "/metrics", "/health",
        "/vendor/chart.umd.js", "/api/events")) {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + port + path))
          .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), path);
      assertEquals("", r.body(), path);
    }
  }

  @Test
  void failureHandlerMapsExceptionsToJson() throws Exception {
    Router r = DashboardServer.router(web.vertx(),
        new DashboardOptions("127.0.0.1", 0, runs, null), web.metrics());
    r.get("/boom/argument").handler(ctx -> {
      throw new IllegalArgumentException("parameter x must be positive");
    });
    r.get("/boom/npe").handler(ctx -> {
      throw new NullPointerException("oops");
    });
    r.get("/boom/api").handler(ctx -> ctx.fail(new ApiException(409, "not yet")));
    r.get("/boom/status").handler(ctx -> ctx.fail(503));
    HttpServer s = await(web.vertx().createHttpServer().requestHandler(r).listen(0, "127.0.0.1"));
    int p = s.actualPort();
    assertEquals("parameter x must be positive", get(p, "/boom/argument").clientError(400));
    Response npe = get(p, "/boom/npe");
    assertEquals(500, npe.status());
    assertTrue(npe.json().getString("error").contains("NullPointerException"));
    assertEquals("not yet", get(p, "/boom/api").clientError(409));
    assertEquals(503, get(p, "/boom/status").status());
    assertNotNull(get(p, "/boom/status").json().getString("error"));
    await(s.close());
  }

  @Test
  void servesPrometheusMetricsAndHealth() throws Exception {
    Response m = get("/metrics");
    assertEquals(200, m.status());
    assertTrue(m.contentType().startsWith("text/plain"), m.contentType());
    assertTrue(m.body().contains("jvm_memory_used_bytes"));
    assertTrue(m.body().contains("reffakd_runs_active"));
    assertEquals("ok", get("/health").json().getString("status"));
  }

  @Test
  void eventStreamRelaysTheBus() throws Exception {
    get("/api/events?run=..%2Fx").clientError(400);
    HttpResponse<InputStream> res = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/api/events?run=" + RUN)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, res.statusCode());
    assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith(
        "text/event-stream"));
    try (BufferedReader in = new BufferedReader(new InputStreamReader(res.body(),
        StandardCharsets.UTF_8))) {
      assertEquals("event: snapshot", next(in, "event:"));
      web.vertx().eventBus().publish(Addresses.EPOCH, new JsonObject().put("run", "other")
          .put("stage", "student").put("epoch", 9));
      web.vertx().eventBus().publish(Addresses.EPOCH, new JsonObject().put("run", RUN)
          .put("stage", "student").put("epoch", 2).put("epochs", 3)
          .put("row", new JsonObject().put("loss", Double.NaN).put("test_top1", 0.5)));
      assertEquals("event: epoch", next(in, "event:"));
      JsonObject data = new JsonObject(next(in, "data:").substring(5).trim());
      assertEquals(RUN, data.getString("run"));
      assertEquals(2, data.getInteger("epoch"));
      assertTrue(data.getJsonObject("row").containsKey("loss"));
      assertEquals(null, data.getJsonObject("row").getValue("loss"), "NaN becomes null");
      web.vertx().eventBus().publish(Addresses.RUN_STATUS, new JsonObject().put("run", RUN)
          .put("status", "finished"));
      assertEquals("event: run_status", next(in, "event:"));
    }
  }

  private static String next(BufferedReader in, String prefix) throws Exception {
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.startsWith(prefix)) {
        return line;
      }
    }
    throw new AssertionError("stream ended before a line starting with " + prefix);
  }
}
