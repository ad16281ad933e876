package org.reffakd.cli;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.nn.run.RunResult;
import org.reffakd.nn.run.RunDir;
import org.reffakd.platform.Platform;
import org.reffakd.platform.bus.Messages;

/** A run through the platform: broker (embedded or external), ingest, the stage verticles. */
final class PlatformRun {

  private PlatformRun() {}

  /**
   * Runs {@code cfg} through the platform. The dataset is ingested unless {@code fromTopic} or
   * its samples topic already holds it exactly (a resumed run reuses the topic). When the run
   * started its own embedded broker in the default folder (RUN_DIR/kafka, no --kafka or
   * --kafka-dir) and finishes, that folder is deleted unless {@code keepKafka}: a run's result
   * lives in RUN_DIR, and a finished run's broker data would only fill the disk.
   */
  static RunResult run(RunConfig cfg, Path runDir, KafkaOptions kafka, boolean fromTopic,
                       DashboardFlags web, boolean dashboard, boolean keepKafka) {
    long t0 = System.nanoTime();
    RunResult result;
    try (Platform p = Platform.start(kafka.options(runDir.resolve("kafka"),
        RunDir.defaultStore(runDir).root()))) {
      System.out.printf("platform: Kafka %s (%s), ready in %.1fs%n",
          p.kafka().bootstrapServers(), kafka.bootstrap == null ? "embedded" : "external",
          (System.nanoTime() - t0) / 1e9);
      if (dashboard) {
        web.start(p, runDir.toAbsolutePath().getParent(), "#/run/" + runDir.getFileName());
      }
      if (!fromTopic) {
        System.out.println(describeIngest(p.ingest(cfg.dataset(), Path.of(cfg.input().dir()),
            true)));
      }
      result = Messages.read(Platform.await(p.pipeline().run(runDir.getFileName().toString(),
          cfg, runDir, true, new ConsoleProgress(System.out))), RunResult.class);
    }
    deleteOwnBroker(runDir.resolve("kafka"), kafka, keepKafka, "run");
    return result;
  }

  /**
   * Deletes the broker data a finished run or study kept in its own folder (OUT/kafka): only
   * for the embedded broker in its default folder (no --kafka, no --kafka-dir), and not with
   * --keep-kafka. Says how much it freed.
   */
  static void deleteOwnBroker(Path brokerDir, KafkaOptions kafka, boolean keep, String whose) {
    if (!keep && kafka.bootstrap == null && kafka.embeddedDir == null
        && Files.isDirectory(brokerDir)) {
      long bytes = deleteTree(brokerDir);
      System.out.printf("kafka: deleted the %s's broker data %s (%.1f MB; --keep-kafka keeps "
          + "it)%n", whose, brokerDir, bytes / 1e6);
    }
  }

  /** One line for an ingest reply: published, or the topic reused. */
  static String describeIngest(JsonObject in) {
    if (in.getBoolean("reused", false)) {
      return String.format("ingest: skipped, %s already holds these %d images (same checksum "
          + "as the files)", in.getString("topic"), in.getLong("images"));
    }
    return String.format("ingest: %d images to %s in %.2fs (%.0f images/s)",
        in.getLong("images"), in.getString("topic"), in.getDouble("seconds"),
        in.getDouble("images_per_s"));
  }

  /** Deletes {@code dir} and everything under it; returns the bytes of the files deleted. */
  static long deleteTree(Path dir) {
    long[] bytes = {0};
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
        if (Files.isRegularFile(f)) {
          bytes[0] += Files.size(f);
        }
        Files.delete(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
    }
    return bytes[0];
  }
}
