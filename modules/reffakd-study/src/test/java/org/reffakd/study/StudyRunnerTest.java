package org.reffakd.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.reffakd.nn.data.ImageDataset;
import org.reffakd.nn.run.ArtifactStore;
import org.reffakd.nn.run.FashionIdx;
import org.reffakd.nn.run.FashionSubset;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.nn.train.Progress;
import org.reffakd.platform.Platform;
import org.reffakd.kafka.Topics;
import org.reffakd.platform.pipeline.JobWorker;

/**
 * A tiny study end to end on a real broker and real Fashion-MNIST images (a subset): one
 * autoencoder per seed, soft labels per variant read back from the topic, a teacher artefact
 * for kd, the jobs on reffakd.jobs done by a worker, the report; then the same study again,
 * which redoes nothing. And issue 16's check, small: a low-data study over 2 seeds, then 3 in
 * the same folder, which adds only seed 3's work (seed 1's autoencoder files untouched); every
 * row says what each stage saw (autoencoder and draw pool within the student's labelled
 * images), study.json states the mde, and the differences plot is a real PNG.
 */
class StudyRunnerTest {

  @TempDir
  static Path tmp;
  @RegisterExtension
  static final FashionIdx data = new FashionIdx(() -> tmp, 1200, 300);
  static Platform platform;

