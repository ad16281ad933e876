package org.reffakd.platform.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.reffakd.nn.run.FashionIdx;
import org.reffakd.nn.run.DirectRun;
import org.reffakd.nn.run.ArtifactStore;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.nn.train.Progress;
import org.reffakd.platform.bus.Addresses;

/**
 * A run driven by the stage verticles over the event bus gives exactly the result of the same
 * run executed directly, and the bus carries its events: run started/finished, progress,
 * epochs, autoencoder trained, soft labels ready.
 */
@ExtendWith(VertxExtension.class)
class PipelineTest {

  @TempDir
  static Path tmp;
  @RegisterExtension
  static final FashionIdx data = new FashionIdx(() -> tmp, 2000, 500);

  static RunConfig config() {
    return data.tinyConfig(2, 200).withSeed(11);
  }

  static Future<String> deployStages(Vertx vertx, StageServices services) {
    return vertx.deployVerticle(new Stages.Autoencoder(services))
        .compose(x -> vertx.deployVerticle(new Stages.Similarity(services)))
        .compose(x -> vertx.deployVerticle(new Stages.Distillation(services)));
  }

  static StageServices services() {
    return new StageServices(DataSource.FILES, null, new ArtifactStore(tmp.resolve("artifacts")),
        SoftLabelStore.inMemory(), ResultSink.NONE);
  }

  @Test
  void aRunOverTheBusMatchesTheDirectRun(Vertx vertx, VertxTestContext ctx) throws Exception {
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    org.reffakd.nn.run.RunResult direct = new DirectRun(config(), tmp.resolve("direct"), Progress.NONE,
        quiet).execute();

    Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    for (String a : List.of(Addresses.RUN_STATUS, Addresses.PROGRESS, Addresses.EPOCH,
        Addresses.AUTOENCODER_TRAINED, Addresses.SOFTLABELS_READY)) {
      vertx.eventBus().<JsonObject>consumer(a, m -> {
        if ("bus-run".equals(m.body().getString("run"))) {
          seen.computeIfAbsent(a, k -> new AtomicInteger()).incrementAndGet();
        }
      });
    }
    StageServices services = services();
    deployStages(vertx, services)
        .compose(x -> new Pipeline(vertx, services.artifacts()).run("bus-run", config(),
            tmp.resolve("bus"), false, Progress.NONE))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertEquals(org.reffakd.platform.bus.Messages.json(direct).getValue("test_accuracy"),
              result.getValue("test_accuracy"));
          assertEquals(org.reffakd.platform.bus.Messages.json(direct).getValue("soft_labels"),
              result.getValue("soft_labels"));
          // the encoder went through the store: the same content, the same name
          assertEquals(org.reffakd.platform.bus.Messages.json(direct).getValue("encoder_sha256"),
              result.getValue("encoder_sha256"));
          vertx.setTimer(200, t -> ctx.verify(() -> {
            assertEquals(2, seen.get(Addresses.RUN_STATUS).get(), "started + finished");
            assertEquals(3, seen.get(Addresses.EPOCH).get(), "1 autoencoder + 2 student epochs");
            assertEquals(1, seen.get(Addresses.AUTOENCODER_TRAINED).get());
            assertEquals(1, seen.get(Addresses.SOFTLABELS_READY).get());
            ctx.completeNow();
          }));
        })));
    assertTrue(ctx.awaitCompletion(3, TimeUnit.MINUTES));
    if (ctx.failed()) {
      throw new AssertionError(ctx.causeOfFailure());
    }
  }

  @Test
  void aFailingStageFailsTheRunWithItsMessage(Vertx vertx, VertxTestContext ctx) {
    RunConfig cfg = config().with("data", tmp.resolve("no-such-dir").toString());
    StageServices services = services();
    List<JsonObject> statuses = new java.util.concurrent.CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.RUN_STATUS, m -> statuses.add(m.body()));
    deployStages(vertx, services)
        .compose(x -> new Pipeline(vertx, services.artifacts()).run("bad-run", cfg,
            tmp.resolve("bad"), false, Progress.NONE))
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertTrue(e.getMessage().contains("no-such-dir"), e.getMessage());
          vertx.setTimer(100, t -> ctx.verify(() -> {
            assertEquals("failed", statuses.get(statuses.size() - 1).getString("status"));
            ctx.completeNow();
          }));
        })));
  }
}
