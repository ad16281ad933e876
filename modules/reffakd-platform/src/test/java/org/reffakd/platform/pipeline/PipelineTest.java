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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.reffakd.nn.run.FashionSubset;
import org.reffakd.nn.run.ReffakdRun;
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
  static Path data;

  @BeforeAll
  static void subset() throws Exception {
    data = tmp.resolve("fmnist");
    FashionSubset.writeIdx(data, 2000, 500);
  }

  static RunConfig config() {
    RunConfig d = RunConfig.defaults("fashion-mnist");
    return new RunConfig("fashion-mnist", data.toString(), 32, "lenet5bn", 1, 0.1, "step", 0.1,
        2, 64, 0.05, 0.9, 5e-4, "cosine", true, "reffakd",
        Map.of("alpha", "0.5", "temperature", "5"), null, List.of(), d.softPerClass(), null,
        1.0, false, 11, 1);
  }

  static Future<String> deployStages(Vertx vertx, RunRegistry runs) {
    return vertx.deployVerticle(new Stages.Load(runs, DataSource.FILES, null))
        .compose(x -> vertx.deployVerticle(new Stages.Autoencoder(runs)))
        .compose(x -> vertx.deployVerticle(new Stages.Similarity(runs, ResultSink.NONE)))
        .compose(x -> vertx.deployVerticle(new Stages.Distillation(runs, ResultSink.NONE)));
  }

  @Test
  void aRunOverTheBusMatchesTheDirectRun(Vertx vertx, VertxTestContext ctx) throws Exception {
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    Map<String, Object> direct = new ReffakdRun(config(), tmp.resolve("direct"), Progress.NONE,
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
    RunRegistry runs = new RunRegistry();
    deployStages(vertx, runs)
        .compose(x -> new Pipeline(vertx, runs).run("bus-run", config(), tmp.resolve("bus"),
            false, Progress.NONE))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertEquals(JsonObject.mapFrom(direct).getValue("test_accuracy"),
              result.getValue("test_accuracy"));
          assertEquals(JsonObject.mapFrom(direct).getValue("soft_labels"),
              result.getValue("soft_labels"));
          assertEquals(0, runs.size(), "run removed from the registry");
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
    RunRegistry runs = new RunRegistry();
    RunConfig bad = config();
    bad = new RunConfig(bad.dataset(), tmp.resolve("no-such-dir").toString(), 32, "lenet5bn", 1,
        0.1, "step", 0.1, 1, 64, 0.05, 0.9, 5e-4, "cosine", true, "reffakd", Map.of(), null,
        List.of(), 40, null, 1.0, false, 1, 1);
    RunConfig cfg = bad;
    List<JsonObject> statuses = new java.util.concurrent.CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.RUN_STATUS, m -> statuses.add(m.body()));
    deployStages(vertx, runs)
        .compose(x -> new Pipeline(vertx, runs).run("bad-run", cfg, tmp.resolve("bad"), false,
            Progress.NONE))
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertTrue(e.getMessage().contains("no-such-dir"), e.getMessage());
          vertx.setTimer(100, t -> ctx.verify(() -> {
            assertEquals("failed", statuses.get(statuses.size() - 1).getString("status"));
            ctx.completeNow();
          }));
        })));
  }
}
