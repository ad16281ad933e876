package org.reffakd.platform.pipeline;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.reffakd.nn.run.ArtifactStore;
import org.reffakd.nn.run.AutoencoderStage;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.nn.run.RunDir;
import org.reffakd.nn.run.SoftLabelStage;
import org.reffakd.nn.run.Teachers;
import org.reffakd.nn.train.Progress;
import org.reffakd.nn.util.Logs;
import org.reffakd.platform.bus.Addresses;
import org.reffakd.platform.bus.Messages;

/**
 * Drives runs through the stage verticles over the event bus. A run is autoencoder, then
 * similarity, then distillation; each request carries the config and references only (the
 * encoder's SHA-256, the soft-label key, the teacher's SHA-256), so a stage may run in any
 * JVM that has the same artefact store and Kafka cluster. Publishes {@link
 * Addresses#RUN_STATUS} when a run starts, finishes or fails. Non-blocking: every stage runs on
 * the training worker pool.
 */
public final class Pipeline {

  private static final System.Logger LOG = Logs.of(Pipeline.class);

  /** Stages take minutes or hours; the bus's 30 s default reply timeout would cut them off. */
  private static final DeliveryOptions LONG = new DeliveryOptions()
      .setSendTimeout(TimeUnit.DAYS.toMillis(30));

  private final Vertx vertx;
  private final ArtifactStore artifacts;

  public Pipeline(Vertx vertx, ArtifactStore artifacts) {
    this.vertx = vertx;
    this.artifacts = artifacts;
  }

  public ArtifactStore artifacts() {
    return artifacts;
  }

  /**
   * Starts a whole run. The returned future completes with the run's result (result.json) or
   * fails with the first stage's error message.
   *
   * @param id        run id (the run directory's name is a good one)
   * @param fromTopic train from the dataset's Kafka samples topic instead of its files
   * @param console   where this run's progress events are also reported (the terminal)
   */
  public Future<JsonObject> run(String id, RunConfig cfg, Path runDir, boolean fromTopic,
                                Progress console) {
    EventBus bus = vertx.eventBus();
    Messages.TeacherArtifact teacher;
    try {
      org.reffakd.nn.run.RunResult done = RunDir.finished(cfg, runDir);
      if (done != null) { // resuming a finished run changes nothing
        return Future.succeededFuture(Messages.json(done));
      }
      RunDir.prepare(cfg, runDir);
      teacher = cfg.objective().teacher() == null ? null : teacherRef(Path.of(cfg.objective().teacher()));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    List<MessageConsumer<JsonObject>> listeners = forward(id, console);
    JsonObject status = new JsonObject().put("run", id).put("dir", runDir.toString())
        .put("dataset", cfg.dataset()).put("loss", cfg.objective().name());
    bus.publish(Addresses.RUN_STATUS, status.copy().put("status", "started"));
    Map<String, Double> timings = new LinkedHashMap<>();
    AutoencoderStage.Output[] ae = new AutoencoderStage.Output[1];
    return autoencoder(id, cfg, runDir, fromTopic)
        .compose(a -> {
          ae[0] = a.output();
          timings.put("data", a.dataSeconds());
          timings.put("autoencoder", a.output().seconds());
          return softLabels(id, cfg, a.output().encoderSha256(), fromTopic);
        })
        .compose(s -> {
          timings.put("soft_labels", s.seconds());
          SoftLabelStage.logSoftLabels(Logs.info(LOG), s.record());
          return request(Addresses.DISTILL, new Messages.DistillRequest(id, cfg,
              runDir.toString(), s.record().key(), fromTopic, teacher,
              ae[0].upstream(timings)), JsonObject.class);
        })
        .onComplete(ar -> {
          listeners.forEach(MessageConsumer::unregister);
          if (ar.succeeded()) {
            // the timings travel with the status: metrics then need not read result.json, a
            // file read that could finish after the CLI closed Vert.x (an error at exit)
            bus.publish(Addresses.RUN_STATUS, status.copy().put("status", "finished")
                .put("test_accuracy", ar.result().getValue("test_accuracy"))
                .put("timings_s", ar.result().getValue("timings_s")));
          } else {
            bus.publish(Addresses.RUN_STATUS, status.copy().put("status", "failed")
                .put("error", ar.cause().getMessage()));
          }
        });
  }

  /** Trains (or resumes in workDir) an autoencoder; the reply names the encoder artefact. */
  public Future<Messages.AutoencoderReply> autoencoder(String id, RunConfig cfg, Path workDir,
                                                       boolean fromTopic) {
    return request(Addresses.AUTOENCODER_TRAIN, new Messages.AutoencoderRequest(id, cfg,
        workDir.toString(), fromTopic), Messages.AutoencoderReply.class);
  }

  /** Computes and publishes a soft-label record; the reply carries it. */
  public Future<Messages.SimilarityReply> softLabels(String id, RunConfig cfg,
                                                     String encoderSha256, boolean fromTopic) {
    return request(Addresses.SIMILARITY_COMPUTE, new Messages.SimilarityRequest(id, cfg,
        encoderSha256, fromTopic), Messages.SimilarityReply.class);
  }

  /**
   * Trains a student from a soft-label key (and a teacher reference from {@link #teacherRef},
   * or null); the reply is the result (result.json).
   */
  public Future<JsonObject> distill(Messages.DistillRequest req) {
    return request(Addresses.DISTILL, req, JsonObject.class);
  }

  /** A teacher directory as a reference: its weights put in the store, its descriptor. */
  public Messages.TeacherArtifact teacherRef(Path teacherDir) {
    Teachers.Ref ref = Teachers.ref(teacherDir);
    return new Messages.TeacherArtifact(artifacts.put(ref.weights()), ref.descriptor());
  }

  /** Passes this run's progress and epoch events on to the console. */
  private List<MessageConsumer<JsonObject>> forward(String id, Progress console) {
    EventBus bus = vertx.eventBus();
    MessageConsumer<JsonObject> p = bus.consumer(Addresses.PROGRESS, m -> {
      JsonObject b = m.body();
      if (id.equals(b.getString("run"))) {
        console.batch(b.getString("stage"), b.getInteger("epoch"), b.getInteger("epochs"),
            b.getInteger("done"), b.getInteger("total"), b.getDouble("loss"),
            b.getDouble("images_per_s"));
      }
    });
    MessageConsumer<JsonObject> e = bus.consumer(Addresses.EPOCH, m -> {
      JsonObject b = m.body();
      if (id.equals(b.getString("run"))) {
        console.epoch(b.getString("stage"), b.getInteger("epoch"), b.getInteger("epochs"),
            b.getString("summary"), b.getJsonObject("row")::getMap);
      }
    });
    return List.of(p, e);
  }

  /** A request as its record, the reply decoded into its type (one codec: {@link Messages}). */
  private <T> Future<T> request(String address, Object body, Class<T> reply) {
    return vertx.eventBus().<JsonObject>request(address, Messages.json(body), LONG)
        .map(m -> reply == JsonObject.class ? reply.cast(m.body())
            : Messages.read(m.body(), reply))
        .recover(e -> Future.failedFuture(e instanceof ReplyException re
            ? new IllegalArgumentException(re.getMessage(), re) : e));
  }
}
