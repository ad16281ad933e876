package org.reffakd.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** StudyReport.write on the hand-made study: study.json, results.csv, report.md and plots. */
class StudyReportTest {

  @TempDir
  Path dir;

  static JsonNode route(JsonNode root, String route, double fraction) {
    for (JsonNode r : root.get("routes")) {
      if (r.get("route").asText().equals(route)
          && r.get("train_fraction").asDouble() == fraction) {
        return r;
      }
    }
    throw new AssertionError("no route " + route + " @ " + fraction);
  }

  @Test
  void studyJsonHoldsMeansPairedDifferencesVerdictsAndCosts() throws IOException {
    StudyReport.write(StudyFixture.data(), dir);
    JsonNode root = StudyReport.JSON.readTree(dir.resolve("study.json").toFile());
    assertEquals("fashion-mnist", root.get("dataset").asText());
    assertEquals("ce", root.get("baseline").asText());
    assertEquals(3, root.get("settings").get("epochs").asInt());
    assertEquals(6, root.get("routes").size());
    assertEquals(16, root.get("jobs").size()); // ce 6, reffakd 6, kd 3 + 1

    JsonNode ce = route(root, "ce", 1.0);
    assertEquals(0.81, ce.get("test_at_best_val").get("mean").asDouble(), 1e-12);
    assertEquals(0.01, ce.get("test_at_best_val").get("std").asDouble(), 1e-12);
    assertEquals(0.80, ce.get("test_at_best_val").get("per_seed").get("1").asDouble(), 0);
    assertEquals(0.82, ce.get("paper_protocol").get("mean").asDouble(), 1e-12);
    assertTrue(ce.get("paper_protocol").get("protocol").asText().contains("optimistic"));
    assertEquals("baseline", ce.get("verdict").asText());
    assertTrue(ce.get("paired_difference").isNull());
    assertTrue(ce.get("costs").get("autoencoder_share").isNull());

    JsonNode r = route(root, StudyFixture.REFFAKD, 1.0);
    assertEquals("reffakd", r.get("loss").asText());
    assertEquals("paper", r.get("variant").asText());
    assertEquals("0.5", r.get("grid").get("alpha").asText());
    assertEquals(3, r.get("seeds").size());
    assertEquals(0.86, r.get("test_at_best_val").get("mean").asDouble(), 1e-12);
    JsonNode p = r.get("paired_difference");
    assertEquals(3, p.get("n").asInt());
    assertEquals(0.05, p.get("mean").asDouble(), 1e-12);
    assertEquals(0.01, p.get("std").asDouble(), 1e-12);
    // 0.05 ± 4.302653 * 0.01 / sqrt(3) = 0.05 ± 0.0248414
    assertEquals(0.0251586, p.get("ci95_low").asDouble(), 1e-7);
    assertEquals(0.0748414, p.get("ci95_high").asDouble(), 1e-7);
    assertEquals("better than ce", r.get("verdict").asText());
    JsonNode costs = r.get("costs");
    assertEquals(12, costs.get("student").get("measured").get("wall_seconds").asDouble(), 1e-9);
    assertEquals(1e12, costs.get("student").get("computed").get("training_flops").asDouble(), 1);
    assertEquals(2e12, costs.get("autoencoder_share").get("computed").get("training_flops")
        .asDouble(), 1);
    assertTrue(costs.get("teacher_share").isNull());
    assertEquals(52, costs.get("total").get("measured").get("wall_seconds").asDouble(), 1e-9);
    assertEquals(3e12, costs.get("total").get("computed").get("training_flops").asDouble(), 1);

    assertEquals("worse than ce", route(root, StudyFixture.REFFAKD, 0.5).get("verdict").asText());
    assertEquals(-0.04, route(root, StudyFixture.REFFAKD, 0.5).get("paired_difference")
        .get("mean").asDouble(), 1e-12);
    JsonNode kd = route(root, "kd/temperature=4", 1.0);
    assertEquals("no difference detected at this budget", kd.get("verdict").asText());
    assertEquals(1.1e13, kd.get("costs").get("total").get("computed").get("training_flops")
        .asDouble(), 1);
    JsonNode kdHalf = route(root, "kd/temperature=4", 0.5);
    assertEquals(1, kdHalf.get("paired_difference").get("n").asInt());
    assertTrue(kdHalf.get("paired_difference").get("ci95_low").isNull(), "NaN is null");
    assertTrue(kdHalf.get("paired_difference").get("std").isNull());
    assertEquals("too few paired seeds for an interval (n=1)", kdHalf.get("verdict").asText());
  }

