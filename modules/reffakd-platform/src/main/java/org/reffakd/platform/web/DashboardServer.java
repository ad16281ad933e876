package org.reffakd.platform.web;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import org.reffakd.platform.metrics.PlatformMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web dashboard: a static page (Chart.js from its WebJar) over a JSON API, a live event
 * stream and the Prometheus endpoint.
 *
 * <table>
 *   <caption>Endpoints (all GET; errors are {@code {"error": "..."}} with a 4xx/5xx status)</caption>
 *   <tr><td>{@code /}</td><td>the page: runs, one run ({@code #/run/ID}), a comparison
 *       ({@code #/compare?runs=A,B})</td></tr>
 *   <tr><td>{@code /api/runs[?status=S]}</td><td>{@code {root, runs: [{id, status, dataset, loss,
 *       seed, arch, epochs, epochs_done, best_top1, last_top1, modified, live?}]}}, newest first;
 *       status {@code running|finished|failed|incomplete}</td></tr>
 *   <tr><td>{@code /api/runs/ID}</td><td>config, provenance, classes, similarity and soft
 *       labels (C x C), test accuracy, timings, parameters, files</td></tr>
 *   <tr><td>{@code /api/runs/ID/metrics[?stage=student|autoencoder]}</td><td>per-epoch rows of
 *       metrics.csv and autoencoder_metrics.csv</td></tr>
 *   <tr><td>{@code /api/runs/ID/reconstructions[?n=1..16]}</td><td>PNG data URLs of test images
 *       and their reconstructions (409 before the autoencoder is trained)</td></tr>
 *   <tr><td>{@code /api/compare?runs=A,B,...}</td><td>up to 12 runs' per-epoch student rows</td></tr>
 *   <tr><td>{@code /api/events[?run=ID]}</td><td>server-sent events, see {@link EventStream}</td></tr>
 *   <tr><td>{@code /metrics}</td><td>Prometheus text ({@link PlatformMetrics#scrape()})</td></tr>
 *   <tr><td>{@code /health}</td><td>{@code {"status": "ok"}}</td></tr>
 * </table>
 *
 * <p>Safety: binds {@code 127.0.0.1} by default and refuses any other interface without a token
 * ({@link DashboardOptions#validate()}); with a token every request other than GET, HEAD and
 * OPTIONS must carry {@code Authorization: Bearer <token>} (routes added later through
 * {@link #router} that start or stop work are covered too); a cross-origin POST/PUT/DELETE is
 * refused; on loopback, a Host header naming another machine is refused (DNS rebinding). Static
 * files come from the {@code webroot} folder of the classpath through {@link StaticHandler},
 * which never serves outside it. Every file read and the reconstructions run on worker threads.
 */
public final class DashboardServer {

  private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
  private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD,
      HttpMethod.OPTIONS);
  private static final int MAX_COMPARE = 12;
  private static final String CHART_JS = "META-INF/maven/org.webjars.npm/chart.js/pom.properties";

  private DashboardServer() {}

  /**
   * Starts the dashboard on {@code options.host():options.port()}.
   *
   * @return the listening server ({@code actualPort()} is the port when options asked for 0);
   *         failed with an {@link IllegalArgumentException} when the options are unsafe (a
   *         non-loopback host without a token), or with the bind error
   */
  public static Future<HttpServer> start(Vertx vertx, DashboardOptions options,
                                         PlatformMetrics metrics) {
    Router router;
    try {
      router = router(vertx, options, metrics);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return vertx.createHttpServer(new HttpServerOptions().setHost(options.host())
            .setPort(options.port()))
        .requestHandler(router).listen()
        .onSuccess(s -> LOG.info("dashboard on http://{}:{}/ over {}", options.host(),
            s.actualPort(), options.runsRoot().toAbsolutePath().normalize()));
  }

  /**
   * The dashboard's routes, for a caller that serves them itself or adds its own (mount more
   * routes before serving; the token and origin rules already apply to them). Subscribes
   * {@code metrics} to the event bus ({@link PlatformMetrics#attach}).
   */
  public static Router router(Vertx vertx, DashboardOptions options, PlatformMetrics metrics) {
    options.validate();
    metrics.attach(vertx);
    RunStore store = new RunStore(options.runsRoot());
    RunStatusBoard board = new RunStatusBoard(vertx);
    Reconstructions recon = new Reconstructions(vertx);
    String chartJs = chartJsVersion();

    Router r = Router.router(vertx);
    boolean loopback = options.loopback();
    r.route().handler(ctx -> guard(ctx, options, loopback));

    r.get("/health").handler(ctx -> json(ctx, new JsonObject().put("status", "ok")));
    r.get("/metrics").handler(ctx -> blocking(ctx, metrics::scrape).onSuccess(text ->
        ctx.response().putHeader("Content-Type", PlatformMetrics.contentType())
            .putHeader("Cache-Control", "no-store").end(text)));

    r.get("/api/runs").handler(ctx -> {
      String status = single(ctx, "status");
      if (status != null && !RunStore.STATUSES.contains(status)) {
        throw ApiException.badRequest("status must be one of " + RunStore.STATUSES
            + ", got '" + status + "'");
      }
      blocking(ctx, () -> {
        List<JsonObject> runs = new ArrayList<>(store.list(board.all()));
        if (status != null) {
          runs.removeIf(o -> !status.equals(o.getString("status")));
        }
        return new JsonObject().put("root", store.root().toString())
            .put("runs", new JsonArray(new ArrayList<>(runs)));
      }).onSuccess(o -> json(ctx, o));
    });
    r.get("/api/runs/:id").handler(ctx -> {
      String id = RunStore.checkId(ctx.pathParam("id"));
      blocking(ctx, () -> store.details(id, board.get(id))).onSuccess(o -> json(ctx, o));
    });
    r.get("/api/runs/:id/metrics").handler(ctx -> {
      String id = RunStore.checkId(ctx.pathParam("id"));
      String stage = single(ctx, "stage");
      if (stage != null && !stage.equals("student") && !stage.equals("autoencoder")) {
        throw ApiException.badRequest("stage must be student or autoencoder, got '" + stage
            + "'");
      }
      blocking(ctx, () -> store.metrics(id, board.get(id), stage)).onSuccess(o -> json(ctx, o));
    });
    r.get("/api/runs/:id/reconstructions").handler(ctx -> {
      String id = RunStore.checkId(ctx.pathParam("id"));
      int n = intParam(ctx, "n", 8, 1, Reconstructions.MAX_IMAGES);
      blocking(ctx, () -> store.dir(id, board.get(id)))
          .compose(dir -> recon.of(id, dir, n))
          .onSuccess(o -> json(ctx, o))
          .onFailure(ctx::fail);
    });
    r.get("/api/compare").handler(ctx -> {
      String runs = single(ctx, "runs");
      if (runs == null || runs.isBlank()) {
        throw ApiException.badRequest("runs is required: /api/compare?runs=ID,ID,...");
      }
      Set<String> ids = new LinkedHashSet<>();
      for (String id : runs.split(",", -1)) {
        ids.add(RunStore.checkId(id.trim()));
      }
      if (ids.size() > MAX_COMPARE) {
        throw ApiException.badRequest("at most " + MAX_COMPARE + " runs can be compared, got "
            + ids.size());
      }
      blocking(ctx, () -> {
        JsonArray out = new JsonArray();
        for (String id : ids) {
          JsonObject live = board.get(id);
          JsonObject m = store.metrics(id, live, "student");
          java.nio.file.Path dir = store.dirOrNull(id, live);
          JsonObject cfg = dir == null ? null : RunStore.readJson(dir, "config.json");
          out.add(m.put("loss", cfg == null ? null : cfg.getString("loss"))
              .put("dataset", cfg == null ? null : cfg.getString("dataset"))
              .put("seed", cfg == null ? null : cfg.getValue("seed")));
        }
        return new JsonObject().put("runs", out);
      }).onSuccess(o -> json(ctx, o));
    });
    r.get("/api/events").handler(new EventStream(vertx, board));
    r.route("/api/*").handler(ctx -> ctx.fail(ApiException.notFound("no endpoint "
        + ctx.request().method() + " " + ctx.normalizedPath())));

    // Chart.js from its WebJar, under a stable name the page can load
    r.get("/vendor/chart.umd.js").handler(ctx ->
        ctx.reroute("/webjars/chart.js/" + chartJs + "/dist/chart.umd.js"));
    r.get("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars")
        .setCachingEnabled(true).setMaxAgeSeconds(86400).setDirectoryListing(false));
    r.get("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false)
        .setDirectoryListing(false).setIncludeHidden(false).setIndexPage("index.html"));

    r.route().failureHandler(DashboardServer::failure);
    for (int code : new int[] {400, 401, 403, 404, 405, 406, 413, 414, 415, 500, 501}) {
      r.errorHandler(code, DashboardServer::failure);
    }
    return r;
  }

  // ---- safety ----

  private static void guard(RoutingContext ctx, DashboardOptions options, boolean loopback) {
    var res = ctx.response();
    res.putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
            + "style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; "
            + "frame-ancestors 'none'");
    HostAndPort authority = ctx.request().authority();
    if (loopback && (authority == null || !loopbackName(authority.host()))) {
      ctx.fail(new ApiException(403, "this dashboard listens on " + options.host()
          + " and answers requests for localhost only"));
      return;
    }
    if (!SAFE.contains(ctx.request().method())) {
      if (options.token() != null && !tokenMatches(ctx, options.token())) {
        res.putHeader("WWW-Authenticate", "Bearer");
        ctx.fail(new ApiException(401, ctx.request().method() + " needs the dashboard token:"
            + " send 'Authorization: Bearer <token>'"));
        return;
      }
      String origin = ctx.request().getHeader("Origin");
      if (origin != null && authority != null && !origin.equals("http://" + authority)
          && !origin.equals("https://" + authority)) {
        ctx.fail(new ApiException(403, "cross-origin " + ctx.request().method()
            + " refused"));
        return;
      }
    }
    ctx.next();
  }

  private static boolean loopbackName(String host) {
    String h = host.toLowerCase(java.util.Locale.ROOT);
    return h.equals("localhost") || h.startsWith("127.") || h.equals("::1")
        || h.equals("[::1]");
  }

  private static boolean tokenMatches(RoutingContext ctx, String token) {
    String auth = ctx.request().getHeader("Authorization");
    if (auth == null || !auth.startsWith("Bearer ")) {
      return false;
    }
    return MessageDigest.isEqual(auth.substring("Bearer ".length()).trim()
        .getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
  }

  // ---- helpers ----

  /** Runs blocking work on a worker thread; a failure goes to the failure handler. */
  private static <T> Future<T> blocking(RoutingContext ctx, Callable<T> work) {
    return ctx.vertx().<T>executeBlocking(work, false).onFailure(ctx::fail);
  }

  private static void json(RoutingContext ctx, JsonObject o) {
    if (!ctx.response().ended()) {
      ctx.response().putHeader("Content-Type", "application/json; charset=utf-8")
          .putHeader("Cache-Control", "no-store").end(o.encode());
    }
  }

  private static String single(RoutingContext ctx, String name) {
    List<String> all = ctx.queryParam(name);
    if (all.size() > 1) {
      throw ApiException.badRequest("query parameter " + name + " given " + all.size()
          + " times");
    }
    return all.isEmpty() ? null : all.get(0);
  }

  private static int intParam(RoutingContext ctx, String name, int dflt, int min, int max) {
    String v = single(ctx, name);
    if (v == null) {
      return dflt;
    }
    try {
      int i = Integer.parseInt(v.trim());
      if (i >= min && i <= max) {
        return i;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw ApiException.badRequest(name + " must be an integer in [" + min + ", " + max
        + "], got '" + (v.length() > 40 ? v.substring(0, 40) + "..." : v) + "'");
  }

  /**
   * Every error as JSON {@code {"error": "..."}}: the status of an {@link ApiException} or a
   * Vert.x {@link HttpException}, 400 for an {@link IllegalArgumentException}, the router's own
   * status (404, 405, ...) otherwise, 500 with the exception's class for anything unexpected
   * (logged).
   */
  static void failure(RoutingContext ctx) {
    Throwable t = ctx.failure();
    int code = ctx.statusCode();
    String message;
    if (t instanceof ApiException e) {
      code = e.status();
      message = e.getMessage();
    } else if (t instanceof HttpException e) {
      code = e.getStatusCode();
      message = e.getPayload() != null ? e.getPayload() : reason(code);
    } else if (t instanceof IllegalArgumentException) {
      code = 400;
      message = t.getMessage();
    } else if (t != null) {
      code = 500;
      message = "internal error (" + t.getClass().getSimpleName() + "): " + t.getMessage();
      LOG.warn("dashboard: {} {} failed", ctx.request().method(), ctx.request().path(), t);
    } else {
      code = code < 400 ? 500 : code;
      message = code == 404 ? "not found: " + ctx.normalizedPath() : reason(code);
    }
    var res = ctx.response();
    if (res.headWritten()) {
      if (!res.ended()) {
        res.end();
      }
      return;
    }
    res.setStatusCode(code).putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(new JsonObject().put("error", message == null ? reason(code) : message).encode());
  }

  private static String reason(int code) {
    return HttpResponseStatus.valueOf(code).reasonPhrase().toLowerCase(java.util.Locale.ROOT);
  }

  /** The Chart.js version on the classpath (its WebJar's Maven properties). */
  static String chartJsVersion() {
    Properties p = new Properties();
    try (InputStream in = DashboardServer.class.getClassLoader().getResourceAsStream(CHART_JS)) {
      if (in == null) {
        throw new IllegalStateException("the Chart.js WebJar (org.webjars.npm:chart.js) is not"
            + " on the classpath");
      }
      p.load(in);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + CHART_JS + ": " + e.getMessage(), e);
    }
    return p.getProperty("version");
  }
}
