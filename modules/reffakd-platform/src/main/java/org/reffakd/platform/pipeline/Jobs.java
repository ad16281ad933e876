package org.reffakd.platform.pipeline;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.reffakd.kafka.ClientConfig;
import org.reffakd.kafka.Topics;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.nn.run.RunIds;
import org.reffakd.platform.bus.Messages;

/**
 * Run requests on {@code reffakd.jobs} and their results on {@code reffakd.runs}. A request
 * is the JSON object {@code {run, config, from_topic}} (config as in config.json) keyed by the
 * run id; a result is the run's result.json keyed by the same id.
 */
public final class Jobs {

  private Jobs() {}

  /**
   * Publishes a run request and returns its run id (a plain name, see {@link RunIds}: checked
   * here so a bad --run-id fails at once, not on a worker).
   */
  public static String submit(ClientConfig kafka, RunConfig cfg, String runId,
                              boolean fromTopic) {
    String id = runId != null ? RunIds.check("run id", runId) : cfg.dataset() + "-"
        + cfg.objective().name().replaceAll("[^a-z0-9-]", "_") + "-" + UUID.randomUUID().toString()
        .substring(0, 8);
    send(kafka, id, Messages.json(new Messages.Job("run", id, config(cfg), fromTopic, null, null,
        null)));
    return id;
  }

  /**
   * A config as a request carries it: without plugin folders, which a worker ignores (a record
   * names a loss, never a code location: each worker loads plugins from its own folders).
   */
  private static RunConfig config(RunConfig cfg) {
    return cfg.withObjective(cfg.objective().withPlugins(List.of()));
  }

  /** Publishes a request on {@code reffakd.jobs} under its id; returns once it is durable. */
  private static void send(ClientConfig kafka, String id, JsonObject req) {
    try (KafkaProducer<byte[], byte[]> p = kafka.createProducer()) {
      send(p, id, req);
    }
  }

  private static void send(KafkaProducer<byte[], byte[]> p, String id, JsonObject req) {
    send(p, id, req, null);
  }

  /** To a given partition, or (null) the one its key's hash picks. */
  private static void send(KafkaProducer<byte[], byte[]> p, String id, JsonObject req,
                           Integer partition) {
    try {
      p.send(new ProducerRecord<>(Topics.JOBS, partition, id.getBytes(StandardCharsets.UTF_8),
          req.encode().getBytes(StandardCharsets.UTF_8))).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot submit to " + Topics.JOBS + ": " + e.getCause(), e);
    }
  }

  /**
   * Publishes a distillation job of a study (see {@link JobWorker}): the config, the
   * soft-label key and the teacher reference ({@code {sha256, descriptor}} or null).
   */
  public static void submitDistill(ClientConfig kafka, String jobId, RunConfig cfg,
                                   String softLabelKey, Messages.TeacherArtifact teacher,
                                   boolean fromTopic) {
    try (Submitter sub = new Submitter(kafka)) {
      sub.distill(jobId, cfg, softLabelKey, teacher, fromTopic);
    }
  }

  /**
   * One producer for many jobs (a study submits all of its jobs through one). The jobs go to
   * the partitions of reffakd.jobs in turn, not by their key's hash: equal jobs then spread
   * evenly, and none waits behind another in a partition while a partition elsewhere is empty.
   */
  public static final class Submitter implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private int next;

    public Submitter(ClientConfig kafka) {
      this.producer = kafka.createProducer();
    }

    /** As {@link Jobs#submitDistill}, acknowledged by the broker before it returns. */
    public void distill(String jobId, RunConfig cfg, String softLabelKey,
                        Messages.TeacherArtifact teacher, boolean fromTopic) {
      int partitions = producer.partitionsFor(Topics.JOBS).size();
      send(producer, jobId, Messages.json(new Messages.Job("distill", jobId, config(cfg),
          fromTopic, softLabelKey, teacher, null)), next++ % partitions);
    }

    @Override
    public void close() {
      producer.close();
    }
  }

  /** The end offset of {@code reffakd.runs} now: where the next result will be written. */
  public static long resultsEnd(ClientConfig kafka) {
    org.apache.kafka.common.TopicPartition tp =
        new org.apache.kafka.common.TopicPartition(Topics.RUNS, 0);
    try (KafkaConsumer<byte[], byte[]> c = kafka.createConsumer("reffakd-result-end")) {
      return c.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
    }
  }

  /** Every result on {@code reffakd.runs} now, by id (the latest per id). */
  public static java.util.Map<String, JsonObject> results(ClientConfig kafka) {
    java.util.Map<String, JsonObject> m = new java.util.LinkedHashMap<>();
    ResultIndex.readAll(kafka).forEach((k, v) -> {
      try {
        m.put(k, new JsonObject(new String(v, StandardCharsets.UTF_8)));
      } catch (RuntimeException e) {
        // not JSON: not a result this platform wrote; ignored
      }
    });
    return m;
  }

  /** Waits for the result of a run on {@code reffakd.runs}; null on timeout. */
  public static JsonObject awaitResult(ClientConfig kafka, String runId, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> c = kafka.createConsumer("reffakd-await-"
        + UUID.randomUUID())) {
      c.subscribe(List.of(Topics.RUNS));
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          if (r.key() != null && runId.equals(new String(r.key(), StandardCharsets.UTF_8))) {
            return new JsonObject(new String(r.value(), StandardCharsets.UTF_8));
          }
        }
      }
    }
    return null;
  }
}
