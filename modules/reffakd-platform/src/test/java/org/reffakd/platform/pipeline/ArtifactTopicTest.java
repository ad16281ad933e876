package org.reffakd.platform.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.reffakd.kafka.EmbeddedBroker;
import org.reffakd.kafka.Topics;
import org.reffakd.nn.run.ArtifactStore;
import org.reffakd.platform.metrics.PlatformMetrics;

/**
 * Artefacts travel through Kafka (issue 20): a store with an empty folder gets what another
 * store put, from the topic alone; the folder is a cache whose damaged files are fetched again;
 * a damaged or missing chunk on the topic is one error naming the artefact, never a file.
 */
class ArtifactTopicTest {

  @TempDir
  static Path tmp;
  @RegisterExtension
  static final EmbeddedBroker broker = new EmbeddedBroker(() -> tmp.resolve("kafka"));
  static ArtifactTopic topic;

  @BeforeAll
  static void topic() {
    try (Admin admin = broker.config().createAdmin()) {
      Topics.ensure(admin, Topics.ARTIFACTS);
    }
    topic = new ArtifactTopic(broker.config(), new PlatformMetrics());
  }

  @AfterAll
  static void stop() {
    if (topic != null) {
      topic.close();
    }
  }

  private static Path file(String name, int bytes, long seed) throws Exception {
    byte[] b = new byte[bytes];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < bytes; i++) {
      b[i] = (byte) r.nextInt(256);
    }
    Path f = tmp.resolve(name);
    Files.write(f, b);
    return f;
  }

  private static ArtifactStore store(String name) {
    return new ArtifactStore(tmp.resolve(name), topic);
  }

  @Test
  void anEmptyCacheGetsWhatAnotherStorePutFromTheTopicAlone() throws Exception {
    // a LeNet-size checkpoint (250 KB: one chunk) and a ResNet-18-size one (45 MB: 86 chunks)
    for (int bytes : new int[] {250_000, 45 * 1024 * 1024 + 17}) {
      Path src = file("a" + bytes, bytes, bytes);
      long t0 = System.nanoTime();
      String sha = store("machine-1-" + bytes).put(src);
      double put = (System.nanoTime() - t0) / 1e9;
      ArtifactStore other = store("machine-2-" + bytes);
      assertTrue(!other.contains(sha));
      t0 = System.nanoTime();
      Path got = other.get(sha);
      double get = (System.nanoTime() - t0) / 1e9;
      assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(got));
      assertTrue(got.startsWith(tmp.resolve("machine-2-" + bytes)), got.toString());
      assertTrue(other.contains(sha)); // cached: the next get reads the folder
      System.out.printf("artifact of %d bytes: put (store + publish) %.2f s, get from the "
          + "topic %.2f s%n", bytes, put, get);
    }
  }

  @Test
  void aDamagedCachedFileIsFetchedAgain() throws Exception {
    Path src = file("b", 300_000, 2);
    String sha = store("b1").put(src);
    ArtifactStore cache = store("b2");
    Path p = cache.get(sha);
    byte[] bytes = Files.readAllBytes(p);
    bytes[1000] ^= 1;
    Files.write(p, bytes);
    assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(cache.get(sha)));
    // without the topic the same damage is refused, named
    Files.write(p, bytes);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new ArtifactStore(tmp.resolve("b2")).get(sha));
    assertTrue(e.getMessage().contains("is corrupt"), e.getMessage());
  }

  @Test
  void aDamagedChunkOnTheTopicIsOneErrorNamingTheArtifactAndTheChunk() throws Exception {
    Path src = file("c", ArtifactTopic.CHUNK_BYTES * 2 + 5, 3); // three chunks
    String sha = store("c1").put(src);
    try (KafkaProducer<byte[], byte[]> p = broker.config().createProducer()) {
      // a later record under the second chunk's key: what compaction would keep
      p.send(new ProducerRecord<>(Topics.ARTIFACTS,
          ArtifactTopic.partition(sha, Topics.ARTIFACTS_PARTITIONS),
          (sha + "/1").getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3})).get();
    }
    ArtifactStore fresh = store("c2");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> fresh.get(sha));
    assertTrue(e.getMessage().contains(sha) && e.getMessage().contains("chunk 2 of 3 is corrupt"),
        e.getMessage());
    // nothing half-written is left in the cache
    assertTrue(!fresh.contains(sha));
  }

  @Test
  void anArtifactNowhereIsNamedWithTheStoreAndTheTopic() {
    String sha = "ab".repeat(32);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> store("d").get(sha));
    assertTrue(e.getMessage().contains(sha) && e.getMessage().contains(Topics.ARTIFACTS),
        e.getMessage());
    assertEquals(0, ArtifactTopic.partition("00000000" + "0".repeat(56), 8));
  }
}
