package org.reffakd.platform.bus;

/**
 * Every event-bus address of the platform and the shape of its messages, in one place (the
 * README's "Event bus" table is generated from the same facts). Messages are JSON objects
 * ({@code io.vertx.core.json.JsonObject}); keys are snake_case. The bus is the in-process
 * control plane; Kafka is the durable record.
 */
public final class Addresses {

  private Addresses() {}

  // ---- requests (point to point, with a reply) ----

  /**
   * Publish a dataset to its samples topic. Request: {@code {run, dataset, data}}. Reply:
   * {@code {topic, images, records, seconds}}.
   */
  public static final String INGEST = "reffakd.ingest";

  /**
   * Load a run's data (from the files, or from the samples topic when {@code from_topic}).
   * Request: {@code {run}}. Reply: {@code {train, test, source}} (image counts).
   */
  public static final String LOAD = "reffakd.data.load";

  /** Train the autoencoder of a run. Request: {@code {run}}. Reply: {@code {val_mse, epoch}}. */
  public static final String AUTOENCODER_TRAIN = "reffakd.autoencoder.train";

  /**
   * Compute a run's similarity and soft labels and publish them to {@code reffakd.softlabels}.
   * Request: {@code {run}}. Reply: {@code {classes, similarity, soft_labels}} (C x C arrays).
   */
  public static final String SIMILARITY_COMPUTE = "reffakd.similarity.compute";

  /** Train a run's student. Request: {@code {run}}. Reply: the run's result.json object. */
  public static final String DISTILL = "reffakd.distill";

  // ---- events (published, any number of listeners) ----

  /** The autoencoder of a run is trained. {@code {run, val_mse, epoch}}. */
  public static final String AUTOENCODER_TRAINED = "reffakd.autoencoder.trained";

  /** A run's soft labels are ready. {@code {run, dataset, classes, similarity, soft_labels}}. */
  public static final String SOFTLABELS_READY = "reffakd.softlabels.ready";

  /**
   * Live progress while a stage trains, at most about once a second per run:
   * {@code {run, stage, epoch, epochs, done, total, loss, images_per_s}}.
   */
  public static final String PROGRESS = "reffakd.progress";

  /**
   * One finished epoch: {@code {run, stage, epoch, epochs, summary, row}}, row being the
   * epoch's line of metrics.csv (autoencoder_metrics.csv for the autoencoder) as an object.
   */
  public static final String EPOCH = "reffakd.epoch";

  /**
   * A run changed state: {@code {run, status, dir, dataset, loss, error?}}, status one of
   * {@code started}, {@code finished}, {@code failed}.
   */
  public static final String RUN_STATUS = "reffakd.run.status";
}
