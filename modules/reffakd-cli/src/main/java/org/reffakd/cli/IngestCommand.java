package org.reffakd.cli;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.reffakd.platform.Platform;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code reffakd ingest}: publish a dataset to its Kafka samples topic. */
@Command(name = "ingest", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Publish a dataset's train and test splits to its Kafka topic "
        + "reffakd.<dataset>.samples: a manifest record per split (dataset, split, classes, "
        + "shape, count, checksum), then batch records with the headers dataset, split, schema "
        + "and count. Without --kafka an embedded broker keeps the topic in --kafka-dir "
        + "(default runs/kafka)."})
final class IngestCommand implements Callable<Integer> {

  @Mixin
  DataOptions source = new DataOptions();
  @Mixin
  KafkaOptions kafka;

  @Override
  public Integer call() {
    Path dir = source.folder();
    String dataset = source.datasetOrDefault();
    try (Platform p = Platform.start(kafka.options(Path.of("runs", "kafka"),
        Path.of("runs", "artifacts")))) {
      JsonObject r = p.ingest(dataset, dir);
      System.out.printf("ingested %d images (%d records) of %s to %s on %s in %.2fs "
              + "(%.0f images/s)%n", r.getLong("images"), r.getLong("records"), dataset,
          r.getString("topic"), p.kafka().bootstrapServers(), r.getDouble("seconds"),
          r.getDouble("images_per_s"));
    }
    return 0;
  }
}
