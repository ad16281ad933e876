package org.reffakd.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark runs end to end on a small real subset and reports ours and the raw client's
 * metrics; the raw baseline moves exactly the records our publisher sends.
 */
class IngestBenchmarkTest {

  @Test
  void reportsBothMetrics(@TempDir Path tmp) {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(tmp)) {
      IngestBenchmark.Result r = IngestBenchmark.run(ClientConfig.of(kafka.bootstrapServers()),
          List.of(KafkaFixtures.fashion("train", 2000), KafkaFixtures.fashion("test", 500)), 1);
      assertEquals(2500, r.imagesPerRun());
      assertEquals(1, r.produceRuns().length);
      assertTrue(r.metrics().get(IngestBenchmark.PRODUCE_METRIC) > 0, r.toString());
      assertTrue(r.metrics().get(IngestBenchmark.CONSUME_METRIC) > 0, r.toString());
      assertTrue(r.metrics().get(IngestBenchmark.RAW_PRODUCE_METRIC) > 0, r.toString());
      assertTrue(r.metrics().get(IngestBenchmark.RAW_CONSUME_METRIC) > 0, r.toString());
      assertEquals(r.produceImagesPerSecond() / r.rawProduceImagesPerSecond(),
          r.metrics().get("ingest_produce_vs_raw"), 1e-9);
      assertEquals(r.consumeImagesPerSecond() / r.rawConsumeImagesPerSecond(),
          r.metrics().get("ingest_consume_vs_raw"), 1e-9);
    }
  }

  @Test
  void rawBaselineSendsOurRecords() {
    var splits = List.of(KafkaFixtures.fashion("train", 1200), KafkaFixtures.fashion("test", 300));
    try (DatasetPublisher publisher = new DatasetPublisher(ClientConfig.of("127.0.0.1:1"))) {
      var records = IngestBenchmark.sameRecords(publisher, "t", splits);
      // per split a manifest, then 500 images per batch record
      assertEquals(1 + 3 + 1 + 1, records.size());
      long images = records.stream().filter(r -> r.headers().lastHeader("count") != null)
          .mapToLong(r -> Long.parseLong(new String(r.headers().lastHeader("count").value(),
              java.nio.charset.StandardCharsets.UTF_8))).sum();
      assertEquals(1500, images);
      var again = SampleRecords.batchRecord("t", splits.get(0), 1, 500);
      assertTrue(java.util.Arrays.equals(again.value(), records.get(2).value()));
      assertEquals(new String(again.key()), new String(records.get(2).key()));
    }
  }

  @Test
  void median() {
    assertEquals(2.0, IngestBenchmark.median(new double[] {3, 1, 2}));
    assertEquals(2.5, IngestBenchmark.median(new double[] {4, 1, 2, 3}));
  }
}
