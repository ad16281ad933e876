package org.reffakd.dashboard;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reffakd.platform.bus.Addresses;

/**
 * The live state of runs, as the event bus tells it: {@link Addresses#RUN_STATUS} sets the
 * status ({@code running} after {@code started}, then {@code finished} or {@code failed});
 * {@link Addresses#PROGRESS} and {@link Addresses#EPOCH} mark a run {@code running} (runs whose
 * RUN_STATUS was not seen, e.g. trained by {@code reffakd run}) and keep its stage and epoch.
 * Holds the last {@value #MAX_RUNS} runs. Updated on an event loop, read from any thread.
 */
final class RunStatusBoard {

  static final int MAX_RUNS = 1000;

  private final Map<String, JsonObject> runs = Collections.synchronizedMap(
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JsonObject> e) {
          return size() > MAX_RUNS;
        }
      });
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();

  RunStatusBoard(Vertx vertx) {
    consumers.add(vertx.eventBus().<Object>consumer(Addresses.RUN_STATUS,
        m -> onStatus(json(m.body()))));
    consumers.add(vertx.eventBus().<Object>consumer(Addresses.PROGRESS,
        m -> onProgress(json(m.body()), false)));
    consumers.add(vertx.eventBus().<Object>consumer(Addresses.EPOCH,
        m -> onProgress(json(m.body()), true)));
  }

  private static JsonObject json(Object body) {
    return body instanceof JsonObject o ? o : null;
  }

  void close() {
    consumers.forEach(MessageConsumer::unregister);
  }

  /** The live state of one run, or null when no event named it. */
  JsonObject get(String run) {
    JsonObject o = runs.get(run);
    return o == null ? null : o.copy();
  }

  /** Every run an event named, most recently updated last. */
  Map<String, JsonObject> all() {
    synchronized (runs) {
      Map<String, JsonObject> copy = new LinkedHashMap<>();
      runs.forEach((k, v) -> copy.put(k, v.copy()));
      return copy;
    }
  }

  void onStatus(JsonObject m) {
    if (m == null || m.getString("run") == null || m.getString("status") == null) {
      return;
    }
    String status = switch (m.getString("status")) {
      case "started", "running" -> "running";
      case "finished" -> "finished";
      case "failed" -> "failed";
      default -> null;
    };
    if (status == null) {
      return;
    }
    update(m.getString("run"), o -> {
      o.put("status", status);
      for (String k : List.of("dir", "dataset", "loss", "error")) {
        if (m.getValue(k) != null) {
          o.put(k, m.getValue(k));
        }
      }
      if (!status.equals("failed")) {
        o.remove("error");
      }
    });
  }

  void onProgress(JsonObject m, boolean epochEnd) {
    if (m == null || m.getString("run") == null) {
      return;
    }
    update(m.getString("run"), o -> {
      if (!"finished".equals(o.getString("status")) && !"failed".equals(o.getString("status"))) {
        o.put("status", "running");
      }
      o.put("stage", m.getString("stage"));
      o.put("epoch", m.getValue("epoch"));
      o.put("epochs", m.getValue("epochs"));
      if (epochEnd) {
        o.put("done", null).put("total", null);
      } else {
        o.put("done", m.getValue("done")).put("total", m.getValue("total"));
      }
    });
  }

  private void update(String run, java.util.function.Consumer<JsonObject> change) {
    synchronized (runs) {
      JsonObject o = runs.get(run);
      o = o == null ? new JsonObject().put("run", run) : o.copy();
      change.accept(o);
      o.put("updated", System.currentTimeMillis());
      runs.put(run, o);
    }
  }
}
