package org.reffakd.platform.pipeline;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.reffakd.nn.run.ReffakdRun;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.nn.train.Progress;
import org.reffakd.platform.bus.Addresses;
import org.reffakd.platform.bus.BusProgress;

/**
 * Drives one run through the stage verticles over the event bus, in order: load (from files or
 * the samples topic), autoencoder, similarity, distillation. Publishes {@link
 * Addresses#RUN_STATUS} when the run starts, finishes or fails. Non-blocking: every stage runs
 * on the training worker pool.
 */
public final class Pipeline {

  /** Stages take minutes or hours; the bus's 30 s default reply timeout would cut them off. */
  private static final DeliveryOptions LONG = new DeliveryOptions()
      .setSendTimeout(TimeUnit.DAYS.toMillis(30));

  private final Vertx vertx;
  private final RunRegistry runs;

  public Pipeline(Vertx vertx, RunRegistry runs) {
    this.vertx = vertx;
    this.runs = runs;
  }

  /**
   * Starts a run. The returned future completes with the run's result (result.json) or fails
   * with the first stage's error message.
   *
   * @param id        run id (unique among runs in flight; the run directory's name is a
   *                  good one)
   * @param fromTopic train from the dataset's Kafka samples topic instead of its files
   * @param console   where progress is also reported (the terminal)
   */
  public Future<JsonObject> run(String id, RunConfig cfg, Path runDir, boolean fromTopic,
                                Progress console) {
    EventBus bus = vertx.eventBus();
    ReffakdRun run;
    try {
      run = new ReffakdRun(cfg, runDir, new BusProgress(bus, id, console), System.out);
      runs.put(id, run);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    JsonObject status = new JsonObject().put("run", id).put("dir", runDir.toString())
        .put("dataset", cfg.dataset()).put("loss", cfg.loss());
    bus.publish(Addresses.RUN_STATUS, status.copy().put("status", "started"));
    JsonObject req = new JsonObject().put("run", id).put("from_topic", fromTopic);
    return this.<JsonObject>request(Addresses.LOAD, req)
        .compose(x -> request(Addresses.AUTOENCODER_TRAIN, req))
        .compose(x -> request(Addresses.SIMILARITY_COMPUTE, req))
        .compose(x -> this.<JsonObject>request(Addresses.DISTILL, req))
        .onComplete(ar -> {
          runs.remove(id);
          if (ar.succeeded()) {
            bus.publish(Addresses.RUN_STATUS, status.copy().put("status", "finished")
                .put("test_accuracy", ar.result().getValue("test_accuracy")));
          } else {
            bus.publish(Addresses.RUN_STATUS, status.copy().put("status", "failed")
                .put("error", ar.cause().getMessage()));
          }
        });
  }

  private <T> Future<T> request(String address, JsonObject body) {
    return vertx.eventBus().<T>request(address, body, LONG).map(Message::body)
        .recover(e -> Future.failedFuture(e instanceof ReplyException re
            ? new IllegalArgumentException(re.getMessage(), re) : e));
  }
}
