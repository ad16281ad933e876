package org.reffakd.platform.pipeline;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.reffakd.kafka.ClientConfig;
import org.reffakd.kafka.Topics;

/**
 * The ids that already have a result on {@code reffakd.runs}, read incrementally (no consumer
 * group, no commits). A worker asks it before it starts a job: a job whose result is there
 * (a redo after a rebalance, or a restarted study) is skipped, so it never gets a second
 * result. A failed result does not count (the latest result per id decides): a study started
 * again submits its failed jobs again, and they run. Not thread-safe: one per worker thread.
 */
final class ResultIndex implements AutoCloseable {

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final TopicPartition tp = new TopicPartition(Topics.RUNS, 0);
  private final Set<String> ids = new HashSet<>();

  ResultIndex(ClientConfig kafka) {
    this.consumer = kafka.createConsumer("reffakd-result-index");
    consumer.assign(List.of(tp));
    consumer.seekToBeginning(List.of(tp));
  }

  /** Whether id has a result now (reads the topic up to its current end first). */
  boolean contains(String id) {
    long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (consumer.position(tp) < end && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        if (r.key() != null && r.value() != null) {
          String k = new String(r.key(), StandardCharsets.UTF_8);
          if (isFailure(r.value())) {
            ids.remove(k);
          } else {
            ids.add(k);
          }
        }
      }
    }
    return ids.contains(id);
  }

  /** A result the platform wrote for a failed job ({@code "status": "failed"}). */
  static boolean isFailure(byte[] value) {
    try {
      return "failed".equals(new io.vertx.core.json.JsonObject(
          new String(value, StandardCharsets.UTF_8)).getString("status"));
    } catch (RuntimeException e) {
      return false; // not a result this platform wrote: counts as a result, as before
    }
  }

  /** The same for a plain read of every key (used by the study to find finished jobs). */
  static Map<String, byte[]> readAll(ClientConfig kafka) {
    Map<String, byte[]> out = new java.util.LinkedHashMap<>();
    TopicPartition tp = new TopicPartition(Topics.RUNS, 0);
    try (KafkaConsumer<byte[], byte[]> c = kafka.createConsumer("reffakd-result-reader")) {
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
      while (c.position(tp) < end) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          if (r.key() != null && r.value() != null) {
            out.put(new String(r.key(), StandardCharsets.UTF_8), r.value());
          }
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
