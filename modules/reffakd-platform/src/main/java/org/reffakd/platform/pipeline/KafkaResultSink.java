package org.reffakd.platform.pipeline;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.reffakd.kafka.ClientConfig;
import org.reffakd.kafka.Topics;
import org.reffakd.platform.metrics.PlatformMetrics;

/**
 * Results to {@code reffakd.runs} (key = run or job id). Waits for the acknowledgement: an artefact is durable
 * when the stage replies.
 */
public final class KafkaResultSink implements ResultSink, AutoCloseable {

  private final KafkaProducer<byte[], byte[]> producer;
  private final PlatformMetrics metrics;

  public KafkaResultSink(ClientConfig kafka, PlatformMetrics metrics) {
    this.producer = kafka.createProducer();
    this.metrics = metrics;
  }

  @Override
  public void result(String run, JsonObject result) {
    send(Topics.RUNS, run, result);
  }

  private void send(String topic, String key, JsonObject value) {
    try {
      producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
          value.encode().getBytes(StandardCharsets.UTF_8))).get();
      metrics.recordsProduced(topic, 1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing to " + topic, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot write to " + topic + ": " + e.getCause(), e);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
