package org.reffakd.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The one shape of a dead letter: the original key, value and headers, plus {@code reason},
 * {@code source.topic}, {@code source.partition} and {@code source.offset}.
 */
public final class DeadLetters {

  public static final String H_REASON = "reason";
  public static final String H_SOURCE_TOPIC = "source.topic";
  public static final String H_SOURCE_PARTITION = "source.partition";
  public static final String H_SOURCE_OFFSET = "source.offset";

  private DeadLetters() {}

  /** The dead-letter record for a rejected record. */
  public static ProducerRecord<byte[], byte[]> of(ConsumerRecord<byte[], byte[]> r,
                                                  String reason) {
    Headers h = new RecordHeaders();
    for (Header x : r.headers()) {
      String k = x.key();
      if (!k.equals(H_REASON) && !k.equals(H_SOURCE_TOPIC) && !k.equals(H_SOURCE_PARTITION)
          && !k.equals(H_SOURCE_OFFSET)) {
        h.add(x);
      }
    }
    h.add(H_REASON, SampleRecords.utf8(reason));
    h.add(H_SOURCE_TOPIC, SampleRecords.utf8(r.topic()));
    h.add(H_SOURCE_PARTITION, SampleRecords.utf8(Integer.toString(r.partition())));
    h.add(H_SOURCE_OFFSET, SampleRecords.utf8(Long.toString(r.offset())));
    return new ProducerRecord<>(Topics.DEADLETTER, null, r.key(), r.value(), h);
  }
}
