package org.reffakd.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reffakd.nn.data.ImageDataset;

/** The samples wire format without a broker: round trips and every rejection's reason. */
class SampleRecordsTest {

  static final String TOPIC = "reffakd.toy.samples";

  /** 7 RGB 2x3 images over 300 classes: labels need 2 bytes. */
  static ImageDataset toy() {
    int n = 7;
    byte[] px = new byte[n * 3 * 2 * 3];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) (i * 37);
    }
    int[] labels = {0, 299, 256, 255, 1, 298, 17};
    List<String> classes = IntStream.range(0, 300).mapToObj(i -> "c" + i).toList();
    return new ImageDataset("toy", "train", 3, 2, 3, px, labels, classes, "abc123");
  }

  static ConsumerRecord<byte[], byte[]> received(ProducerRecord<byte[], byte[]> r) {
    RecordHeaders h = new RecordHeaders();
    r.headers().forEach(h::add);
    return new ConsumerRecord<>(r.topic(), 0, 42L, 0L, TimestampType.CREATE_TIME,
        r.key() == null ? -1 : r.key().length, r.value() == null ? -1 : r.value().length,
        r.key(), r.value(), h, Optional.empty());
  }

  @Test
  void roundTripWithTwoByteLabels() {
    ImageDataset ds = toy();
    SampleRecords.Manifest m = SampleRecords.Manifest.of(ds, 3);
    assertEquals(3, m.batches());
    assertEquals(2, m.labelWidth());
    SampleRecords.Manifest back = SampleRecords.decodeManifest(
        received(SampleRecords.manifestRecord(TOPIC, m)));
    assertEquals(m, back);

    byte[] px = new byte[ds.pixels().length];
    int[] labels = new int[ds.size()];
    for (int i = 0; i < m.batches(); i++) {
      ConsumerRecord<byte[], byte[]> r = received(SampleRecords.batchRecord(TOPIC, ds, i, 3));
      assertEquals(SampleRecords.Kind.BATCH, SampleRecords.kind(r));
      assertEquals("toy/train/" + i, new String(r.key(), StandardCharsets.UTF_8));
      SampleRecords.Batch b = SampleRecords.decodeBatch(r, back);
      assertEquals(i < 2 ? 3 : 1, b.count());
      assertEquals(Integer.toString(b.count()), SampleRecords.header(r.headers(), "count"));
      b.copyPixels(px, i * 3 * 18);
      System.arraycopy(b.labels(), 0, labels, i * 3, b.count());
    }
    assertArrayEquals(ds.pixels(), px);
    assertArrayEquals(ds.labels(), labels);
    assertEquals(m.pixelsSha256(), SampleRecords.pixelsSha256(px, labels, 300));
  }

  @Test
  void rejectsMalformedManifests() {
    ImageDataset ds = toy();
    SampleRecords.Manifest m = SampleRecords.Manifest.of(ds, 3);
    ProducerRecord<byte[], byte[]> good = SampleRecords.manifestRecord(TOPIC, m);
    String json = new String(good.value(), StandardCharsets.UTF_8);

    assertReason("is not valid JSON", manifest(good, "{not json"));
    assertReason("'batches' must be a non-negative integer",
        manifest(good, json.replace("\"batches\":3", "\"batches\":\"3\"")));
    assertReason("4 batches disagree with count 7 and batch_size 3",
        manifest(good, json.replace("\"batches\":3", "\"batches\":4")));
    assertReason("'shape' must be [channels, height, width]",
        manifest(good, json.replace("[3,2,3]", "[3,2]")));
    assertReason("JSON names toy/test but the headers name toy/train",
        manifest(good, json.replace("\"split\":\"train\"", "\"split\":\"test\"")));
    assertReason("'pixels_sha256' is not 64 hex digits",
        manifest(good, json.replace(m.pixelsSha256(), "xyz")));
  }

  @Test
  void rejectsMalformedBatches() {
    ImageDataset ds = toy();
    SampleRecords.Manifest m = SampleRecords.Manifest.of(ds, 3);
    ProducerRecord<byte[], byte[]> b = SampleRecords.batchRecord(TOPIC, ds, 1, 3);

    ProducerRecord<byte[], byte[]> noCount = copy(b, b.key(), b.value());
    noCount.headers().remove("count");
    assertBatchReason("missing header 'count'", noCount, m);
    assertBatchReason("does not end in a batch index",
        copy(b, "toy/train/x".getBytes(StandardCharsets.UTF_8), b.value()), m);
    assertBatchReason("batch index 5 outside [0, 3)",
        copy(b, "toy/train/5".getBytes(StandardCharsets.UTF_8), b.value()), m);
    assertBatchReason("truncated payload: 10 bytes",
        copy(b, b.key(), java.util.Arrays.copyOf(b.value(), 10)), m);
    assertBatchReason("oversized payload",
        copy(b, b.key(), java.util.Arrays.copyOf(b.value(), b.value().length + 1)), m);
    byte[] magic = b.value().clone();
    magic[0] = 0;
    assertBatchReason("bad magic", copy(b, b.key(), magic), m);
    // the last batch holds 1 image; batch 1 claiming 1 image disagrees with the manifest
    byte[] one = SampleRecords.encodeBatch(3, 2, 3, 2, ds.labels(), 3, 1, ds.pixels(), 3 * 18);
    ProducerRecord<byte[], byte[]> short1 = copy(b, b.key(), one);
    short1.headers().remove("count");
    short1.headers().add("count", "1".getBytes(StandardCharsets.UTF_8));
    assertBatchReason("holds 1 images, the manifest expects 3", short1, m);
    int[] bad = ds.labels().clone();
    bad[4] = 300;
    assertBatchReason("label 300 of image 1 outside [0, 300)", copy(b, b.key(),
        SampleRecords.encodeBatch(3, 2, 3, 2, bad, 3, 3, ds.pixels(), 3 * 18)), m);
  }

  @Test
  void clientConfigMergesFileThenBootstrap(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("client.properties");
    Files.writeString(file, "bootstrap.servers=file:9092\nsecurity.protocol=SASL_SSL\n"
        + "linger.ms=50\n");
    ClientConfig c = ClientConfig.of("cli:9093", file);
    Properties p = c.producer();
    assertEquals("cli:9093", p.get("bootstrap.servers"));
    assertEquals("SASL_SSL", p.get("security.protocol"));
    assertEquals("50", p.get("linger.ms"), "the file overrides a default");
    assertEquals("true", p.get("enable.idempotence"));
    assertEquals("all", p.get("acks"));
    Properties cons = c.consumer("g");
    assertEquals("false", cons.get("enable.auto.commit"));
    assertEquals("earliest", cons.get("auto.offset.reset"));
    assertEquals("g", cons.get("group.id"));
    assertEquals("file:9092", ClientConfig.of(null, file).bootstrapServers());
    assertThrows(IllegalArgumentException.class, () -> ClientConfig.of(" ", null));
  }

  @Test
  void topicNames() {
    assertEquals("reffakd.fashion-mnist.samples", Topics.samples("fashion-mnist"));
    assertEquals(Optional.of("cifar100"), Topics.datasetOfSamples("reffakd.cifar100.samples"));
    assertEquals(Optional.empty(), Topics.datasetOfSamples(Topics.RUNS));
    assertThrows(IllegalArgumentException.class, () -> Topics.samples("Bad Name"));
  }

  private static ProducerRecord<byte[], byte[]> manifest(ProducerRecord<byte[], byte[]> good,
                                                        String json) {
    return copy(good, good.key(), json.getBytes(StandardCharsets.UTF_8));
  }

  private static ProducerRecord<byte[], byte[]> copy(ProducerRecord<byte[], byte[]> r,
                                                    byte[] key, byte[] value) {
    RecordHeaders h = new RecordHeaders();
    r.headers().forEach(h::add);
    return new ProducerRecord<>(r.topic(), null, key, value, h);
  }

  private static void assertReason(String fragment, ProducerRecord<byte[], byte[]> r) {
    MalformedRecordException e = assertThrows(MalformedRecordException.class,
        () -> SampleRecords.decodeManifest(received(r)));
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  private static void assertBatchReason(String fragment, ProducerRecord<byte[], byte[]> r,
                                        SampleRecords.Manifest m) {
    MalformedRecordException e = assertThrows(MalformedRecordException.class,
        () -> SampleRecords.decodeBatch(received(r), m));
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  @Test
  void encodedOnceRecordsEqualTheEncodeAgainOnes() {
    ImageDataset ds = toy();
    int bs = 3;
    List<String> shas = IntStream.range(0, 3)
        .mapToObj(i -> SampleRecords.sha256Hex(SampleRecords.batchValue(ds, i, bs))).toList();
    assertEquals(SampleRecords.Manifest.of(ds, bs), SampleRecords.Manifest.of(ds, bs, shas));
    assertThrows(IllegalArgumentException.class,
        () -> SampleRecords.Manifest.of(ds, bs, shas.subList(0, 2)));
    for (int i = 0; i < 3; i++) {
      ProducerRecord<byte[], byte[]> a = SampleRecords.batchRecord(TOPIC, ds, i, bs);
      ProducerRecord<byte[], byte[]> b = SampleRecords.batchRecord(TOPIC, ds, i, bs,
          SampleRecords.batchValue(ds, i, bs), shas.get(i));
      assertArrayEquals(a.key(), b.key());
      assertArrayEquals(a.value(), b.value());
      assertEquals(a.headers(), b.headers());
    }
  }
}
