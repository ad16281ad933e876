package org.reffakd.platform.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reffakd.nn.run.FashionSubset;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.nn.train.Progress;
import org.reffakd.platform.Platform;
import org.reffakd.platform.kafka.Topics;
import org.reffakd.platform.pipeline.JobWorker;

/**
 * A tiny study end to end on a real broker and real Fashion-MNIST images (a subset): one
 * autoencoder per seed, soft labels per variant read back from the topic, a teacher artefact
 * for kd, the jobs on reffakd.jobs done by a worker, the report; then the same study again,
 * which redoes nothing.
 */
class StudyRunnerTest {

  @TempDir
  static Path tmp;
  static Platform platform;
  static Path data;

  @BeforeAll
  static void start() throws Exception {
    data = tmp.resolve("fmnist");
    FashionSubset.writeIdx(data, 1200, 300);
    platform = Platform.start(new Platform.Options(null, null, tmp.resolve("kafka"),
        tmp.resolve("study").resolve("artifacts")));
    platform.ingest("fashion-mnist", data);
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  static StudySpec spec() {
    RunConfig base = RunConfig.defaults("fashion-mnist").with(Map.of("data", data.toString(),
        "ae_epochs", 1, "epochs", 2, "batch_size", 64, "lr", 0.05, "threads", 1,
        "val_size", 200, "soft_per_class", 10));
    return new StudySpec(base, List.of("ce", "reffakd", "kd"), List.of("paper", "clean"),
        List.of(1L, 2L), Map.of(), Map.of("alpha", "0.5", "temperature", "5"), List.of(1.0),
        "lenet5bn", 1);
  }

  @Test
  void aTinyStudyRunsAndARestartRedoesNothing() throws Exception {
    Path dir = tmp.resolve("study");
    StudyRunner.Outcome first;
    try (JobWorker w = new JobWorker(platform.kafka(), platform.pipeline(), dir.resolve("jobs"),
        Progress.NONE, "t").start()) {
      first = new StudyRunner(platform, spec(), dir, true, System.out).run();
    }
    // ce and kd once per seed, reffakd once per variant and seed
    assertEquals(8, first.jobs());
    assertEquals(8, first.submitted());
    assertEquals(8, first.data().jobs().size());
    for (String f : List.of("report.md", "results.csv", "study.json", "plots/accuracy.png",
        "plots/heatmap-clean-seed1.png", "soft-labels/clean-seed1/similarity.csv",
        "soft-labels/paper-seed2/soft_labels.csv", "autoencoders/seed1/autoencoder_metrics.csv")) {
      assertTrue(Files.isRegularFile(dir.resolve(f)), "missing " + f);
    }
    assertEquals(9, Files.readAllLines(dir.resolve("results.csv")).size());
    // the two variants differ (augmented vs clean draw), the seeds too
    assertTrue(!Files.readString(dir.resolve("soft-labels/clean-seed1/similarity.csv"))
        .equals(Files.readString(dir.resolve("soft-labels/paper-seed1/similarity.csv"))));
    String aeMetrics = Files.readString(dir.resolve("autoencoders/seed1/autoencoder_metrics.csv"));
    String results = Files.readString(dir.resolve("results.csv"));

    // again, same folder and options: every job is found done, nothing trains
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    StudyRunner.Outcome second = new StudyRunner(platform, spec(), dir, true,
        new PrintStream(log, true, StandardCharsets.UTF_8)).run();
    assertEquals(0, second.submitted(), log.toString(StandardCharsets.UTF_8));
    assertEquals(8, second.reused());
    assertTrue(!log.toString(StandardCharsets.UTF_8).contains("autoencoder of seed"),
        log.toString(StandardCharsets.UTF_8));
    assertEquals(aeMetrics, Files.readString(
        dir.resolve("autoencoders/seed1/autoencoder_metrics.csv")));
    assertEquals(results, Files.readString(dir.resolve("results.csv")));
    // one result per job on reffakd.runs
    Map<String, Integer> counts = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> c = platform.kafka().createConsumer("count")) {
      c.subscribe(List.of(Topics.RUNS));
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < deadline && counts.values().stream().mapToInt(i -> i).sum()
          < 8) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(300))) {
          counts.merge(new String(r.key(), StandardCharsets.UTF_8), 1, Integer::sum);
        }
      }
      c.poll(Duration.ofSeconds(1)).forEach(r -> counts.merge(new String(r.key(),
          StandardCharsets.UTF_8), 1, Integer::sum));
    }
    assertEquals(8, counts.size(), counts.toString());
    assertTrue(counts.values().stream().allMatch(n -> n == 1), counts.toString());
  }
}
