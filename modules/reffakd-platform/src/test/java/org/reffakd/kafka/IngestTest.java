package org.reffakd.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.reffakd.nn.data.ImageDataset;

/**
 * Real Fashion-MNIST through a real (embedded) broker: published and rebuilt byte for byte,
 * every batch record carrying its headers; poison records dead-lettered with their reason while
 * the dataset is still rebuilt; the consumer group's committed offsets at the end offsets.
 */
class IngestTest {

  @TempDir
  static Path tmp;
  @RegisterExtension
  static final EmbeddedBroker broker = new EmbeddedBroker(() -> tmp);
  static ClientConfig config;
  static Admin admin;

  @BeforeAll
  static void clients() {
    config = broker.config();
    admin = config.createAdmin();
  }

  @AfterAll
  static void stop() {
    if (admin != null) {
      admin.close();
    }
  }

  /** The failure of consuming {@code splits} of {@code topic} in a group of its own. */
  static IllegalStateException consumeFails(String group, String topic, Set<String> splits,
                                            Duration timeout) {
    try (DatasetConsumer consumer = new DatasetConsumer(config, group)) {
      return assertThrows(IllegalStateException.class,
          () -> consumer.consume(topic, splits, timeout));
    }
  }

  @Test
  void publishesAndRebuildsRealFashionMnist() throws Exception {
    ImageDataset train = KafkaFixtures.fashion("train", 2000);
    ImageDataset test = KafkaFixtures.fashion("test", 500);
    String topic = Topics.samples("fashion-mnist");

    DatasetPublisher.Result published;
    try (DatasetPublisher publisher = new DatasetPublisher(config)) {
      published = publisher.publish(train, test);
    }
    assertEquals(topic, published.topic());
    assertEquals(2500, published.images());
    assertEquals(2 + 4 + 1, published.records(), "2 manifests, 4 + 1 batches of 500");

    DatasetConsumer.Result consumed;
    try (DatasetConsumer consumer = new DatasetConsumer(config, "ingest-test")) {
      consumed = consumer.consume(topic, Set.of("train", "test"), Duration.ofSeconds(30));
    }
    assertEquals(7, consumed.recordsRead());
    assertEquals(2500, consumed.images());
    assertEquals(0, consumed.deadLettered());
    assertEquals(List.of("train", "test"), List.copyOf(consumed.datasets().keySet()));
    for (ImageDataset original : List.of(train, test)) {
      ImageDataset rebuilt = consumed.split(original.split());
      assertEquals(original.name(), rebuilt.name());
      assertEquals(original.split(), rebuilt.split());
      assertEquals(original.size(), rebuilt.size());
      assertEquals(List.of(1, 28, 28),
          List.of(rebuilt.channels(), rebuilt.height(), rebuilt.width()));
      assertArrayEquals(original.pixels(), rebuilt.pixels());
      assertArrayEquals(original.labels(), rebuilt.labels());
      assertEquals(original.classNames(), rebuilt.classNames());
      assertEquals(original.sha256(), rebuilt.sha256(), "provenance checksum unchanged");
    }

    // every record on the topic, as stored
    List<ConsumerRecord<byte[], byte[]>> records =
        KafkaFixtures.readAll(broker.kafka().bootstrapServers(), topic);
    assertEquals(7, records.size());
    Map<String, Integer> imagesPerSplit = new HashMap<>();
    List<String> keys = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      String key = new String(r.key(), StandardCharsets.UTF_8);
      keys.add(key);
      String split = header(r, "split");
      assertEquals("fashion-mnist", header(r, "dataset"), key);
      assertNotNull(split, key);
      if (key.endsWith("/manifest")) {
        assertEquals(SampleRecords.MANIFEST_SCHEMA, header(r, "schema"), key);
        SampleRecords.Manifest m = SampleRecords.decodeManifest(r);
        ImageDataset original = split.equals("train") ? train : test;
        assertEquals(original.size(), m.count());
        assertEquals(original.sha256(), m.checksum());
        assertEquals(SampleRecords.pixelsSha256(original.pixels(), original.labels(), 10),
            m.pixelsSha256());
        assertEquals(original.classNames(), m.classes());
      } else {
        assertEquals(SampleRecords.BATCH_SCHEMA, header(r, "schema"), key);
        int count = Integer.parseInt(header(r, "count"));
        assertEquals(SampleRecords.HEADER_BYTES + count + count * 784, r.value().length,
            key + ": count header equals the images in the record");
        imagesPerSplit.merge(split, count, Integer::sum);
      }
    }
    assertEquals(List.of("fashion-mnist/train/manifest", "fashion-mnist/train/0",
        "fashion-mnist/train/1", "fashion-mnist/train/2", "fashion-mnist/train/3",
        "fashion-mnist/test/manifest", "fashion-mnist/test/0"), keys, "manifest first, in order");
    assertEquals(Map.of("train", 2000, "test", 500), imagesPerSplit);

