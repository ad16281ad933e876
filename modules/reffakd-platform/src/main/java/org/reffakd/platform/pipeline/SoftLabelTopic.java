package org.reffakd.platform.pipeline;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.reffakd.nn.run.SoftLabelRecord;
import org.reffakd.kafka.ClientConfig;
import org.reffakd.kafka.DeadLetters;
import org.reffakd.kafka.Topics;
import org.reffakd.platform.metrics.PlatformMetrics;

/**
 * Soft-label records on the compacted topic {@code reffakd.softlabels} (one partition), keyed
 * by {@link SoftLabelRecord#key}. {@link #fetch} reads the partition from the beginning to its
 * end offset at the time of the call and keeps the last value of the key, which is what
 * compaction keeps too. A malformed value under the key goes to the dead-letter topic and is
 * skipped; if no valid value remains, the fetch fails naming the key.
 */
public final class SoftLabelTopic implements SoftLabelStore, AutoCloseable {

  private final ClientConfig kafka;
  private final PlatformMetrics metrics;
  private final KafkaProducer<byte[], byte[]> producer;

  public SoftLabelTopic(ClientConfig kafka, PlatformMetrics metrics) {
    this.kafka = kafka;
    this.metrics = metrics;
    this.producer = kafka.createProducer();
  }

  @Override
  public void publish(SoftLabelRecord r) {
    try {
      producer.send(new ProducerRecord<>(Topics.SOFTLABELS,
          r.key().getBytes(StandardCharsets.UTF_8),
          r.toJson().getBytes(StandardCharsets.UTF_8))).get();
      metrics.recordsProduced(Topics.SOFTLABELS, 1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing to " + Topics.SOFTLABELS, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot write to " + Topics.SOFTLABELS + ": "
          + e.getCause(), e);
    }
  }

  @Override
  public SoftLabelRecord fetch(String key) {
    TopicPartition tp = new TopicPartition(Topics.SOFTLABELS, 0);
    byte[] wanted = key.getBytes(StandardCharsets.UTF_8);
    SoftLabelRecord found = null;
    String rejected = null;
    long read = 0;
    try (KafkaConsumer<byte[], byte[]> c = kafka.createConsumer("reffakd-softlabels-reader");
         KafkaProducer<byte[], byte[]> dlq = kafka.createProducer()) {
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (c.position(tp) < end) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("timed out reading " + Topics.SOFTLABELS + " on "
              + kafka.bootstrapServers());
        }
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          read++;
          if (r.key() == null || !java.util.Arrays.equals(r.key(), wanted)
              || r.value() == null) {
            continue;
          }
          try {
            found = SoftLabelRecord.fromJson(new String(r.value(), StandardCharsets.UTF_8));
          } catch (IllegalArgumentException e) {
            rejected = e.getMessage() + " (offset " + r.offset() + ")";
            dlq.send(DeadLetters.of(r, e.getMessage()));
            metrics.deadLettered(Topics.SOFTLABELS, 1);
          }
        }
      }
    }
    metrics.recordsConsumed(Topics.SOFTLABELS, read);
    if (found == null && rejected != null) {
      throw new IllegalArgumentException("the soft-label record " + key + " on "
          + Topics.SOFTLABELS + " is malformed, sent to " + Topics.DEADLETTER + ": " + rejected);
    }
    if (found == null) {
      throw new IllegalArgumentException("no soft-label record " + key + " on "
          + Topics.SOFTLABELS + " at " + kafka.bootstrapServers()
          + " (the similarity stage publishes it; was it run against this cluster?)");
    }
    if (!found.key().equals(key)) {
      throw new IllegalArgumentException("soft-label record under key " + key
          + " names itself " + found.key());
    }
    return found;
  }

  @Override
  public void close() {
    producer.close();
  }
}
