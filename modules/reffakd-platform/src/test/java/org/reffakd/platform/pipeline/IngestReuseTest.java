package org.reffakd.platform.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.reffakd.nn.data.Datasets;
import org.reffakd.nn.data.ImageDataset;
import org.reffakd.nn.run.FashionSubset;
import org.reffakd.kafka.ClientConfig;
import org.reffakd.kafka.EmbeddedBroker;
import org.reffakd.kafka.EmbeddedKafka;
import org.reffakd.kafka.SampleRecords;
import org.reffakd.kafka.Topics;

/**
 * Ingest with reuse: a samples topic that already holds the dataset exactly as the files give it
 * is not published again (the log does not grow); other files, or a topic missing batches, are
 * published.
 */
class IngestReuseTest {

  @TempDir
  static Path tmp;
  @RegisterExtension
  static final EmbeddedBroker broker = new EmbeddedBroker(() -> tmp.resolve("kafka"));
  static ClientConfig config;

  @BeforeAll
  static void client() {
    config = broker.config();
  }

  static long endOffset(String topic) {
    TopicPartition tp = new TopicPartition(topic, 0);
    try (KafkaConsumer<byte[], byte[]> c = config.createConsumer(null)) {
      return c.endOffsets(List.of(tp)).get(tp);
    }
  }

  @Test
  void theSameFilesAreNotPublishedTwiceOtherFilesAre() throws Exception {
    Path data = tmp.resolve("a");
    FashionSubset.writeIdx(data, 1200, 300);
    String topic = Topics.samples("fashion-mnist");
    JsonObject first = IngestVerticle.ingest(config, "fashion-mnist", data, true);
    assertFalse(first.getBoolean("reused"), "nothing to reuse yet: " + first);
    long end = endOffset(topic);
    assertEquals(end, first.getLong("records"));

    JsonObject again = IngestVerticle.ingest(config, "fashion-mnist", data, true);
    assertTrue(again.getBoolean("reused"), again.encode());
    assertEquals(0L, again.getLong("records"));
    assertEquals(1500L, again.getLong("images"));
    assertEquals(end, endOffset(topic), "the samples log did not grow");

    // without reuse (reffakd ingest), the files are published as asked
    assertFalse(IngestVerticle.ingest(config, "fashion-mnist", data, false)
        .getBoolean("reused"));
    assertEquals(2 * end, endOffset(topic));
    assertTrue(IngestVerticle.ingest(config, "fashion-mnist", data, true).getBoolean("reused"),
        "a re-publication of the same manifest still counts as holding it");

    // other files (another checksum) are published
    Path other = tmp.resolve("b");
    FashionSubset.writeIdx(other, 1000, 300);
    JsonObject changed = IngestVerticle.ingest(config, "fashion-mnist", other, true);
    assertFalse(changed.getBoolean("reused"), changed.encode());
    assertTrue(changed.getLong("records") > 0);
  }

  @Test
  void aTopicWithTheManifestsButNotEveryBatchIsPublishedAgain() throws Exception {
    Path data = tmp.resolve("c");
    FashionSubset.writeIdx(data, 600, 300);
    String name = "fashion-mnist";
    ImageDataset train = Datasets.load(name, data, "train");
    ImageDataset test = Datasets.load(name, data, "test");
    EmbeddedKafka own = EmbeddedKafka.start(tmp.resolve("kafka-partial"));
    try {
      ClientConfig c = ClientConfig.of(own.bootstrapServers());
      String topic = Topics.samples(name);
      try (var admin = c.createAdmin()) {
        Topics.ensure(admin, topic);
      }
      try (KafkaProducer<byte[], byte[]> p = c.createProducer()) {
        p.send(SampleRecords.manifestRecord(topic, SampleRecords.Manifest.of(train, 500)));
        p.send(SampleRecords.batchRecord(topic, train, 0, 500)); // batch 1 of 2 missing
        p.send(SampleRecords.manifestRecord(topic, SampleRecords.Manifest.of(test, 500)));
        p.send(SampleRecords.batchRecord(topic, test, 0, 500));
      }
      assertFalse(IngestVerticle.holds(c, topic, train, test));
      assertTrue(IngestVerticle.holds(c, topic, test), "the complete split is held");
      JsonObject r = IngestVerticle.ingest(c, name, data, true);
      assertFalse(r.getBoolean("reused"), r.encode());
      assertTrue(IngestVerticle.holds(c, topic, train, test));
      assertEquals(Map.of(), new org.reffakd.kafka.DatasetConsumer(c, "g")
          .completeSplits(Topics.samples("never-there"), java.time.Duration.ofSeconds(10)));
    } finally {
      own.close();
    }
  }
}
