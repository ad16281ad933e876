package org.reffakd.platform;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.reffakd.platform.bus.Addresses;
import org.reffakd.kafka.ClientConfig;
import org.reffakd.kafka.EmbeddedKafka;
import org.reffakd.kafka.Topics;
import org.reffakd.platform.pipeline.IngestVerticle;
import org.reffakd.platform.pipeline.KafkaResultSink;
import org.reffakd.platform.pipeline.Pipeline;
import org.reffakd.nn.run.ArtifactStore;
import org.reffakd.platform.pipeline.ArtifactTopic;
import org.reffakd.platform.pipeline.SoftLabelTopic;
import org.reffakd.platform.pipeline.StageServices;
import org.reffakd.platform.pipeline.Stages;
import org.reffakd.platform.pipeline.DataSource;
import org.reffakd.platform.pipeline.TopicDataSource;
import org.reffakd.platform.metrics.PlatformMetrics;

/**
 * The platform in one JVM: Vert.x, Kafka (the embedded single-node broker unless an external
 * cluster is named), the topics, and the verticles (ingest, load, autoencoder, similarity,
 * distillation). {@link #start} blocks until everything is ready; {@link #close} stops it all.
 */
public final class Platform implements AutoCloseable {

  /**
   * @param kafka       {@code host:port} of an external cluster, or null for the embedded broker
   * @param kafkaConfig client properties file for the external cluster (SASL/TLS), or null
   * @param kafkaDir    where the embedded broker keeps its data
   * @param artifacts   the artefact store's root, a cache of the topic reffakd.artifacts;
   *                    null for {@code runs/artifacts}
   */
  public record Options(String kafka, Path kafkaConfig, Path kafkaDir, Path artifacts) {

    public Options(String kafka, Path kafkaConfig, Path kafkaDir) {
      this(kafka, kafkaConfig, kafkaDir, null);
    }

    public Path artifactRoot() {
      return artifacts != null ? artifacts : Path.of("runs", "artifacts");
    }
  }

  private final PlatformMetrics metrics;

  private final Vertx vertx;
  private final EmbeddedKafka broker;
  private final ClientConfig kafka;
  private final KafkaResultSink sink;
  private final SoftLabelTopic softLabels;
  private final ArtifactTopic artifacts;
  private final Pipeline pipeline;

  private Platform(Vertx vertx, EmbeddedKafka broker, ClientConfig kafka, KafkaResultSink sink,
                   SoftLabelTopic softLabels, ArtifactTopic artifacts, Pipeline pipeline,
                   PlatformMetrics metrics) {
    this.metrics = metrics;
    this.vertx = vertx;
    this.broker = broker;
    this.kafka = kafka;
    this.sink = sink;
    this.softLabels = softLabels;
    this.artifacts = artifacts;
    this.pipeline = pipeline;
  }

  public static Platform start(Options o) {
    return start(o, new PlatformMetrics());
  }

  /** Starts the platform with its meters in the given registry (Vert.x's own included). */
  public static Platform start(Options o, PlatformMetrics metrics) {
    EmbeddedKafka broker = null;
    Vertx vertx = null;
    KafkaResultSink sink = null;
    SoftLabelTopic soft = null;
    ArtifactTopic artifacts = null;
    try {
      String bootstrap = o.kafka();
      if (bootstrap == null) {
        broker = EmbeddedKafka.start(o.kafkaDir());
        bootstrap = broker.bootstrapServers();
      }
      ClientConfig kafka = ClientConfig.of(bootstrap, o.kafkaConfig());
      kafka.requireReachable(); // one line naming the address, within seconds
      try (Admin admin = kafka.createAdmin()) {
        Topics.ensure(admin, Topics.fixed().toArray(String[]::new));
      }
      vertx = metrics.newVertx(new VertxOptions());
      metrics.attach(vertx);
      sink = new KafkaResultSink(kafka, metrics);
      soft = new SoftLabelTopic(kafka, metrics);
      artifacts = new ArtifactTopic(kafka, metrics);
      ArtifactStore store = new ArtifactStore(o.artifactRoot(), artifacts);
      StageServices services = new StageServices(DataSource.FILES,
          new TopicDataSource(kafka, Duration.ofMinutes(10), metrics), store, soft, sink);
      Vertx v = vertx;
      await(v.deployVerticle(new IngestVerticle(kafka, metrics))
          .compose(x -> v.deployVerticle(new Stages.Autoencoder(services)))
          .compose(x -> v.deployVerticle(new Stages.Similarity(services)))
          .compose(x -> v.deployVerticle(new Stages.Distillation(services))));
      v.eventBus().publish(Addresses.PLATFORM_STARTED,
          new JsonObject().put("kafka", kafka.bootstrapServers()));
      return new Platform(vertx, broker, kafka, sink, soft, artifacts,
          new Pipeline(vertx, store), metrics);
    } catch (RuntimeException e) {
      closeQuietly(vertx, broker, sink, soft, artifacts);
      throw e;
    }
  }

  public Vertx vertx() {
    return vertx;
  }

  public ClientConfig kafka() {
    return kafka;
  }

  public Pipeline pipeline() {
    return pipeline;
  }

  public PlatformMetrics metrics() {
    return metrics;
  }

  /** Publishes a dataset's files to its samples topic through the ingest verticle. */
  public JsonObject ingest(String dataset, Path data) {
    return ingest(dataset, data, false);
  }

  /**
   * As {@link #ingest(String, Path)}; with {@code reuse}, a topic that already holds the
   * dataset exactly as the files give it is left as it is ({@code reused: true} in the reply).
   */
  public JsonObject ingest(String dataset, Path data, boolean reuse) {
    return await(vertx.eventBus().<JsonObject>request(Addresses.INGEST, new JsonObject()
        .put("dataset", dataset).put("data", data.toString()).put("reuse", reuse),
        new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(3_600_000))
        .map(m -> m.body()));
  }

  /** Waits for a future from a non-Vert.x thread; failures surface with their own message. */
  public static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(c.getMessage(), c);
    }
  }

  @Override
  public void close() {
    closeQuietly(vertx, broker, sink, softLabels, artifacts);
  }

  /** The soft-label topic's reader and writer. */
  public SoftLabelTopic softLabels() {
    return softLabels;
  }

  private static void closeQuietly(Vertx vertx, EmbeddedKafka broker,
                                   AutoCloseable... clients) {
    if (vertx != null) {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get();
      } catch (Exception ignored) {
        // shutting down anyway
      }
    }
    for (AutoCloseable c : clients) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception ignored) {
          // shutting down anyway
        }
      }
    }
    if (broker != null) {
      broker.close();
    }
  }
}
