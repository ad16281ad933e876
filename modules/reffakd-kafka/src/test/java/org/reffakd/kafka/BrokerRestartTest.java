package org.reffakd.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.reffakd.nn.data.FashionMnistReader;
import org.reffakd.nn.data.ImageDataset;
import org.reffakd.nn.run.FashionSubset;

/**
 * A broker stopped and restarted (same data directory, same ports) in the middle of an ingest:
 * the publisher, which knows the broker only by its address, rides out the outage, and the
 * topic ends with every image exactly once, in order, rebuilt byte for byte from the topic. A
 * broker that does not come back fails the ingest with one line naming the broker and the
 * record. A batch record repeated by another producer (as if the producer's id were lost) is
 * still applied once by the consumer.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class BrokerRestartTest {

  private static final int TRAIN = 20_000;
  private static final int TEST = 2_000;
  /** Small records: 1,100 batches, so the stop lands with most of them still to come. */
  private static final int BATCH = 20;
  private static final int STOP_AT_BATCH = 300;
  private static final long DOWN_MS = 3_000;

  @TempDir
  Path tmp;

  /** The broker currently up (the restarted one after the restart), closed after each test. */
  private final AtomicReference<EmbeddedKafka> broker = new AtomicReference<>();

  @AfterEach
  void stopBroker() {
    EmbeddedKafka k = broker.get();
    if (k != null) {
      k.close();
    }
  }

  @Test
  void ingestRidesOutABrokerRestartWithEveryImageExactlyOnce() throws Exception {
    Path files = tmp.resolve("fashion");
    FashionSubset.writeIdx(files, TRAIN, TEST);
    ImageDataset train = FashionMnistReader.read(files, "train");
    ImageDataset test = FashionMnistReader.read(files, "test");
    assertEquals(TRAIN, train.size());
    assertEquals(TEST, test.size());
    String topic = Topics.samples("fashion-mnist");

    EmbeddedKafka first = EmbeddedKafka.start(tmp.resolve("kafka"));
    broker.set(first);
    // an external broker as far as the publisher knows: only its address
    String address = first.bootstrapServers();
    ClientConfig config = ClientConfig.of(address);

    CountDownLatch stopped = new CountDownLatch(1);
    AtomicLong ackedAtStop = new AtomicLong(-1);
    AtomicReference<Throwable> restartError = new AtomicReference<>();
    AtomicLong restartedAt = new AtomicLong();
    Thread operator = new Thread(() -> {
      try {
        first.close();
        stopped.countDown();
        Thread.sleep(DOWN_MS);
        broker.set(first.restart());
        restartedAt.set(System.nanoTime());
      } catch (Throwable t) {
        restartError.set(t);
        stopped.countDown();
      }
    }, "broker-operator");

    long t0 = System.nanoTime();
    DatasetPublisher.Result published;
    try (DatasetPublisher publisher = new DatasetPublisher(config, BATCH)) {
      publisher.progress((split, batch, batches, acknowledged) -> {
        if (!split.equals("train") || batch != STOP_AT_BATCH) {
          return;
        }
        // some records acknowledged before the stop: it lands mid-ingest
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long acked = acknowledged;
        while (acked < 50 && System.nanoTime() < deadline) {
          sleep(5);
          acked = publisher.acknowledged();
        }
        ackedAtStop.set(acked);
        operator.start();
        try {
          assertTrue(stopped.await(60, TimeUnit.SECONDS), "broker did not stop");
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        // the remaining batches are sent while the broker is down
      });
      published = publisher.publish(train, test);
    }
    long publishMs = (System.nanoTime() - t0) / 1_000_000;
    operator.join(120_000);
    assertEquals(null, restartError.get(), "restart failed: " + restartError.get());
    EmbeddedKafka second = broker.get();
    assertTrue(second != first && restartedAt.get() > 0, "the broker was restarted");
    assertEquals(address, second.bootstrapServers(), "same address after the restart");
    assertEquals(first.nodeId(), second.nodeId());
    assertTrue(restartedAt.get() - t0 < TimeUnit.MILLISECONDS.toNanos(publishMs),
        "the ingest finished after the restart");

    int trainBatches = TRAIN / BATCH;
    int testBatches = TEST / BATCH;
    long total = 2 + trainBatches + testBatches;
    assertEquals(TRAIN + TEST, published.images());
    assertEquals(total, published.records());
    assertTrue(ackedAtStop.get() >= 50 && ackedAtStop.get() <= STOP_AT_BATCH + 2,
        "stopped mid-ingest: " + ackedAtStop.get() + " of " + total + " records acknowledged");

    // the topic as stored: every record once, in the order sent
    List<ConsumerRecord<byte[], byte[]>> records = KafkaFixtures.readAll(address, topic);
    Map<String, Integer> perKey = new LinkedHashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      perKey.merge(new String(r.key(), StandardCharsets.UTF_8), 1, Integer::sum);
    }
    List<String> expected = new ArrayList<>();
    expected.add("fashion-mnist/train/manifest");
    for (int i = 0; i < trainBatches; i++) {
      expected.add("fashion-mnist/train/" + i);
    }
    expected.add("fashion-mnist/test/manifest");
    for (int i = 0; i < testBatches; i++) {
      expected.add("fashion-mnist/test/" + i);
    }
    Map<String, Integer> duplicates = new LinkedHashMap<>(perKey);
    duplicates.values().removeIf(n -> n == 1);
    assertEquals(Map.of(), duplicates, "records written more than once");
    assertEquals(expected, List.copyOf(perKey.keySet()), "every batch index once, in order");
    assertEquals(total, records.size());

    // read back and verified by the consumer
    DatasetConsumer.Result consumed;
    try (DatasetConsumer consumer = new DatasetConsumer(ClientConfig.of(address), "restart")) {
      consumed = consumer.consume(topic, Set.of("train", "test"), Duration.ofSeconds(60));
    }
    assertEquals(0, consumed.deadLettered(), consumed.deadLetterReasons().toString());
    assertEquals(total, consumed.recordsRead());
    assertSameAsSource(consumed, train, test);
    assertNoDeadLetters(address);

    // safety net: a batch repeated by another producer (a lost producer id would do this) is
    // applied once
    try (KafkaProducer<byte[], byte[]> p = ClientConfig.of(address).createProducer()) {
      for (int i : new int[] {0, 7, trainBatches - 1}) {
        p.send(SampleRecords.batchRecord(topic, train, i, BATCH)).get();
      }
    }
    try (DatasetConsumer consumer = new DatasetConsumer(ClientConfig.of(address), "again")) {
      consumed = consumer.consume(topic, Set.of("train", "test"), Duration.ofSeconds(60));
    }
    assertEquals(total + 3, consumed.recordsRead());
    assertEquals(0, consumed.deadLettered(), consumed.deadLetterReasons().toString());
    assertSameAsSource(consumed, train, test);
    System.out.printf("broker restart: %d records (%d images) published in %d ms, stopped with %d"
        + " acknowledged, down %d ms%n", total, TRAIN + TEST, publishMs, ackedAtStop.get(),
        DOWN_MS);
  }

  @Test
  void aBrokerThatStaysDownFailsTheIngestInOneLine() throws Exception {
    ImageDataset train = KafkaFixtures.fashion("train", 4000);
    EmbeddedKafka kafka = EmbeddedKafka.start(tmp.resolve("kafka"));
    broker.set(kafka);
    String address = kafka.bootstrapServers();
    Path props = tmp.resolve("client.properties");
    Files.writeString(props, "delivery.timeout.ms=4000\nrequest.timeout.ms=2000\n");
    ClientConfig config = ClientConfig.of(address, props);

    long t0 = System.nanoTime();
    IllegalStateException e;
    try (DatasetPublisher publisher = new DatasetPublisher(config, BATCH)) {
      publisher.progress((split, batch, batches, acknowledged) -> {
        if (batch == 50) {
          kafka.close();
        }
      });
      e = assertThrows(IllegalStateException.class, () -> publisher.publish(train));
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    String m = e.getMessage();
    assertNotNull(m);
    assertFalse(m.contains("\n"), "one line: " + m);
    assertTrue(m.contains("at " + address + " failed: record fashion-mnist/train/"), m);
    assertTrue(m.contains("does not hold the whole dataset"), m);
    assertTrue(ms < 30_000, "failed after " + ms + " ms");
    System.out.println("broker down: " + m);
  }

  private static void assertSameAsSource(DatasetConsumer.Result consumed, ImageDataset... src) {
    assertEquals(List.of("train", "test"), List.copyOf(consumed.datasets().keySet()));
    long images = 0;
    for (ImageDataset original : src) {
      ImageDataset rebuilt = consumed.split(original.split());
      assertEquals(original.size(), rebuilt.size(), original.split());
      assertEquals(original.sha256(), rebuilt.sha256(), "source checksum of " + original.split());
      assertEquals(SampleRecords.pixelsSha256(original.pixels(), original.labels(), 10),
          SampleRecords.pixelsSha256(rebuilt.pixels(), rebuilt.labels(), 10),
          "pixels_sha256 of " + original.split());
      assertArrayEquals(original.labels(), rebuilt.labels());
      images += rebuilt.size();
    }
    assertEquals(images, consumed.images());
  }

  private static void assertNoDeadLetters(String address) throws Exception {
    try (Admin admin = ClientConfig.of(address).createAdmin()) {
      if (admin.listTopics().names().get().contains(Topics.DEADLETTER)) {
        assertEquals(0, KafkaFixtures.readAll(address, Topics.DEADLETTER).size());
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
