package org.reffakd.platform.pipeline;

import static java.lang.System.Logger.Level.WARNING;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.reffakd.nn.data.ImageDataset;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.nn.run.RunData;
import org.reffakd.nn.util.Logs;
import org.reffakd.kafka.ClientConfig;
import org.reffakd.kafka.DatasetConsumer;
import org.reffakd.kafka.Topics;
import org.reffakd.platform.metrics.PlatformMetrics;

/**
 * A run's images rebuilt from the dataset's samples topic ({@code reffakd.<dataset>.samples}),
 * read from the beginning by a consumer group of its own; malformed records go to the
 * dead-letter topic and are counted, the rest of the data still loads.
 */
public record TopicDataSource(ClientConfig kafka, Duration timeout, PlatformMetrics metrics)
    implements DataSource {

  private static final System.Logger LOG = Logs.of(TopicDataSource.class);

  @Override
  public RunData load(RunConfig cfg) {
    String topic = Topics.samples(cfg.dataset());
    String testSplit = org.reffakd.nn.run.Splits.testSplit(cfg.dataset());
    try (DatasetConsumer c = new DatasetConsumer(kafka, "reffakd-load-" + UUID.randomUUID())) {
      DatasetConsumer.Result r = c.consume(topic, Set.of("train", testSplit), timeout);
      metrics.recordsConsumed(topic, r.recordsRead());
      metrics.deadLettered(topic, r.deadLettered());
      if (r.deadLettered() > 0) {
        LOG.log(WARNING, "data: " + r.deadLettered() + " malformed records "
            + "of " + topic + " sent to " + Topics.DEADLETTER + " (first: "
            + r.deadLetterReasons().get(0) + ")");
      }
      ImageDataset train = r.datasets().get("train");
      ImageDataset test = r.datasets().get(testSplit);
      return RunData.of(train, test, cfg, Logs.info(LOG), "topic " + topic);
    }
  }

  @Override
  public String version(RunConfig cfg) {
    String topic = Topics.samples(cfg.dataset());
    try (org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> c =
             kafka.createConsumer("reffakd-version")) {
      // a missing topic fails here within the grace period, naming the command that fills it
      DatasetConsumer.awaitPartitions(c, topic, kafka.bootstrapServers(),
          System.nanoTime() + DatasetConsumer.DEFAULT_GRACE.toNanos(),
          DatasetConsumer.DEFAULT_GRACE);
      org.apache.kafka.common.TopicPartition tp = new org.apache.kafka.common.TopicPartition(
          topic, 0);
      return Long.toString(c.endOffsets(java.util.List.of(tp), Duration.ofSeconds(30)).get(tp));
    }
  }

  @Override
  public String describe(RunConfig cfg) {
    return Topics.samples(cfg.dataset()) + " on " + kafka.bootstrapServers();
  }
}
