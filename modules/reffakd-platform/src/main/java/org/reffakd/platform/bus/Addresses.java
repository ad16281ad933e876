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
   * Train (or resume) an autoencoder. Request: {@code {run, config, dir, from_topic}} (config
   * as in config.json, dir the stage's work folder for checkpoints). Reply: the encoder
   * artefact {@code {encoder_sha256, channels, side, best_val_mse, best_epoch, val_images,
   * parameters, history, seconds, cost, data_seconds}}.
   */
  public static final String AUTOENCODER_TRAIN = "reffakd.autoencoder.train";

  /**
   * Compute a soft-label record from an encoder artefact and publish it to
   * {@code reffakd.softlabels}. Request: {@code {run, config, encoder_sha256, from_topic}}.
   * Reply: the record {@code {key, dataset, variant, encoder_sha256, seed, classes,
   * similarity, soft_labels, options, provenance, seconds}}.
   */
  public static final String SIMILARITY_COMPUTE = "reffakd.similarity.compute";

  /**
   * Train a student. Request: {@code {run, config, dir, soft_label_key, teacher?, from_topic,
   * upstream}}: the soft labels are read back from {@code reffakd.softlabels} by key, the
   * teacher is {@code {sha256, descriptor}} in the artefact store, upstream is what earlier
   * stages report into result.json. Reply: the result (result.json), also sent to
   * {@code reffakd.runs} under the run id.
   */
  public static final String DISTILL = "reffakd.distill";

  // ---- events (published, any number of listeners) ----

  /** An autoencoder is trained: the reply of {@link #AUTOENCODER_TRAIN}, with {@code run}. */
  public static final String AUTOENCODER_TRAINED = "reffakd.autoencoder.trained";

  /** A soft-label record is published: the reply of {@link #SIMILARITY_COMPUTE}. */
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

  /**
   * The platform is up: {@code {kafka}}, the bootstrap servers, published once by
   * {@code Platform.start} when every verticle is deployed (and so Vert.x's event-bus meters
   * exist from the start).
   */
  public static final String PLATFORM_STARTED = "reffakd.platform.started";
}
