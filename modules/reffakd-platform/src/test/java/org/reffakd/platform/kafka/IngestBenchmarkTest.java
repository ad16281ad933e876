package org.reffakd.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark runs end to end on a small real subset and reports both metrics. */
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
    }
  }

  @Test
  void median() {
    assertEquals(2.0, IngestBenchmark.median(new double[] {3, 1, 2}));
    assertEquals(2.5, IngestBenchmark.median(new double[] {4, 1, 2, 3}));
  }
}
