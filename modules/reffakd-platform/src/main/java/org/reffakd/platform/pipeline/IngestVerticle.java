package org.reffakd.platform.pipeline;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.reffakd.nn.data.Datasets;
import org.reffakd.nn.data.ImageDataset;
import org.reffakd.platform.bus.Addresses;
import org.reffakd.kafka.ClientConfig;
import org.reffakd.kafka.DatasetConsumer;
import org.reffakd.kafka.DatasetPublisher;
import org.reffakd.kafka.SampleRecords;
import org.reffakd.platform.metrics.PlatformMetrics;

/**
 * {@link Addresses#INGEST}: reads a dataset's files and publishes both splits to its samples
 * topic (manifest, then batches), on a worker thread. Request {@code {dataset, data, reuse?}};
 * reply {@code {topic, images, records, seconds, images_per_s, reused}}. With {@code reuse}, a
 * topic that already holds both splits exactly as the files give them (the same manifest:
 * source checksum, pixels_sha256, shape, classes; every batch present) is left as it is and
 * nothing is published ({@code reused: true, records: 0}), so a resumed run does not double
 * the samples log.
 */
public final class IngestVerticle extends VerticleBase {

  private final ClientConfig kafka;
  private final PlatformMetrics metrics;
  private WorkerExecutor worker;

  public IngestVerticle(ClientConfig kafka, PlatformMetrics metrics) {
    this.kafka = kafka;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    worker = vertx.createSharedWorkerExecutor("reffakd-ingest", 1, 1, TimeUnit.DAYS);
    return vertx.eventBus().<JsonObject>consumer(Addresses.INGEST, this::handle).completion();
  }

  private void handle(Message<JsonObject> msg) {
    JsonObject req = msg.body();
    worker.executeBlocking(() -> {
      JsonObject r = ingest(kafka, req.getString("dataset"), Path.of(req.getString("data")),
          req.getBoolean("reuse", false));
      metrics.recordsProduced(r.getString("topic"), r.getLong("records"));
      return r;
    }).onComplete(ar -> {
          if (ar.succeeded()) {
            msg.reply(ar.result());
          } else {
            msg.fail(500, String.valueOf(ar.cause().getMessage()));
          }
        });
  }

  /** Publishes the train and test (or val) splits; blocking. */
  public static JsonObject ingest(ClientConfig kafka, String dataset, Path data) {
    return ingest(kafka, dataset, data, false);
  }

  /**
   * Publishes the train and test (or val) splits, unless {@code reuse} and the samples topic
   * already holds both exactly as the files give them; blocking.
   */
  public static JsonObject ingest(ClientConfig kafka, String dataset, Path data,
                                  boolean reuse) {
    ImageDataset train = Datasets.load(dataset, data, "train");
    ImageDataset test = Datasets.load(dataset, data,
        org.reffakd.nn.run.Splits.testSplit(dataset));
    if (reuse) {
      long t0 = System.nanoTime();
      String topic = org.reffakd.kafka.Topics.samples(dataset);
      if (holds(kafka, topic, train, test)) {
        return new JsonObject().put("topic", topic).put("images",
                (long) train.size() + test.size()).put("records", 0L)
            .put("seconds", (System.nanoTime() - t0) / 1e9).put("images_per_s", 0.0)
            .put("reused", true);
      }
    }
    try (DatasetPublisher p = new DatasetPublisher(kafka)) {
      DatasetPublisher.Result r = p.publish(train, test);
      return new JsonObject().put("topic", r.topic()).put("images", r.images())
          .put("records", r.records()).put("seconds", r.nanos() / 1e9)
          .put("images_per_s", r.imagesPerSecond()).put("reused", false);
    }
  }

  /** Whether {@code topic} holds every split completely, with the manifest the files give. */
  static boolean holds(ClientConfig kafka, String topic, ImageDataset... splits) {
    java.util.Map<String, SampleRecords.Manifest> have;
    try (DatasetConsumer c = new DatasetConsumer(kafka, "reffakd-reuse-check")) {
      have = c.completeSplits(topic, java.time.Duration.ofMinutes(2));
    }
    for (ImageDataset ds : splits) {
      SampleRecords.Manifest m = have.get(ds.split());
      if (m == null || !m.equals(SampleRecords.Manifest.of(ds, m.batchSize()))) {
        return false;
      }
    }
    return true;
  }

  // the worker executor is closed by Vert.x when the verticle is undeployed; closing it here
  // too raced the event loops' shutdown (RejectedExecutionException at exit)
}