  @BeforeAll
  static void start() {
    platform = Platform.start(new Platform.Options(null, null, tmp.resolve("kafka"),
        tmp.resolve("study").resolve("artifacts")));
    platform.ingest("fashion-mnist", data.dir());
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  static StudySpec spec() {
    RunConfig base = data.tinyConfig(2, 200)
        .with("soft_per_class", 10);
    return new StudySpec(base, List.of("ce", "reffakd", "kd"), List.of("paper", "clean"),
        List.of(1L, 2L), Map.of(), Map.of("alpha", "0.5", "temperature", "5"), List.of(1.0),
        "lenet5bn", 1);
  }

  /** The study run in {@code dir} while one worker takes its jobs. */
  static StudyRunner.Outcome runWithAWorker(StudySpec spec, Path dir) throws Exception {
    try (JobWorker w = new JobWorker(platform.kafka(), platform.pipeline(), dir.resolve("jobs"),
        Progress.NONE, "t").start()) {
      return new StudyRunner(platform, spec, dir, true, System.out).run();
    }
  }

  @Test
  void aTinyStudyRunsAndARestartRedoesNothing() throws Exception {
    Path dir = tmp.resolve("study");
    StudyRunner.Outcome first = runWithAWorker(spec(), dir);
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
    // one result per job on reffakd.runs (this study's: the broker is shared with the
    // low-data study below)
    java.util.Set<String> ids = new java.util.HashSet<>(spec().jobs().stream()
        .map(StudySpec.Job::id).toList());
    Map<String, Integer> counts = new HashMap<>();
    java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> count = r -> {
      String k = new String(r.key(), StandardCharsets.UTF_8);
      if (ids.contains(k)) {
        counts.merge(k, 1, Integer::sum);
      }
    };
    try (KafkaConsumer<byte[], byte[]> c = platform.kafka().createConsumer("count")) {
      c.subscribe(List.of(Topics.RUNS));
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < deadline && counts.values().stream().mapToInt(i -> i).sum()
          < 8) {
        c.poll(Duration.ofMillis(300)).forEach(count);
      }
      c.poll(Duration.ofSeconds(1)).forEach(count);
    }
    assertEquals(8, counts.size(), counts.toString());
    assertTrue(counts.values().stream().allMatch(n -> n == 1), counts.toString());
    assertTrue(second.failed().isEmpty(), second.failed().toString());

    // a job whose result is a failure (as a worker writes it) is the only one run again
    String failedId = spec().jobs().get(0).id();
    String failure = new io.vertx.core.json.JsonObject().put("status", "failed")
        .put("error", "simulated").encode();
    Files.writeString(dir.resolve("results").resolve(failedId + ".json"), failure);
    try (var producer = platform.kafka().createProducer()) {
      producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.RUNS,
          failedId.getBytes(StandardCharsets.UTF_8), failure.getBytes(StandardCharsets.UTF_8)))
          .get();
    }
    StudyRunner.Outcome third = runWithAWorker(spec(), dir);
    assertEquals(1, third.submitted());
    assertEquals(7, third.reused());
    assertTrue(third.failed().isEmpty(), third.failed().toString());
    assertTrue(!Files.readString(dir.resolve("results").resolve(failedId + ".json"))
        .contains("\"failed\""));
    assertEquals(9, Files.readAllLines(dir.resolve("results.csv")).size());
  }

  /**
   * Issue 16's check, small: train fraction 0.05 with epoch budgets 1 and 2, reffakd with a
   * 4-a-class clean draw (the subset's 0.05 has about 5 images a class).
   */
  static StudySpec lowData(List<Long> seeds, int softPerClass) {
    RunConfig base = RunConfig.defaults("fashion-mnist").with(Map.of("data",
        data.dir().toString(), "ae_epochs", 1, "epochs", 1, "batch_size", 32, "lr", 0.05,
        "threads", 1, "val_size", 200));
    // the variant sets the draw's size: clean+n4 draws 4 a class
    return new StudySpec(base, List.of("ce", "reffakd"), List.of("clean+n" + softPerClass),
        seeds, Map.of(),
        Map.of("alpha", "0.5", "temperature", "5"), List.of(0.05), "lenet5bn", 1,
        List.of(1, 2));
  }

  /** Every file under dir with its size, modification time and SHA-256. */
  static Map<String, String> fingerprint(Path dir) throws Exception {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        m.put(dir.relativize(f).toString(), Files.size(f) + "/"
            + Files.getLastModifiedTime(f).toMillis() + "/" + ArtifactStore.sha256(f));
      }
    }
    return m;
  }

  @Test
  void aFractionThatStarvesTheDrawIsRefusedNamingBoth() {
    ImageDataset train = FashionSubset.read("train", 1200);
    // 0.05 of the 1000 pool images is about 5 a class: 40 cannot be drawn from them
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> lowData(List.of(1L), 40).checkFractions(train.labels(), train.classNames()));
    assertTrue(e.getMessage().startsWith("train_fraction 0.05 leaves class '"), e.getMessage());
    assertTrue(e.getMessage().contains("fewer than soft_per_class 40"), e.getMessage());
    lowData(List.of(1L, 2L, 3L), 4).checkFractions(train.labels(), train.classNames());
  }

  @Test
  void moreSeedsAddOnlyTheirWorkAndEveryStageSeesOnlyTheLabelledImages() throws Exception {
    Path dir = tmp.resolve("lowdata");
    StudyRunner.Outcome first;
    StudyRunner.Outcome second;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Map<String, String> seed1;
    try (JobWorker w = new JobWorker(platform.kafka(), platform.pipeline(), dir.resolve("jobs"),
        Progress.NONE, "t").start()) {
      first = new StudyRunner(platform, lowData(List.of(1L, 2L), 4), dir, true, System.out).run();
      assertEquals(8, first.jobs(), "2 losses x 2 budgets x 2 seeds");
      assertEquals(8, first.submitted());
      Path ae1 = dir.resolve("autoencoders/seed1-frac0.05");
      assertTrue(Files.isRegularFile(ae1.resolve("output.json")), "one autoencoder per seed "
          + "and fraction");
      assertFalse(Files.exists(dir.resolve("autoencoders/seed1")), "no whole-pool autoencoder");
      seed1 = fingerprint(ae1);
      Thread.sleep(1100); // a rewrite would show in the modification times
      second = new StudyRunner(platform, lowData(List.of(1L, 2L, 3L), 4), dir, true,
          new PrintStream(log, true, StandardCharsets.UTF_8)).run();
    }
    String out = log.toString(StandardCharsets.UTF_8);
    assertEquals(12, second.jobs());
    assertEquals(4, second.submitted(), out);
    assertEquals(8, second.reused(), out);
    assertTrue(out.contains("autoencoder of seed 3"), out);
    assertFalse(out.contains("autoencoder of seed 1") || out.contains("autoencoder of seed 2"),
        out);
    assertEquals(seed1, fingerprint(dir.resolve("autoencoders/seed1-frac0.05")),
        "seed 1's autoencoder files untouched");

    List<String> lines = Files.readAllLines(dir.resolve("results.csv"));
    assertEquals(13, lines.size(), "12 rows and the header");
    List<String> header = List.of(lines.get(0).split(","));
    int student = header.indexOf("student_images");
    int ae = header.indexOf("autoencoder_images");
    int draw = header.indexOf("draw_pool_images");
    int epochs = header.indexOf("epochs");
    int loss = header.indexOf("loss");
    List<String> budgets = new ArrayList<>();
    for (String row : lines.subList(1, lines.size())) {
      String[] c = row.split(",");
      int s = Integer.parseInt(c[student]);
      assertTrue(s > 0 && s < 1000 * 0.06, row);
      assertTrue(Integer.parseInt(c[ae]) <= s, "autoencoder within the labelled images: " + row);
      assertTrue(Integer.parseInt(c[draw]) <= s, "draw within the labelled images: " + row);
      if (c[loss].equals("reffakd")) {
        assertEquals(s, Integer.parseInt(c[ae]), row);
        assertEquals(s, Integer.parseInt(c[draw]), row);
      } else {
        assertEquals(0, Integer.parseInt(c[ae]), "ce uses no autoencoder: " + row);
      }
      budgets.add(c[epochs]);
    }
    assertEquals(6, budgets.stream().filter("1"::equals).count());
    assertEquals(6, budgets.stream().filter("2"::equals).count());

    JsonNode study = StudyReport.JSON.readTree(dir.resolve("study.json").toFile());
    int compared = 0;
    for (JsonNode r : study.get("routes")) {
      if (r.get("route").asText().startsWith("reffakd")) {
        JsonNode p = r.get("paired_difference");
        assertEquals(3, p.get("n").asInt());
        assertTrue(p.has("mde") && p.get("mde").isNumber(), p.toString());
        assertTrue(p.get("mde").asDouble() > 0, p.toString());
        compared++;
      }
    }
    assertEquals(2, compared, "one comparison per budget");
    assertEquals("labelled", study.get("settings").get("ae_pool").asText());
    StudyReportTest.assertPng(dir.resolve("plots/differences.png"), StudyPlots.WIDTH,
        140 + 2 * StudyPlots.PANEL_HEIGHT);
    String md = Files.readString(dir.resolve("report.md"));
    assertTrue(md.contains("](plots/differences.png)"), md);
    assertTrue(md.contains("MDE (pp)"), md);
  }
}
