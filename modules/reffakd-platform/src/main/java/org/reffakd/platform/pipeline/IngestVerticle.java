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
import org.reffakd.platform.kafka.ClientConfig;
import org.reffakd.platform.kafka.DatasetPublisher;
import org.reffakd.platform.metrics.PlatformMetrics;

/**
 * {@link Addresses#INGEST}: reads a dataset's files and publishes both splits to its samples
 * topic (manifest, then batches), on a worker thread. Request {@code {dataset, data}}; reply
 * {@code {topic, images, records, seconds, images_per_s}}.
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
      JsonObject r = ingest(kafka, req.getString("dataset"), Path.of(req.getString("data")));
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
    ImageDataset train = Datasets.load(dataset, data, "train");
    ImageDataset test = Datasets.load(dataset, data,
        org.reffakd.nn.run.Splits.testSplit(dataset));
    try (DatasetPublisher p = new DatasetPublisher(kafka)) {
      DatasetPublisher.Result r = p.publish(train, test);
      return new JsonObject().put("topic", r.topic()).put("images", r.images())
          .put("records", r.records()).put("seconds", r.nanos() / 1e9)
          .put("images_per_s", r.imagesPerSecond());
    }
  }

  // the worker executor is closed by Vert.x when the verticle is undeployed; closing it here
  // too raced the event loops' shutdown (RejectedExecutionException at exit)
}
