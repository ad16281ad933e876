package org.reffakd.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.reffakd.nn.data.FashionMnistReader;
import org.reffakd.nn.data.ImageDataset;

/** Shared test data: real Fashion-MNIST subsets and a raw reader of whole topics. */
final class KafkaFixtures {

  /** The real Fashion-MNIST (Debian package dataset-fashion-mnist), overridable. */
  static final Path FASHION_DIR = Path.of(System.getProperty("reffakd.fashion",
      "/usr/share/datasets/fashion-mnist"));

  private static final Map<String, ImageDataset> FULL = new HashMap<>();

  private KafkaFixtures() {
  }

  /** The first {@code n} images of a real Fashion-MNIST split. */
  static synchronized ImageDataset fashion(String split, int n) {
    if (!Files.isDirectory(FASHION_DIR)) {
      throw new IllegalStateException("tests need the real Fashion-MNIST in " + FASHION_DIR
          + " (apt-get install dataset-fashion-mnist, or -Dreffakd.fashion=DIR)");
    }
    ImageDataset full = FULL.computeIfAbsent(split,
        s -> FashionMnistReader.read(FASHION_DIR, s));
    return full.subset(IntStream.range(0, n).toArray(), split);
  }

  /** Every record of {@code topic} (all partitions, from the beginning), without a group. */
  static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
    Properties p = ClientConfig.of(bootstrap).consumer(null);
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
      List<TopicPartition> tps = c.partitionsFor(topic).stream()
          .map(i -> new TopicPartition(topic, i.partition())).toList();
      c.assign(tps);
      c.seekToBeginning(tps);
      Map<TopicPartition, Long> end = c.endOffsets(tps);
      List<ConsumerRecord<byte[], byte[]>> out = new java.util.ArrayList<>();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topic + " to its end");
        }
        ConsumerRecords<byte[], byte[]> rs = c.poll(java.time.Duration.ofMillis(200));
        rs.forEach(out::add);
      }
      return out;
    }
  }
}
