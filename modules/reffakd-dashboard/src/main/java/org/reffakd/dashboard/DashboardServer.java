package org.reffakd.dashboard;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.buffer.Buffer;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.reffakd.platform.Platform;
import org.reffakd.platform.metrics.PlatformMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web dashboard: a static page (Chart.js from its WebJar) over a JSON API, a live event
 * stream and the Prometheus endpoint.
 *
 * <table>
 *   <caption>Endpoints (all GET and HEAD; errors are {@code {"error": "..."}} with a 4xx/5xx
 *   status)</caption>
 *   <tr><td>{@code /}</td><td>the page: runs and studies, one run ({@code #/run/ID}), a
 *       comparison ({@code #/compare?runs=A,B}), one study ({@code #/study/ID})</td></tr>
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
 *   <tr><td>{@code /api/runs/ID/models/NAME.onnx}</td><td>download of a model that
 *       {@code reffakd export --out RUN/NAME.onnx} wrote into the run folder (the details list
 *       them under {@code models}, each with its model card)</td></tr>
 *   <tr><td>{@code /api/studies}</td><td>{@code {studies: [{id, dataset, jobs, jobs_done,
 *       modified}]}}, newest first: the folders under the runs root (or the root itself) that
 *       hold a study.json ({@link StudyStore})</td></tr>
 *   <tr><td>{@code /api/studies/ID}</td><td>study.json as written, plus {@code plots} (PNG
 *       names), {@code plot_captions}, {@code jobs_total}, {@code jobs_done} and
 *       {@code modified}; read again on every request (the study rewrites it after each
 *       job)</td></tr>
 *   <tr><td>{@code /api/studies/ID/plots/NAME.png}</td><td>one of the study's plots
 *       (image/png)</td></tr>
 *   <tr><td>{@code /api/events[?run=ID]}</td><td>server-sent events, see {@link EventStream}</td></tr>
 *   <tr><td>{@code /metrics}</td><td>Prometheus text ({@link PlatformMetrics#scrape()})</td></tr>
 *   <tr><td>{@code /health}</td><td>{@code {"status": "ok"}}</td></tr>
 *   <tr><td>{@code /login?token=T}</td><td>sets the session cookie, redirects to {@code /}</td></tr>
 * </table>
 *
 * <p>Safety: binds {@code 127.0.0.1} by default and refuses any other interface without a token
 * ({@link DashboardOptions#validate()}). Off loopback every request but {@code /health} (for
 * probes; it says nothing) must carry the token: {@code Authorization: Bearer <token>}, or the
 * HttpOnly, SameSite=Strict cookie that {@code GET /login?token=<token>} sets (the page's
 * requests and its EventSource send it); tokens are compared in constant time; and no absolute
 * path of the server leaves it ({@link HiddenPaths}). On loopback a token, when given, guards
 * every request other than GET, HEAD and OPTIONS (routes added later through {@link #router}
 * that start or stop work are covered too), and a Host header other than {@code localhost},
 * {@code 127.x.y.z} or {@code [::1]} (with an optional port) is refused (DNS rebinding). A
 * cross-origin POST/PUT/DELETE is refused. HEAD is answered wherever GET is; every error,
 * including the 414 and 431 Vert.x answers before routing, has a JSON body. Static files come
 * from the {@code webroot} folder of the classpath through {@link StaticHandler}, which never
 * serves outside it. Every file read and the reconstructions run on worker threads.
 */
public final class DashboardServer {

  private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
  private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD,
      HttpMethod.OPTIONS);
  private static final int MAX_COMPARE = 12;
  private static final String CHART_JS = "META-INF/maven/org.webjars.npm/chart.js/pom.properties";

  private DashboardServer() {}

  /**
   * Starts the web dashboard and /metrics on a platform's Vert.x, with its metrics, and waits
   * for it. Fails (with the reason) when the port is taken or the options are unsafe.
   */
  public static HttpServer start(Platform platform, DashboardOptions options) {
    return Platform.await(start(platform.vertx(), options, platform.metrics()));
  }

  /**
   * Starts the dashboard on {@code options.host():options.port()}.
   *
   * @return the listening server ({@code actualPort()} is the port when options asked for 0);
   *         failed with an {@link IllegalArgumentException} when the options are unsafe (a
   *         non-loopback host without a token), or with the bind error
   */
  public static Future<HttpServer> start(Vertx vertx, DashboardOptions options,
                                         PlatformMetrics metrics) {
    return start(vertx, options, metrics, options.host());
  }

  /**
   * Starts the dashboard with the rules of {@code options.host()} on {@code bindHost}: lets a
   * test serve an off-loopback configuration on 127.0.0.1.
   */
  static Future<HttpServer> start(Vertx vertx, DashboardOptions options, PlatformMetrics metrics,
                                  String bindHost) {
    Router router;
    try {
      router = router(vertx, options, metrics);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return vertx.createHttpServer(new HttpServerOptions().setHost(bindHost)
            .setPort(options.port()))
        .requestHandler(router).invalidRequestHandler(DashboardServer::invalid).listen()
        .recover(e -> Future.failedFuture(e instanceof java.net.BindException
            || String.valueOf(e.getMessage()).contains("Address already in use")
            ? new IllegalStateException("dashboard cannot listen on " + bindHost + ":"
                + options.port() + ": " + e.getMessage() + " (another process holds the port:"
                + " choose another with --port, or 0 for any free port)", e) : e))
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
    StudyStore studies = new StudyStore(options.runsRoot());
    RunStatusBoard board = new RunStatusBoard(vertx);
    Reconstructions recon = new Reconstructions(vertx);
    String chartJs = chartJsVersion();

    Router r = Router.router(vertx);
    boolean loopback = options.loopback();
    HiddenPaths hide = loopback ? HiddenPaths.NONE : HiddenPaths.under(store.root());
    r.route().handler(ctx -> guard(ctx, options, loopback, hide));

    get(r, "/health").handler(ctx -> json(ctx, new JsonObject().put("status", "ok")));
    get(r, "/login").handler(ctx -> login(ctx, options));
    get(r, "/metrics").handler(ctx -> blocking(ctx, metrics::scrape).onSuccess(text -> {
      ctx.response().putHeader("Content-Type", PlatformMetrics.contentType())
          .putHeader("Cache-Control", "no-store");
      end(ctx, text);
    }));

    get(r, "/api/runs").handler(ctx -> {
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
        return new JsonObject().put("root", hide.hides() ? HiddenPaths.HIDDEN
                : store.root().toString())
            .put("runs", new JsonArray(new ArrayList<>(runs)));
      }).onSuccess(o -> json(ctx, o));
    });
    get(r, "/api/runs/:id").handler(ctx -> {
      String id = RunStore.checkId(ctx.pathParam("id"));
      blocking(ctx, () -> store.details(id, board.get(id))).onSuccess(o -> json(ctx, o));
    });
    get(r, "/api/runs/:id/metrics").handler(ctx -> {
      String id = RunStore.checkId(ctx.pathParam("id"));
      String stage = single(ctx, "stage");
      if (stage != null && !stage.equals("student") && !stage.equals("autoencoder")) {
        throw ApiException.badRequest("stage must be student or autoencoder, got '" + stage
            + "'");
      }
      blocking(ctx, () -> store.metrics(id, board.get(id), stage)).onSuccess(o -> json(ctx, o));
    });
    get(r, "/api/runs/:id/reconstructions").handler(ctx -> {
      String id = RunStore.checkId(ctx.pathParam("id"));
      int n = intParam(ctx, "n", 8, 1, Reconstructions.MAX_IMAGES);
      blocking(ctx, () -> store.dir(id, board.get(id)))
          .compose(dir -> recon.of(id, dir, n))
          .onSuccess(o -> json(ctx, o))
          .onFailure(ctx::fail);
    });
    get(r, "/api/runs/:id/models/:name").handler(ctx -> {
      String id = RunStore.checkId(ctx.pathParam("id"));
      String name = ctx.pathParam("name");
      blocking(ctx, () -> RunStore.modelFile(store.dir(id, board.get(id)), name))
          .onSuccess(file -> {
            ctx.response().putHeader("Content-Type", "application/octet-stream")
                .putHeader("Content-Disposition", "attachment; filename=\"" + name + "\"")
                .putHeader("Cache-Control", "no-store");
            if (ctx.request().method() == HttpMethod.HEAD) {
              ctx.response().end();
            } else {
              ctx.response().sendFile(file.toString());
            }
          });
    });
    get(r, "/api/compare").handler(ctx -> {
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
    get(r, "/api/studies").handler(ctx -> blocking(ctx, () -> new JsonObject()
        .put("studies", new JsonArray(new ArrayList<>(studies.list()))))
        .onSuccess(o -> json(ctx, o)));
    get(r, "/api/studies/:id").handler(ctx -> {
      String id = ctx.pathParam("id");
      blocking(ctx, () -> studies.details(id)).onSuccess(o -> json(ctx, o));
    });
    get(r, "/api/studies/:id/plots/:name").handler(ctx -> {
      String id = ctx.pathParam("id");
      String name = ctx.pathParam("name");
      blocking(ctx, () -> studies.plot(id, name)).onSuccess(png -> {
        // the page asks for ?t=<study modified>, so a rewritten plot is a new URL; a reader
        // without it revalidates
        ctx.response().putHeader("Content-Type", "image/png")
            .putHeader("Cache-Control", "no-cache");
        if (ctx.request().method() == HttpMethod.HEAD) {
          ctx.response().putHeader("Content-Length", String.valueOf(png.length)).end();
        } else {
          ctx.response().end(Buffer.buffer(png));
        }
      });
    });
    get(r, "/api/events").handler(new EventStream(vertx, board));
    r.route("/api/*").handler(ctx -> ctx.fail(ApiException.notFound("no endpoint "
        + ctx.request().method() + " " + ctx.normalizedPath())));

    // Chart.js from its WebJar, under a stable name the page can load
    get(r, "/vendor/chart.umd.js").handler(ctx ->
        ctx.reroute("/webjars/chart.js/" + chartJs + "/dist/chart.umd.js"));
    get(r, "/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars")
        .setCachingEnabled(true).setMaxAgeSeconds(86400).setDirectoryListing(false));
    get(r, "/*").handler(StaticHandler.create("webroot").setCachingEnabled(false)
        .setDirectoryListing(false).setIncludeHidden(false).setIndexPage("index.html"));

    r.route().failureHandler(DashboardServer::failure);
    for (int code : new int[] {400, 401, 403, 404, 405, 406, 413, 414, 415, 500, 501}) {
      r.errorHandler(code, DashboardServer::failure);
    }
    return r;
  }

  /** A GET route that answers HEAD too (same headers, no body). */
  private static Route get(Router r, String path) {
    return r.route(path).method(HttpMethod.GET).method(HttpMethod.HEAD);
  }

  // ---- safety ----

  private static final String COOKIE = "reffakd_session";
  private static final String HIDE = "reffakd.hiddenPaths";

  private static void guard(RoutingContext ctx, DashboardOptions options, boolean loopback,
                            HiddenPaths hide) {
    ctx.put(HIDE, hide);
    var res = ctx.response();
    res.putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
            + "style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; "
            + "frame-ancestors 'none'");
    String host = ctx.request().getHeader("Host");
    if (loopback && !loopbackHost(host != null ? host : authority(ctx))) {
      ctx.fail(new ApiException(403, "this dashboard listens on " + options.host()
          + " and answers requests for localhost only"));
      return;
    }
    // off loopback every request needs the token (but /login, which checks it, and /health, for
    // probes: it says nothing); on loopback, requests that are not reads
    String path = ctx.normalizedPath();
    boolean open = path.equals("/login") || path.equals("/health");
    if (options.token() != null && (loopback ? !SAFE.contains(ctx.request().method()) : !open)
        && !tokenMatches(ctx, options.token())) {
      res.putHeader("WWW-Authenticate", "Bearer");
      ctx.fail(new ApiException(401, (loopback ? ctx.request().method() + " needs"
          : "this dashboard needs") + " the dashboard token: send 'Authorization: Bearer"
          + " <token>', or open /login?token=<token> once in the browser"));
      return;
    }
    if (!SAFE.contains(ctx.request().method())) {
      String origin = ctx.request().getHeader("Origin");
      String authority = authority(ctx);
      if (origin != null && authority != null && !origin.equals("http://" + authority)
          && !origin.equals("https://" + authority)) {
        ctx.fail(new ApiException(403, "cross-origin " + ctx.request().method()
            + " refused"));
        return;
      }
    }
    ctx.next();
  }

  /** The request's authority (HTTP/2's :authority), or null when it has none or a bad one. */
  private static String authority(RoutingContext ctx) {
    try {
      HostAndPort a = ctx.request().authority();
      return a == null ? null : a.toString();
    } catch (RuntimeException e) {
      return null; // Vert.x: "the 'Host' header is required" for a Host it cannot parse
    }
  }

  /** {@code localhost}, an IPv4 loopback literal (127.x.y.z) or {@code [::1]}; then :port. */
  private static final Pattern LOOPBACK_HOST = Pattern.compile(
      "(?i)(localhost|127\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})|\\[::1\\])(:\\d{1,5})?");

  /**
   * Whether the Host header names this machine's loopback exactly: {@code localhost},
   * {@code 127.x.y.z} or {@code [::1]}, optionally with a port. Anything else (an empty Host,
   * {@code 127.0.0.1.evil.com}, {@code localhost.evil.com}, user info) is refused: a DNS
   * rebinding page names its own host.
   */
  static boolean loopbackHost(String host) {
    if (host == null) {
      return false;
    }
    Matcher m = LOOPBACK_HOST.matcher(host);
    if (!m.matches()) {
      return false;
    }
    for (int g = 2; g <= 4; g++) {
      if (m.group(g) != null && Integer.parseInt(m.group(g)) > 255) {
        return false;
      }
    }
    return m.group(5) == null || Integer.parseInt(m.group(5).substring(1)) <= 65535;
  }

  /** {@code Authorization: Bearer <token>}, or the cookie {@code /login} sets. */
  private static boolean tokenMatches(RoutingContext ctx, String token) {
    String auth = ctx.request().getHeader("Authorization");
    if (auth != null && auth.startsWith("Bearer ")) {
      return equal(auth.substring("Bearer ".length()).trim(), token);
    }
    Cookie c = ctx.request().getCookie(COOKIE);
    return c != null && equal(c.getValue(), session(token));
  }

  private static boolean equal(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8),
        b.getBytes(StandardCharsets.UTF_8));
  }

  /** The cookie's value: a digest of the token, so that the cookie does not hold the token. */
  private static String session(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
          ("reffakd-dashboard-session\0" + token).getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code GET /login?token=T}: with the right token, sets an HttpOnly, SameSite=Strict session
   * cookie (which the page's requests and its event stream send) and redirects to the page.
   */
  private static void login(RoutingContext ctx, DashboardOptions options) {
    if (options.token() != null) {
      String given = single(ctx, "token");
      if (given == null || !equal(given, options.token())) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        throw new ApiException(401, "wrong or missing token: open /login?token=<token>");
      }
      ctx.response().addCookie(Cookie.cookie(COOKIE, session(options.token())).setPath("/")
          .setHttpOnly(true).setSameSite(CookieSameSite.STRICT));
    }
    ctx.response().setStatusCode(303).putHeader("Location", "/")
        .putHeader("Cache-Control", "no-store").end();
  }

  // ---- helpers ----

  /** Runs blocking work on a worker thread; a failure goes to the failure handler. */
  private static <T> Future<T> blocking(RoutingContext ctx, Callable<T> work) {
    return ctx.vertx().<T>executeBlocking(work, false).onFailure(ctx::fail);
  }

  private static void json(RoutingContext ctx, JsonObject o) {
    if (!ctx.response().ended()) {
      ctx.response().putHeader("Content-Type", "application/json; charset=utf-8")
          .putHeader("Cache-Control", "no-store");
      end(ctx, hidden(ctx).json(o).encode());
    }
  }

  /** Ends with {@code body}, or with its length only when the request is a HEAD. */
  private static void end(RoutingContext ctx, String body) {
    if (ctx.request().method() == HttpMethod.HEAD) {
      ctx.response().putHeader("Content-Length", String.valueOf(
          body.getBytes(StandardCharsets.UTF_8).length)).end();
    } else {
      ctx.response().end(body);
    }
  }

  /** What this request may see of the server's paths (everything on loopback). */
  static HiddenPaths hidden(RoutingContext ctx) {
    HiddenPaths h = ctx.get(HIDE);
    return h == null ? HiddenPaths.NONE : h;
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
    } else if (t instanceof VertxException && t.getMessage() != null
        && t.getMessage().contains("'Host' header")) {
      code = 400; // a Host Vert.x cannot parse (127.0.0.1@evil.com)
      message = "malformed Host header";
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
    message = hidden(ctx).text(message, ctx.request().path());
    res.setStatusCode(code).putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store");
    end(ctx, new JsonObject().put("error", message == null ? reason(code) : message).encode());
  }

  /**
   * A request Vert.x could not decode, before any route: 414 for a request line over
   * {@link HttpServerOptions#DEFAULT_MAX_INITIAL_LINE_LENGTH} bytes, 431 for headers over
   * {@link HttpServerOptions#DEFAULT_MAX_HEADER_SIZE}, 400 otherwise; as JSON like every error,
   * and the connection is closed.
   */
  static void invalid(HttpServerRequest req) {
    Throwable cause = req.decoderResult().cause();
    int code = cause instanceof TooLongHttpLineException ? 414
        : cause instanceof TooLongHttpHeaderException ? 431 : 400;
    String message = switch (code) {
      case 414 -> "request line too long: the URI must fit in "
          + HttpServerOptions.DEFAULT_MAX_INITIAL_LINE_LENGTH + " bytes";
      case 431 -> "request headers too large: at most " + HttpServerOptions.DEFAULT_MAX_HEADER_SIZE
          + " bytes in all";
      default -> "malformed request" + (cause == null || cause.getMessage() == null ? ""
          : ": " + cause.getMessage());
    };
    req.response().setStatusCode(code)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store").putHeader("Connection", "close")
        .end(new JsonObject().put("error", message).encode())
        .onComplete(v -> req.connection().close());
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
