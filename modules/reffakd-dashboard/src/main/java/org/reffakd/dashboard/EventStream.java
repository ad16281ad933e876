package org.reffakd.dashboard;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.reffakd.platform.bus.Addresses;

/**
 * {@code GET /api/events}: the platform's events as server-sent events. Each event's name says
 * which bus address it came from and its data is the message as JSON:
 * {@code progress} ({@link Addresses#PROGRESS}), {@code epoch} ({@link Addresses#EPOCH}),
 * {@code run_status} ({@link Addresses#RUN_STATUS}), {@code autoencoder_trained}
 * ({@link Addresses#AUTOENCODER_TRAINED}) and {@code softlabels_ready}
 * ({@link Addresses#SOFTLABELS_READY}, without the matrices: fetch the run for them). The
 * first event, {@code snapshot}, holds the live state of every run ({@code {runs: {id: ...}}}).
 * {@code ?run=ID} keeps one run's events only. A comment line every 15 s keeps proxies from
 * closing an idle stream; a client too slow to keep up misses progress events, never others.
 */
final class EventStream implements Handler<RoutingContext> {

  private static final Map<String, String> EVENTS = Map.of(
      Addresses.PROGRESS, "progress",
      Addresses.EPOCH, "epoch",
      Addresses.RUN_STATUS, "run_status",
      Addresses.AUTOENCODER_TRAINED, "autoencoder_trained",
      Addresses.SOFTLABELS_READY, "softlabels_ready");

  private final Vertx vertx;
  private final RunStatusBoard board;

  EventStream(Vertx vertx, RunStatusBoard board) {
    this.vertx = vertx;
    this.board = board;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String run = ctx.queryParams().get("run");
    if (run != null) {
      RunStore.checkId(run);
    }
    HttpServerResponse res = ctx.response();
    res.setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Accel-Buffering", "no");
    if (ctx.request().method() == HttpMethod.HEAD) {
      res.end();
      return;
    }
    HiddenPaths hide = DashboardServer.hidden(ctx);
    JsonObject snapshot = new JsonObject();
    board.all().forEach((id, live) -> {
      if (run == null || run.equals(id)) {
        snapshot.put(id, live);
      }
    });
    res.write("retry: 2000\n\n");
    send(res, hide, "snapshot", new JsonObject().put("runs", snapshot));
    List<MessageConsumer<Object>> consumers = new ArrayList<>();
    EVENTS.forEach((address, name) -> consumers.add(vertx.eventBus().<Object>consumer(
        address, m -> {
          if (!(m.body() instanceof JsonObject message)
              || (run != null && !run.equals(message.getString("run")))) {
            return;
          }
          JsonObject body = message;
          if (name.equals("progress") && res.writeQueueFull()) {
            return; // a slow client skips live progress, never epochs or status changes
          }
          if (name.equals("softlabels_ready")) { // Messages.SimilarityReply, less its matrices
            JsonObject rec = body.getValue("record") instanceof JsonObject r ? r
                : new JsonObject();
            body = new JsonObject().put("run", body.getString("run"))
                .put("dataset", rec.getString("dataset"))
                .put("classes", rec.getValue("classes"));
          }
          send(res, hide, name, body);
        })));
    long ping = vertx.setPeriodic(15_000, id -> {
      if (!res.closed()) {
        res.write(": ping\n\n");
      }
    });
    res.closeHandler(v -> {
      vertx.cancelTimer(ping);
      consumers.forEach(MessageConsumer::unregister);
    });
  }

  private static void send(HttpServerResponse res, HiddenPaths hide, String event,
                           JsonObject data) {
    if (!res.closed()) {
      res.write("event: " + event + "\ndata: " + hide.json(Json.finite(data)).encode()
          + "\n\n");
    }
  }
}
