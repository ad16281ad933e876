package org.reffakd.platform.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reffakd.platform.bus.Addresses;

/**
 * Our meters from the bus's message shapes and the Kafka calls: names, base units, values, and
 * tags that stay bounded whatever the events say.
 */
class PlatformMetricsTest {

  PrometheusMeterRegistry registry;
  PlatformMetrics metrics;

  @BeforeEach
  void create() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    metrics = new PlatformMetrics(registry);
  }

  @AfterEach
  void close() {
    metrics.close();
  }

  private void event(String address, JsonObject m) {
    metrics.onEvent(address, m, null);
  }

  private double gauge(String name, String... tags) {
    return registry.get(name).tags(tags).gauge().value();
  }

  @Test
  void studentEpochSetsLossPerStrategyAndTermAccuracyAndThroughput() {
    event(Addresses.RUN_STATUS, new JsonObject().put("run", "r1").put("status", "started")
        .put("loss", "dkd").put("dataset", "fashion-mnist").put("dir", "/nowhere"));
    event(Addresses.EPOCH, new JsonObject().put("run", "r1").put("stage", "student")
        .put("epoch", 1).put("epochs", 2).put("row", new JsonObject().put("epoch", 1)
            .put("lr", 0.1).put("loss", 1.5).put("loss_ce", 0.5).put("loss_tckd", 0.25)
            .put("loss_nckd", 0.75).put("train_acc", 0.5).put("test_top1", 0.61)
            .put("test_top5", 0.97).put("seconds", 2.5).put("images_per_s", 1234.0)));
    assertEquals(0.75, gauge("reffakd.student.loss", "strategy", "dkd", "term", "nckd"));
    assertEquals(1.5, gauge("reffakd.student.loss", "strategy", "dkd", "term", "total"));
    assertEquals(0.61, gauge("reffakd.student.accuracy", "strategy", "dkd", "kind", "top1"));
    assertEquals(0.97, gauge("reffakd.student.accuracy", "strategy", "dkd", "kind", "top5"));
    assertEquals(1234.0, gauge("reffakd.images.per.second", "stage", "student"));
    Timer t = registry.get("reffakd.epoch.duration").tags("stage", "student").timer();
    assertEquals(1, t.count());
    assertEquals(2.5, t.totalTime(TimeUnit.SECONDS), 1e-6);
    assertEquals(1.0, gauge("reffakd.runs.active"));

    // live progress moves the total loss and the throughput
    event(Addresses.PROGRESS, new JsonObject().put("run", "r1").put("stage", "student")
        .put("epoch", 2).put("epochs", 2).put("done", 640).put("total", 1000)
        .put("loss", 1.25).put("images_per_s", 2000.0));
    assertEquals(1.25, gauge("reffakd.student.loss", "strategy", "dkd", "term", "total"));
    assertEquals(2000.0, gauge("reffakd.images.per.second", "stage", "student"));

    // an event that carries the loss itself wins; a run never announced is "unknown"
    event(Addresses.EPOCH, new JsonObject().put("run", "r2").put("stage", "student")
        .put("row", new JsonObject().put("loss_ce", 0.9)));
    assertEquals(0.9, gauge("reffakd.student.loss", "strategy", "unknown", "term", "ce"));

    event(Addresses.RUN_STATUS, new JsonObject().put("run", "r1").put("status", "finished")
        .put("timings_s", new JsonObject().put("autoencoder", 3.0).put("student", 7.5)));
    assertEquals(0.0, gauge("reffakd.runs.active"));
    assertEquals(1.0, registry.get("reffakd.runs").tags("status", "started").counter().count());
    assertEquals(1.0, registry.get("reffakd.runs").tags("status", "finished").counter().count());
    assertEquals(7.5, registry.get("reffakd.stage.duration").tags("stage", "student").timer()
        .totalTime(TimeUnit.SECONDS), 1e-6);
    event(Addresses.RUN_STATUS, new JsonObject().put("run", "r3").put("status", "failed"));
    assertEquals(1.0, registry.get("reffakd.runs").tags("status", "failed").counter().count());
  }

  @Test
  void autoencoderEventsSetReconstructionMse() {
    event(Addresses.PROGRESS, new JsonObject().put("run", "r").put("stage", "autoencoder")
        .put("loss", 0.3).put("images_per_s", 900.0));
    assertEquals(0.3, gauge("reffakd.autoencoder.mse", "split", "train"));
    event(Addresses.EPOCH, new JsonObject().put("run", "r").put("stage", "autoencoder")
        .put("row", new JsonObject().put("train_mse", 0.2).put("val_mse", 0.25)
            .put("seconds", 1.0).put("images_per_s", 1000.0)));
    assertEquals(0.2, gauge("reffakd.autoencoder.mse", "split", "train"));
    assertEquals(0.25, gauge("reffakd.autoencoder.mse", "split", "val"));
    event(Addresses.AUTOENCODER_TRAINED, new JsonObject().put("run", "r").put("output",
        new JsonObject().put("best_val_mse", 0.24).put("best_epoch", 3)));
    assertEquals(0.24, gauge("reffakd.autoencoder.selected.mse"));
    assertEquals(1.0, registry.get("reffakd.autoencoders.trained").counter().count());
    // junk is ignored, not thrown
    event(Addresses.EPOCH, new JsonObject().put("stage", "autoencoder")
        .put("row", new JsonObject().put("train_mse", "NaN").put("seconds", -1)));
    assertEquals(0.2, gauge("reffakd.autoencoder.mse", "split", "train"));
  }

  @Test
  void kafkaAndStageMetersAreThereAtZeroBeforeAnything() {
    String text = metrics.scrape();
    for (String series : List.of(
        "reffakd_kafka_consumer_lag_records{group=\"reffakd-workers\",topic=\"reffakd.jobs\"} 0.0",
        "reffakd_kafka_records_deadlettered_total{topic=\"reffakd.deadletter\"} 0.0",
        "reffakd_kafka_records_produced_total{topic=\"reffakd.runs\"} 0.0",
        "reffakd_stage_duration_seconds_count{stage=\"student\"} 0",
        "reffakd_epoch_duration_seconds_count{stage=\"autoencoder\"} 0",
        "reffakd_runs_total{status=\"failed\"} 0.0")) {
      assertTrue(text.contains(series), series + " in\n" + text);
    }
  }

  @Test
  void kafkaCountersAndLag() {
    metrics.recordsProduced("reffakd.fashion-mnist.samples", 40);
    metrics.recordsProduced("reffakd.fashion-mnist.samples", 2);
    metrics.recordsConsumed("reffakd.jobs", 3);
    metrics.deadLettered("reffakd.jobs", 1);
    metrics.consumerLag("reffakd-workers", "reffakd.jobs", 17);
    metrics.consumerLag("reffakd-workers", "reffakd.jobs", 5);
    assertEquals(42.0, registry.get("reffakd.kafka.records.produced")
        .tags("topic", "reffakd.fashion-mnist.samples").counter().count());
    assertEquals(3.0, registry.get("reffakd.kafka.records.consumed").tags("topic",
        "reffakd.jobs").counter().count());
    assertEquals(1.0, registry.get("reffakd.kafka.records.deadlettered").tags("topic",
        "reffakd.jobs").counter().count());
    assertEquals(5.0, gauge("reffakd.kafka.consumer.lag", "group", "reffakd-workers", "topic",
        "reffakd.jobs"));
    metrics.stageFinished("data", Duration.ofMillis(1500));
    String text = metrics.scrape();
    assertTrue(text.contains("reffakd_kafka_records_produced_total{topic=\"reffakd.fashion-mnist"
        + ".samples\"} 42.0"), text);
    assertTrue(text.contains("reffakd_kafka_consumer_lag_records{group=\"reffakd-workers\","
        + "topic=\"reffakd.jobs\"} 5.0"), text);
    assertTrue(text.contains("reffakd_stage_duration_seconds_sum{stage=\"data\"} 1.5"), text);
  }

  @Test
  void tagsStayBoundedWhateverTheEventsSay() {
    for (int i = 0; i < 500; i++) {
      metrics.recordsProduced("topic-" + i, 1);
      event(Addresses.RUN_STATUS, new JsonObject().put("run", "run-" + i).put("status",
          "started").put("loss", "loss-" + i));
      event(Addresses.EPOCH, new JsonObject().put("run", "run-" + i).put("stage", "student")
          .put("epoch", i).put("row", new JsonObject().put("loss_t" + i, 1.0)));
    }
    for (String name : Set.of("reffakd.kafka.records.produced", "reffakd.student.loss")) {
      int series = registry.find(name).meters().size();
      assertTrue(series <= PlatformMetrics.MAX_TAG_VALUES + 1 + (name.contains("loss")
          ? PlatformMetrics.MAX_TAG_VALUES : 0), name + ": " + series + " series");
    }
    // the fixed topics, registered from the start, hold some of the 64 values; the first
    // of the 500 others take the rest, every later one counts as "other"
    int fixed = org.reffakd.kafka.Topics.fixed().size();
    assertEquals(500 - (PlatformMetrics.MAX_TAG_VALUES - fixed),
        registry.get("reffakd.kafka.records.produced").tags("topic", "other").counter().count());
    // no tag anywhere names a run or an epoch
    Set<String> keys = registry.getMeters().stream().map(Meter::getId)
        .filter(id -> id.getName().startsWith("reffakd."))
        .flatMap(id -> id.getTags().stream().map(t -> t.getKey())).collect(Collectors.toSet());
    assertFalse(keys.contains("run") || keys.contains("epoch"), keys.toString());
    assertTrue(Set.of("stage", "strategy", "term", "kind", "split", "topic", "group", "status")
        .containsAll(keys), keys.toString());
    assertFalse(metrics.scrape().contains("run-42\""));
  }

  @Test
  void jvmAndVertxMetricsGoIntoTheSameRegistry() throws Exception {
    Vertx vertx = metrics.newVertx(new VertxOptions());
    try {
      metrics.attach(vertx);
      metrics.attach(vertx); // idempotent
      vertx.eventBus().publish(Addresses.RUN_STATUS, new JsonObject().put("run", "x")
          .put("status", "started").put("loss", "ce"));
      long deadline = System.currentTimeMillis() + 5000;
      // the counter exists from the start (at 0): wait for the event to count
      while (registry.get("reffakd.runs").tags("status", "started").counter().count() < 1
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(1.0, registry.get("reffakd.runs").tags("status", "started").counter().count(),
          "one subscription, one count");
      String text = metrics.scrape();
      for (String name : new String[] {"jvm_memory_used_bytes", "jvm_gc_", "jvm_threads_live_threads",
          "process_cpu_usage", "system_cpu_count", "process_uptime_seconds",
          "vertx_eventbus_published_total", "reffakd_runs_total"}) {
        assertTrue(text.contains(name), name + " missing");
      }
      assertFalse(text.contains("__vertx.reply"), "reply addresses are not labels");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    assertNotNull(PlatformMetrics.contentType());
  }
}