  @Test
  void resultsCsvHasOneRowPerJob() throws IOException {
    StudyData data = StudyFixture.data();
    StudyReport.write(data, dir);
    List<String> lines = Files.readAllLines(dir.resolve("results.csv"));
    assertEquals(data.jobs().size() + 1, lines.size());
    assertEquals(String.join(",", StudyReport.CSV_HEADER), lines.get(0));
    assertTrue(lines.get(0).contains("measured_wall_s") && lines.get(0)
        .contains("computed_training_flops"));
    // the fixture's jobs have 3 epochs and no image counts (unknown: empty)
    assertEquals("ce-1.0-1,ce,ce,-,,1.0,3,1,2,0.8,3,0.81,0.81,10.0,20.0,500.0,1000,200000.0,"
        + "1.0E12" + ",".repeat(11), lines.get(1)); // 3 image counts, 8 model-card figures
    assertTrue(lines.stream().anyMatch(l -> l.startsWith(
        "reffakd-1.0-1,\"reffakd/paper/alpha=0.5,temperature=5\",reffakd,paper,"
            + "alpha=0.5;temperature=5,1.0,3,1,2,0.85,")), "a route with a comma is quoted");
  }

  @Test
  void reportMarkdownHasTheTablesVerdictsAndPlots() throws IOException {
    StudyReport.write(StudyFixture.data(), dir);
    String md = Files.readString(dir.resolve("report.md"));
    assertTrue(md.startsWith("# Study: fashion-mnist"));
    assertTrue(md.contains("| route | train fraction | epochs | n | test acc at best-val epoch "
        + "(mean ± std) | Δ vs ce mean [95% CI] | MDE (pp) | seeds for 0.3 pp | verdict |"), md);
    assertTrue(md.contains("| ce | 1 | 3 | 3 | 81.00 ± 1.00 % | — | — | — | baseline |"), md);
    // MDE: (t(0.975,2) + t(0.8,2)) * 1 pp / sqrt(3) = (4.302653 + 1.060660) / 1.732051 = 3.10;
    // 0.3 pp with a 1 pp spread needs 90 seeds (scipy: mde(89) = 0.3003, mde(90) = 0.2986)
    assertTrue(md.contains("| reffakd/paper/alpha=0.5,temperature=5 | 1 | 3 | 3 | 86.00 ± 1.00 % "
        + "| +5.00 pp [+2.52, +7.48] (n=3) | 3.10 | 90 | better than ce |"), md);
    assertTrue(md.contains("| reffakd/paper/alpha=0.5,temperature=5 | 0.5 | 3 | 3 | 67.00 ± 1.00 "
        + "% | -4.00 pp [-6.48, -1.52] (n=3) | 3.10 | 90 | worse than ce |"), md);
    assertTrue(md.contains("| kd/temperature=4 | 0.5 | 3 | 1 | 70.00 ± n/a % | +0.00 pp [n/a] "
        + "(n=1) | n/a | n/a | too few paired seeds for an interval (n=1) |"), md);
    assertTrue(md.contains("best test epoch (the paper's protocol, optimistic)"));
    assertTrue(md.contains("| ce | 1 | 3 | 3 | 82.00 ± 1.00 % |"), "paper-protocol row");
    assertTrue(md.contains("(computed)") && md.contains("(measured)"));
    assertTrue(md.contains("| reffakd/paper/alpha=0.5,temperature=5 | 1 | 3 | 1000 | 2.00e+05 | "
        + "1.00e+12 | 2.00e+12 | — | 3.00e+12 | 12.0 | 40.0 | — | 52.0 |"), md);
    assertTrue(md.contains("better than ce (95% interval above 0): "
        + "`reffakd/paper/alpha=0.5,temperature=5`"), md);
    assertTrue(md.contains("worse than ce (95% interval below 0): "
        + "`reffakd/paper/alpha=0.5,temperature=5`"), md);
    for (String png : List.of("differences.png", "learning-curve.png", "accuracy.png",
        "curves-frac0.5.png", "curves-frac1.png",
        "cost.png", "heatmap-paper-seed1.png", "softlabels-paper-seed1.png")) {
      assertTrue(md.contains("](plots/" + png + ")"), png);
    }
  }