    assertCommittedAtEnd("ingest-test", topic);
  }

  @Test
  void poisonRecordsGoToTheDeadLetterTopic() throws Exception {
    String topic = Topics.samples("fashion-mnist-dlq");
    Topics.ensure(admin, topic);
    ImageDataset train = renamed(KafkaFixtures.fashion("train", 1000), "fashion-mnist-dlq");
    int batch = 200;
    SampleRecords.Manifest manifest = SampleRecords.Manifest.of(train, batch);
    List<ProducerRecord<byte[], byte[]>> good = new ArrayList<>();
    for (int i = 0; i < manifest.batches(); i++) {
      good.add(SampleRecords.batchRecord(topic, train, i, batch));
    }
    ProducerRecord<byte[], byte[]> b1 = good.get(1);

    // each poison record with the reason (a fragment) the consumer must give
    Map<String, ProducerRecord<byte[], byte[]>> poison = new java.util.LinkedHashMap<>();
    poison.put("unknown schema 'reffakd.samples.v0'",
        withHeader(b1, "schema", "reffakd.samples.v0"));
    poison.put("truncated payload",
        new ProducerRecord<>(topic, null, b1.key(), java.util.Arrays.copyOf(b1.value(), 5000),
            b1.headers()));
    poison.put("header 'count' 199 disagrees with the payload's count 200",
        withHeader(b1, "count", "199"));
    byte[] flat = SampleRecords.encodeBatch(1, 14, 56, 1, train.labels(), batch, batch,
        train.pixels(), batch * 784);
    poison.put("shape [1,14,56] disagrees with the manifest's [1,28,28]",
        new ProducerRecord<>(topic, null, b1.key(), flat, b1.headers()));
    int[] badLabels = train.labels().clone();
    badLabels[batch + 7] = 10;
    byte[] outOfRange = SampleRecords.encodeBatch(1, 28, 28, 1, badLabels, batch, batch,
        train.pixels(), batch * 784);
    poison.put("label 10 of image 7 outside [0, 10)",
        new ProducerRecord<>(topic, null, b1.key(), outOfRange, b1.headers()));
    poison.put("missing header 'schema'", new ProducerRecord<>(topic, null,
        "hello".getBytes(StandardCharsets.UTF_8), "world".getBytes(StandardCharsets.UTF_8)));
    poison.put("dataset 'mnist' does not belong on " + topic,
        withHeader(b1, "dataset", "mnist"));
    poison.put("without a manifest", withHeader(withHeader(b1, "split", "val"), "count", "200"));

    // interleave: manifest, then good and poison records alternating
    List<ProducerRecord<byte[], byte[]>> sequence = new ArrayList<>();
    sequence.add(SampleRecords.manifestRecord(topic, manifest));
    List<ProducerRecord<byte[], byte[]>> bad = new ArrayList<>(poison.values());
    for (int i = 0; i < Math.max(good.size(), bad.size()); i++) {
      if (i < bad.size()) {
        sequence.add(bad.get(i));
      }
      if (i < good.size()) {
        sequence.add(good.get(i));
      }
    }
    Map<ProducerRecord<byte[], byte[]>, Long> offsets = new java.util.IdentityHashMap<>();
    try (KafkaProducer<byte[], byte[]> p = config.createProducer()) {
      for (ProducerRecord<byte[], byte[]> r : sequence) {
        RecordMetadata meta = p.send(r).get();
        offsets.put(r, meta.offset());
      }
    }

    DatasetConsumer.Result result;
    try (DatasetConsumer consumer = new DatasetConsumer(config, "dlq-test")) {
      result = consumer.consume(topic, Set.of("train"), Duration.ofSeconds(30));
    }
    assertEquals(sequence.size(), result.recordsRead());
    assertEquals(poison.size(), result.deadLettered());
    assertEquals(1000, result.images());
    ImageDataset rebuilt = result.split("train");
    assertArrayEquals(train.pixels(), rebuilt.pixels());
    assertArrayEquals(train.labels(), rebuilt.labels());

    List<String> expected = new ArrayList<>(poison.keySet());
    assertEquals(expected.size(), result.deadLetterReasons().size());
    for (int i = 0; i < expected.size(); i++) {
      assertTrue(result.deadLetterReasons().get(i).contains(expected.get(i)),
          result.deadLetterReasons().get(i) + " should contain " + expected.get(i));
    }

    List<ConsumerRecord<byte[], byte[]>> dead =
        KafkaFixtures.readAll(broker.kafka().bootstrapServers(), Topics.DEADLETTER).stream()
            .filter(r -> topic.equals(header(r, DatasetConsumer.H_SOURCE_TOPIC)))
            .toList();
    assertEquals(poison.size(), dead.size());
    int i = 0;
    for (Map.Entry<String, ProducerRecord<byte[], byte[]>> e : poison.entrySet()) {
      ConsumerRecord<byte[], byte[]> d = dead.get(i++);
      ProducerRecord<byte[], byte[]> original = e.getValue();
      assertTrue(header(d, DatasetConsumer.H_REASON).contains(e.getKey()),
          header(d, DatasetConsumer.H_REASON));
      assertEquals("0", header(d, DatasetConsumer.H_SOURCE_PARTITION));
      assertEquals(Long.toString(offsets.get(original)),
          header(d, DatasetConsumer.H_SOURCE_OFFSET));
      assertArrayEquals(original.key(), d.key(), "original key kept");
      assertArrayEquals(original.value(), d.value(), "original value kept");
    }
    Set<String> reasons = dead.stream().map(d -> header(d, DatasetConsumer.H_REASON))
        .collect(Collectors.toSet());
    assertEquals(poison.size(), reasons.size(), "one distinct reason each");

    assertCommittedAtEnd("dlq-test", topic);
  }

  @Test
  void outOfOrderRepeatedAndEarlyBatchesStillRebuild() {
    ImageDataset train = KafkaFixtures.fashion("train", 300);
    int[][] orders = {{-1, 2, 0, 1, 0}, {0, -1, 1, 2}}; // -1: the manifest
    for (int k = 0; k < orders.length; k++) {
      String name = "fashion-mnist-order" + k;
      String topic = Topics.samples(name);
      Topics.ensure(admin, topic);
      ImageDataset ds = renamed(train, name);
      SampleRecords.Manifest m = SampleRecords.Manifest.of(ds, 100);
      try (KafkaProducer<byte[], byte[]> p = config.createProducer()) {
        for (int i : orders[k]) {
          p.send(i < 0 ? SampleRecords.manifestRecord(topic, m)
              : SampleRecords.batchRecord(topic, ds, i, 100));
        }
      }
      DatasetConsumer.Result r;
      try (DatasetConsumer consumer = new DatasetConsumer(config, "order-test")) {
        r = consumer.consume(topic, Set.of("train"), Duration.ofSeconds(30));
      }
      assertEquals(0, r.deadLettered(), r.deadLetterReasons().toString());
      assertEquals(orders[k].length, r.recordsRead());
      assertArrayEquals(ds.pixels(), r.split("train").pixels());
      assertArrayEquals(ds.labels(), r.split("train").labels());
    }
  }

  @Test
  void timeoutNamesWhatIsMissing() {
    String topic = Topics.samples("fashion-mnist-partial");
    Topics.ensure(admin, topic);
    ImageDataset train = renamed(KafkaFixtures.fashion("train", 300), "fashion-mnist-partial");
    SampleRecords.Manifest m = SampleRecords.Manifest.of(train, 100);
    try (KafkaProducer<byte[], byte[]> p = config.createProducer()) {
      p.send(SampleRecords.manifestRecord(topic, m));
      p.send(SampleRecords.batchRecord(topic, train, 0, 100));
      p.send(SampleRecords.batchRecord(topic, train, 2, 100));
    }
    IllegalStateException e = consumeFails("partial-test", topic, Set.of("train", "test"),
        Duration.ofSeconds(1));
    assertTrue(e.getMessage().contains("test: no manifest"), e.getMessage());
    assertTrue(e.getMessage().contains("train: 200/300 images, 2/3 batches (missing [1])"),
        e.getMessage());
  }

  @Test
  void aMissingTopicFailsWithinSecondsNamingTheCommandThatFillsIt() {
    String topic = Topics.samples("never-ingested");
    long t0 = System.nanoTime();
    IllegalStateException e = consumeFails("missing-test", topic, Set.of("train", "test"),
        Duration.ofMinutes(10));
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertTrue(seconds < 15, "failed after " + seconds + " s");
    assertTrue(e.getMessage().contains("topic " + topic + " does not exist at "
        + broker.kafka().bootstrapServers()), e.getMessage());
    assertTrue(e.getMessage().contains("reffakd ingest --dataset never-ingested"),
        e.getMessage());

    // the platform's data source asks for the topic's version first: same fast failure
    org.reffakd.platform.pipeline.TopicDataSource source =
        new org.reffakd.platform.pipeline.TopicDataSource(config, Duration.ofMinutes(10),
            new org.reffakd.platform.metrics.PlatformMetrics());
    long t1 = System.nanoTime();
    IllegalStateException v = assertThrows(IllegalStateException.class,
        () -> source.version(org.reffakd.nn.run.RunConfig.defaults("never-ingested")));
    assertTrue((System.nanoTime() - t1) / 1e9 < 15);
    assertTrue(v.getMessage().contains("reffakd ingest --dataset never-ingested"),
        v.getMessage());
  }

  @Test
  void aTopicWithoutTheSplitsManifestFailsAfterTheGraceNotTheTimeout() {
    String topic = Topics.samples("fashion-mnist-nomanifest");
    Topics.ensure(admin, topic);
    ImageDataset train = renamed(KafkaFixtures.fashion("train", 200), "fashion-mnist-nomanifest");
    try (KafkaProducer<byte[], byte[]> p = config.createProducer()) {
      p.send(SampleRecords.manifestRecord(topic, SampleRecords.Manifest.of(train, 100)));
      p.send(SampleRecords.batchRecord(topic, train, 0, 100));
      p.send(SampleRecords.batchRecord(topic, train, 1, 100));
    }
    long t0 = System.nanoTime();
    IllegalStateException e = consumeFails("nomanifest-test", topic, Set.of("train", "test"),
        Duration.ofMinutes(10));
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertTrue(seconds < 15, "failed after " + seconds + " s");
    assertTrue(e.getMessage().contains(topic + " at " + broker.kafka().bootstrapServers()
        + " has no manifest for [test]"), e.getMessage());
    assertTrue(e.getMessage().contains("reffakd ingest --dataset fashion-mnist-nomanifest"),
        e.getMessage());
  }

  @Test
  void aValidBatchUnderAnotherKeyOrAlteredIsDeadLetteredAndNamed() {
    String name = "fashion-mnist-wrongkey";
    String topic = Topics.samples(name);
    Topics.ensure(admin, topic);
    ImageDataset train = renamed(KafkaFixtures.fashion("train", 300), name);
    SampleRecords.Manifest m = SampleRecords.Manifest.of(train, 100);
    ProducerRecord<byte[], byte[]> b1 = SampleRecords.batchRecord(topic, train, 1, 100);
    byte[] key2 = (name + "/train/2").getBytes(StandardCharsets.UTF_8);
    // batch 1's payload under batch 2's key: as sent (index header 1), and with headers that
    // agree with the key (index 2, its own SHA-256): only the manifest's checksums tell
    ProducerRecord<byte[], byte[]> asSent =
        new ProducerRecord<>(topic, null, key2, b1.value(), b1.headers());
    ProducerRecord<byte[], byte[]> relabelled = withHeader(asSent, SampleRecords.H_INDEX, "2");
    byte[] altered = SampleRecords.batchRecord(topic, train, 0, 100).value().clone();
    altered[altered.length - 1] ^= 1;
    ProducerRecord<byte[], byte[]> flipped = new ProducerRecord<>(topic, null,
        (name + "/train/0").getBytes(StandardCharsets.UTF_8), altered,
        SampleRecords.batchRecord(topic, train, 0, 100).headers());
    try (KafkaProducer<byte[], byte[]> p = config.createProducer()) {
      p.send(SampleRecords.manifestRecord(topic, m));
      p.send(asSent);
      p.send(relabelled);
      p.send(flipped);
      for (int i = 0; i < 3; i++) {
        p.send(SampleRecords.batchRecord(topic, train, i, 100));
      }
    }
    DatasetConsumer.Result r;
    try (DatasetConsumer consumer = new DatasetConsumer(config, "wrongkey-test")) {
      r = consumer.consume(topic, Set.of("train"), Duration.ofSeconds(30));
    }
    assertEquals(3, r.deadLettered(), r.deadLetterReasons().toString());
    String reasons = String.join("\n", r.deadLetterReasons());
    assertTrue(reasons.contains("batch " + name + "/train/2: the key says batch 2 but header "
        + "'index' says 1 (sent under the wrong key)"), reasons);
    assertTrue(reasons.contains("batch " + name + "/train/2: payload is not batch 2 of " + name
        + "/train's manifest (it is batch 1's: sent under the wrong key)"), reasons);
    assertTrue(reasons.contains("batch " + name + "/train/0: payload SHA-256 ")
        && reasons.contains("(the payload was altered)"), reasons);
    assertArrayEquals(train.pixels(), r.split("train").pixels(), "the good batches rebuild it");
    assertArrayEquals(train.labels(), r.split("train").labels());
  }

  @Test
  void aManifestMismatchNamesTheRecordsAtFault() {
    ImageDataset train = renamed(KafkaFixtures.fashion("train", 200), "fashion-mnist-badsum");
    String topic = Topics.samples("fashion-mnist-badsum");
    Topics.ensure(admin, topic);
    SampleRecords.Manifest good = SampleRecords.Manifest.of(train, 100);
    String zeros = "0".repeat(64);
    SampleRecords.Manifest wrong = new SampleRecords.Manifest(good.dataset(), good.split(),
        good.classes(), good.channels(), good.height(), good.width(), good.count(),
        good.batches(), good.batchSize(), good.checksum(), zeros, good.batchSha256());
    try (KafkaProducer<byte[], byte[]> p = config.createProducer()) {
      p.send(SampleRecords.manifestRecord(topic, wrong));
      p.send(SampleRecords.batchRecord(topic, train, 0, 100));
      p.send(SampleRecords.batchRecord(topic, train, 1, 100));
    }
    IllegalStateException e = consumeFails("badsum-test", topic, Set.of("train"),
        Duration.ofSeconds(30));
    assertTrue(e.getMessage().contains("the manifest record fashion-mnist-badsum/train/manifest"
        + " at partition@offset 0@0 is at fault"), e.getMessage());
    assertTrue(e.getMessage().contains("reffakd ingest --dataset fashion-mnist-badsum"),
        e.getMessage());

    // a manifest from before batch checksums: the batches used are named
    ImageDataset old = renamed(KafkaFixtures.fashion("train", 200), "fashion-mnist-oldsum");
    String oldTopic = Topics.samples("fashion-mnist-oldsum");
    Topics.ensure(admin, oldTopic);
    SampleRecords.Manifest g = SampleRecords.Manifest.of(old, 100);
    SampleRecords.Manifest legacy = new SampleRecords.Manifest(g.dataset(), g.split(),
        g.classes(), g.channels(), g.height(), g.width(), g.count(), g.batches(),
        g.batchSize(), g.checksum(), g.pixelsSha256());
    byte[] altered = SampleRecords.batchRecord(oldTopic, old, 1, 100).value().clone();
    altered[altered.length - 1] ^= 1;
    ProducerRecord<byte[], byte[]> b1 = SampleRecords.batchRecord(oldTopic, old, 1, 100);
    RecordHeaders legacyHeaders = new RecordHeaders();
    b1.headers().forEach(h -> {
      if (!h.key().equals(SampleRecords.H_SHA256) && !h.key().equals(SampleRecords.H_INDEX)) {
        legacyHeaders.add(h);
      }
    });
    try (KafkaProducer<byte[], byte[]> p = config.createProducer()) {
      p.send(SampleRecords.manifestRecord(oldTopic, legacy));
      p.send(SampleRecords.batchRecord(oldTopic, old, 0, 100));
      p.send(new ProducerRecord<>(oldTopic, null, b1.key(), altered, legacyHeaders));
    }
    e = consumeFails("oldsum-test", oldTopic, Set.of("train"),
        Duration.ofSeconds(30));
    assertTrue(e.getMessage().contains("lists no batch checksums")
        && e.getMessage().contains("batch=partition@offset: 0=0@1, 1=0@2"), e.getMessage());
  }

  private static void assertCommittedAtEnd(String group, String topic) throws Exception {
    TopicPartition tp = new TopicPartition(topic, 0);
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    long end = admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get()
        .offset();
    assertTrue(end > 0);
    assertNotNull(committed.get(tp), "group " + group + " committed " + topic);
    assertEquals(end, committed.get(tp).offset(), "committed offset = end offset");
  }

  private static ImageDataset renamed(ImageDataset ds, String name) {
    return new ImageDataset(name, ds.split(), ds.channels(), ds.height(), ds.width(),
        ds.pixels(), ds.labels(), ds.classNames(), ds.sha256());
  }

  private static ProducerRecord<byte[], byte[]> withHeader(ProducerRecord<byte[], byte[]> r,
                                                          String name, String value) {
    RecordHeaders h = new RecordHeaders();
    r.headers().forEach(x -> {
      if (!x.key().equals(name)) {
        h.add(x);
      }
    });
    h.add(name, value.getBytes(StandardCharsets.UTF_8));
    return new ProducerRecord<>(r.topic(), null, r.key(), r.value(), h);
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    return SampleRecords.header(r.headers(), name);
  }
}
