package org.reffakd.platform.pipeline;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.nn.run.RunData;
import org.reffakd.nn.train.Progress;
import org.reffakd.platform.bus.BusProgress;
import org.reffakd.platform.bus.Messages;

/**
 * A stage of the pipeline as a thin adapter: it listens on one address, runs the stage on the
 * training worker pool (never on the event loop) with everything taken from the request
 * (config, references to artefacts and soft labels), replies with the stage's output and
 * publishes its event. The logic lives in reffakd-nn's stage services.
 */
abstract class StageVerticle<R extends Messages.StageRequest> extends VerticleBase {

  /** One training thread per JVM: the engine already uses every core for one stage. */
  static final String TRAINING_POOL = "reffakd-training";

  private final String address;
  private final Class<R> requestType;
  protected final StageServices services;
  private WorkerExecutor worker;

  StageVerticle(String address, Class<R> requestType, StageServices services) {
    this.address = address;
    this.requestType = requestType;
    this.services = services;
  }

  /**
   * The stage itself: blocking, on the training thread, given its request, the request's config
   * (validated) and its data (loaded from the files or the samples topic in {@code dataSeconds}).
   * Its reply: a record of {@link Messages} or a JSON object (a result), sent as JSON.
   */
  protected abstract Object run(R request, RunConfig cfg, RunData data, double dataSeconds,
                                Progress progress) throws Exception;

  /** Reads the request, validates its config, loads its data, runs the stage. */
  private Object open(JsonObject message, Progress progress) throws Exception {
    R req = Messages.read(message, requestType);
    if (req.config() == null) {
      throw new IllegalArgumentException("request without a config");
    }
    RunConfig cfg = req.config().validate();
    long t = System.nanoTime();
    RunData data = services.data(cfg, req.fromTopic());
    return run(req, cfg, data, (System.nanoTime() - t) / 1e9, progress);
  }

  /** The event published after a successful stage (null for none). */
  protected String eventAddress() {
    return null;
  }

  @Override
  public Future<?> start() {
    worker = vertx.createSharedWorkerExecutor(TRAINING_POOL, 1, 30, TimeUnit.DAYS);
    return vertx.eventBus().<JsonObject>consumer(address, this::handle).completion();
  }

  private void handle(Message<JsonObject> msg) {
    JsonObject req = msg.body();
    String id = req.getString("run");
    Progress progress = new BusProgress(vertx.eventBus(), id, Progress.NONE);
    worker.executeBlocking(() -> open(req, progress)).onComplete(ar -> {
      if (ar.succeeded()) {
        JsonObject reply = Messages.json(ar.result());
        if (reply.getValue("run") == null) {
          reply.put("run", id);
        }
        if (eventAddress() != null) {
          vertx.eventBus().publish(eventAddress(), reply);
        }
        msg.reply(reply);
      } else {
        Throwable e = ar.cause();
        msg.fail(500, e.getMessage() == null ? e.toString() : e.getMessage());
      }
    });
  }

  // the worker executor is closed by Vert.x when the verticle is undeployed; closing it here
  // too raced the event loops' shutdown (RejectedExecutionException at exit)
}