  @Test
  void whenEveryIntervalHoldsZeroNoRouteIsSaidToDiffer() throws IOException {
    StudyData data = StudyFixture.data(StudyFixture.jobs(
        new double[][] {{0.80, 0.81, 0.82}, {0.70, 0.71, 0.72}},
        new double[][] {{0.81, 0.80, 0.82}, {0.71, 0.70, 0.72}},
        new double[][] {{0.79, 0.83, 0.81}, {0.72, 0.70, 0.71}}));
    StudyReport.write(data, dir);
    String md = Files.readString(dir.resolve("report.md"));
    assertTrue(md.contains("No route differs from ce beyond noise at this budget"), md);
    // and says what it could have seen
    assertTrue(md.contains("minimum detectable effect (80% power) is "), md);
    assertFalse(md.contains("better than ce"), md);
    assertFalse(md.contains("worse than ce"), md);
  }

  /**
   * The headline figure's panels (one per fraction and budget) share one scale that holds
   * zero and every interval and seed: a difference looks as large in one panel as another.
   */
  @Test
  void theDifferencesPanelsShareOneScaleWithZero() {
    StudyData data = StudyFixture.data();
    List<StudyStats.RouteSummary> summaries = StudyStats.summarize(data);
    org.jfree.chart.JFreeChart c = StudyPlots.differences(data, summaries,
        StudyStats.settings(data), StudyPlots.colours(summaries));
    var combined = (org.jfree.chart.plot.CombinedDomainXYPlot) c.getPlot();
    List<org.jfree.chart.plot.XYPlot> panels = combined.getSubplots();
    assertTrue(panels.size() >= 2, "panels: " + panels.size());
    org.jfree.data.Range first = panels.get(0).getRangeAxis().getRange();
    assertTrue(first.contains(0.0), first.toString());
    for (org.jfree.chart.plot.XYPlot p : panels) {
      assertEquals(first, p.getRangeAxis().getRange());
      for (StudyStats.RouteSummary s : summaries) {
        if (s.paired() != null && s.paired().n() > 1) {
          assertTrue(first.contains(100 * s.paired().low())
              && first.contains(100 * s.paired().high()), s.route() + " " + first);
        }
      }
    }
  }

  @Test
  void plotsAreRealPngImages() throws IOException {
    StudyReport.write(StudyFixture.data(), dir);
    Path plots = dir.resolve("plots");
    // one panel per (fraction, epochs): two; curves: one panel per route: three
    assertPng(plots.resolve("differences.png"), 900, 140 + 2 * StudyPlots.PANEL_HEIGHT);
    assertPng(plots.resolve("accuracy.png"), 900, 140 + 2 * StudyPlots.PANEL_HEIGHT);
    assertPng(plots.resolve("learning-curve.png"), 900, 140 + 2 * StudyPlots.PANEL_HEIGHT);
    assertPng(plots.resolve("curves-frac0.5.png"), 900, 120 + 3 * StudyPlots.PANEL_HEIGHT);
    assertPng(plots.resolve("curves-frac1.png"), 900, 120 + 3 * StudyPlots.PANEL_HEIGHT);
    assertPng(plots.resolve("cost.png"), 900, 500);
    assertPng(plots.resolve("heatmap-paper-seed1.png"), 800, 700);
    assertPng(plots.resolve("softlabels-paper-seed1.png"), 800, 700);
  }

  @Test
  void rewritingReplacesFilesCleanlyAndDropsStalePlots() throws IOException {
    StudyData data = StudyFixture.data();
    StudyReport.write(data, dir);
    String json = Files.readString(dir.resolve("study.json"));
    StudyReport.write(data, dir);
    assertEquals(json, Files.readString(dir.resolve("study.json")), "same data, same file");
    // a later call with only the fraction-1.0 jobs: the fraction-0.5 curves go
    StudyData later = StudyFixture.data(data.jobs().stream()
        .filter(j -> j.trainFraction() == 1.0).toList());
    StudyReport.write(later, dir);
    assertFalse(Files.exists(dir.resolve("plots/curves-frac0.5.png")));
    assertTrue(Files.exists(dir.resolve("plots/curves-frac1.png")));
    assertEquals(later.jobs().size() + 1, Files.readAllLines(dir.resolve("results.csv")).size());
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      files.filter(Files::isRegularFile).forEach(f -> names.add(f.getFileName().toString()));
    }
    assertTrue(names.stream().noneMatch(n -> n.endsWith(".tmp")), "no temporary left: " + names);
    assertTrue(names.stream().allMatch(n -> n.matches("[A-Za-z0-9._-]+")), names.toString());
  }

  @Test
  void fileNamesAreSanitized() throws IOException {
    StudyData d = StudyFixture.data();
    StudyData odd = new StudyData(d.dataset(), d.baseline(), d.settings(), d.jobs(),
        d.autoencoderCost(), d.teacherCost(), List.of(new SoftLabelMatrix("a/b c", 2,
            List.of("x", "y"), new double[][] {{1, 0.3}, {0.3, 1}}, null)));
    StudyReport.write(odd, dir);
    assertPng(dir.resolve("plots/heatmap-a_b_c-seed2.png"), 800, 700);
    assertFalse(Files.exists(dir.resolve("plots/heatmap-paper-seed1.png")), "stale plot removed");
  }

  private static org.reffakd.nn.run.ModelCard.Card card(Map<String, Object> json) {
    return org.reffakd.nn.run.RunConfig.JSON.convertValue(json,
        org.reffakd.nn.run.ModelCard.Card.class);
  }

  @Test
  void modelCardsGoIntoResultsCsvStudyJsonAndTheReport() throws IOException {
    Map<String, Object> onnx = Map.of("size_bytes", 249_000, "test_accuracy_onnxruntime", 0.875,
        "latency_ms_batch1", 0.08, "throughput_images_per_s_batch64", 30_000.0);
    Map<String, Object> int8 = Map.of("size_bytes", 71_000, "test_accuracy_onnxruntime", 0.876,
        "latency_ms_batch1", 0.05, "throughput_images_per_s_batch64", 27_000.0);
    // as result.json gives the card: read through its record
    ModelCardFigures card = ModelCardFigures.of(card(Map.of("parameters", 61750,
        "macs_per_image", 420_000, "onnx", onnx, "onnx-int8", int8)));
    assertEquals(new ModelCardFigures(249_000, 71_000, 0.875, 0.876, 0.08, 0.05, 30_000, 27_000),
        card);
    assertFalse(ModelCardFigures.of(null).present());
    // a refused int8 model: its figures are missing, the float ones stay
    ModelCardFigures refused = ModelCardFigures.of(card(Map.of("onnx", onnx, "onnx-int8",
        Map.of("refused", "int8 model refused: ..."))));
    assertEquals(-1, refused.int8Bytes());
    assertTrue(Double.isNaN(refused.int8Accuracy()));
    List<JobResult> jobs = new ArrayList<>();
    for (JobResult j : StudyFixture.data().jobs()) {
      jobs.add(new JobResult(j.jobId(), j.loss(), j.variant(), j.grid(), j.trainFraction(),
          j.seed(), j.curve(), j.usesAutoencoder(), j.usesTeacher(), j.studentCost(),
          j.epochs(), j.studentImages(), j.autoencoderImages(), j.drawPoolImages(),
          j.loss().equals("ce") ? card : refused));
    }
    StudyReport.write(StudyFixture.data(jobs), dir);
    List<String> lines = Files.readAllLines(dir.resolve("results.csv"));
    assertTrue(lines.get(1).endsWith(",249000,71000,0.875,0.876,0.08,0.05,30000.0,27000.0"),
        lines.get(1));
    String md = Files.readString(dir.resolve("report.md"));
    assertTrue(md.contains("## Deployment: model cards"), md);
    assertTrue(md.contains("| ce | 1 | 3 | 3 | 249.0 | 71.0 | 87.50 % | 87.60 % | 0.080 | 0.050 |"
        + " 30000 | 27000 |"), md);
    assertTrue(md.contains("| 249.0 | n/a | 87.50 % | n/a | 0.080 | n/a | 30000 | n/a |"), md);
    assertTrue(Files.readString(dir.resolve("study.json")).contains("\"int8_bytes\" : 71000"));
  }

  @Test
  void unknownCostsAndManyClassesStillGiveAReport() throws IOException {
    List<JobResult> jobs = new ArrayList<>();
    for (JobResult j : StudyFixture.data().jobs()) {
      jobs.add(new JobResult(j.jobId(), j.loss(), j.variant(), j.grid(), j.trainFraction(),
          j.seed(), j.curve(), j.usesAutoencoder(), j.usesTeacher(), null));
    }
    int c = 100;
    List<String> classes = new ArrayList<>();
    double[][] sim = new double[c][c];
    for (int i = 0; i < c; i++) {
      classes.add("class" + i);
      for (int k = 0; k < c; k++) {
        sim[i][k] = i == k ? 1 : Math.abs(Math.sin(i * 31 + k * 17)) * 0.5;
      }
    }
    StudyData data = new StudyData("cifar100", "ce", null, jobs, Map.of(), Map.of(),
        List.of(new SoftLabelMatrix("clean", 4, classes, sim, null)));
    StudyReport.write(data, dir);
    assertPng(dir.resolve("plots/cost.png"), 900, 500);
    assertPng(dir.resolve("plots/heatmap-clean-seed4.png"), 800, 700);
    String md = Files.readString(dir.resolve("report.md"));
    assertTrue(md.contains("| ce | 1 | 3 | n/a | n/a | n/a | — | — | n/a | n/a | — | — | n/a |"),
        md);
    JsonNode r = route(StudyReport.JSON.readTree(dir.resolve("study.json").toFile()),
        StudyFixture.REFFAKD, 1.0);
    assertTrue(r.get("costs").get("total").get("measured").get("wall_seconds").isNull(),
        "a needed share that is unknown leaves the total unknown");
    assertEquals("better than ce", r.get("verdict").asText());
  }

  static void assertPng(Path file, int width, int height) throws IOException {
    assertTrue(Files.isRegularFile(file), file + " exists");
    byte[] head = new byte[8];
    try (InputStream in = Files.newInputStream(file)) {
      assertEquals(8, in.read(head));
    }
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, head,
        file + " has the PNG signature");
    BufferedImage img = ImageIO.read(file.toFile());
    assertEquals(width, img.getWidth(), file.toString());
    assertEquals(height, img.getHeight(), file.toString());
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < height; y += 7) {
      for (int x = 0; x < width; x += 7) {
        colours.add(img.getRGB(x, y));
      }
    }
    assertTrue(colours.size() > 5, file + " is not a flat image: " + colours.size()
        + " colours sampled");
  }
}
