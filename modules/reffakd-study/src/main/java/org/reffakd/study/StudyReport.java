package org.reffakd.study;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.reffakd.nn.run.Cost;
import org.reffakd.study.PairedStats.Interval;
import org.reffakd.study.PairedStats.Summary;
import org.reffakd.study.StudyPlots.Plot;
import org.reffakd.study.StudyStats.CostSummary;
import org.reffakd.study.StudyStats.RouteSummary;

/**
 * Writes the report of a study into a directory: {@code results.csv} (one row per job), {@code
 * study.json} (settings, per-route statistics and costs, the jobs), {@code report.md} (what a
 * user reads) and {@code plots/*.png}. Every file is written to a temporary sibling and moved
 * into place, so {@link #write} may be called again after each finished job (live updates).
 *
 * <p>The headline is the test accuracy at the best-validation epoch; the paper's protocol (the
 * best test epoch) is shown beside it and labelled optimistic. Routes are compared with the
 * baseline by the paired difference over the seeds both have, with a 95% Student-t interval,
 * and the verdict says no more than that interval.
 */
public final class StudyReport {

  /** study.json's mapper: snake_case, indented (like RunConfig.JSON). */
  public static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(SerializationFeature.INDENT_OUTPUT);

  public static final String RESULTS_CSV = "results.csv";
  public static final String STUDY_JSON = "study.json";
  public static final String REPORT_MD = "report.md";
  public static final String PLOTS = "plots";

  /** results.csv's header. */
  public static final List<String> CSV_HEADER = List.of("job_id", "route", "loss", "variant",
      "grid", "train_fraction", "epochs", "seed", "best_val_epoch", "test_at_best_val",
      "best_test_epoch", "best_test", "last_test", "measured_wall_s", "measured_cpu_s",
      "measured_peak_rss_mb", "computed_parameters", "computed_macs_per_image",
      "computed_training_flops", "student_images", "autoencoder_images", "draw_pool_images",
      "onnx_bytes", "onnx_int8_bytes", "onnx_test_accuracy", "onnx_int8_test_accuracy",
      "onnx_latency_ms_batch1", "onnx_int8_latency_ms_batch1", "onnx_images_per_s_batch64",
      "onnx_int8_images_per_s_batch64");

  private static final Object LOCK = new Object();

  private StudyReport() {}

  /**
   * Writes (or rewrites) results.csv, study.json, report.md and plots/ into dir, creating it.
   * Plots of a previous call that this call does not draw are removed.
   */
  public static void write(StudyData data, Path dir) throws IOException {
    synchronized (LOCK) {
      Files.createDirectories(dir);
      List<RouteSummary> summaries = StudyStats.summarize(data);
      Path plotsDir = dir.resolve(PLOTS);
      Files.createDirectories(plotsDir);
      List<Plot> plots = StudyPlots.drawAll(data, summaries, plotsDir);
      removeStalePlots(plotsDir, plots);
      AtomicFiles.writeString(dir.resolve(RESULTS_CSV), csv(data));
      AtomicFiles.writeString(dir.resolve(STUDY_JSON), json(data, summaries, plots));
      AtomicFiles.writeString(dir.resolve(REPORT_MD), markdown(data, summaries, plots));
    }
  }

  private static void removeStalePlots(Path plotsDir, List<Plot> plots) throws IOException {
    Set<String> keep = new HashSet<>();
    plots.forEach(p -> keep.add(p.file()));
    try (DirectoryStream<Path> files = Files.newDirectoryStream(plotsDir,
        "{accuracy,cost,differences,learning-curve,curves-frac*,heatmap-*,softlabels-*}.png")) {
      for (Path f : files) {
        if (!keep.contains(f.getFileName().toString())) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  // ---------------------------------------------------------------- results.csv

  /** results.csv: the header, then one row per job in the order given. */
  public static String csv(StudyData data) {
    StringBuilder b = new StringBuilder(String.join(",", CSV_HEADER)).append('\n');
    for (JobResult j : data.jobs()) {
      Cost c = j.studentCost();
      List<String> row = List.of(j.jobId(), j.route(), j.loss(), j.variant(),
          j.grid().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
              .collect(Collectors.joining(";")),
          Double.toString(j.trainFraction()), Integer.toString(j.epochs()),
          Long.toString(j.seed()),
          Integer.toString(j.bestValEpoch()), num(j.testAtBestVal()),
          Integer.toString(j.bestTestEpoch()), num(j.bestTest()), num(j.lastTest()),
          num(c.wallSeconds()), num(c.cpuSeconds()), num(c.peakRssMb()),
          c.parameters() < 0 ? "" : Long.toString(c.parameters()), num(c.macsPerImage()),
          num(c.trainingFlops()), count(j.studentImages()), count(j.autoencoderImages()),
          count(j.drawPoolImages()), bytes(j.card().floatBytes()),
          bytes(j.card().int8Bytes()), num(j.card().floatAccuracy()),
          num(j.card().int8Accuracy()), num(j.card().floatLatencyMs()),
          num(j.card().int8LatencyMs()), num(j.card().floatImagesPerS()),
          num(j.card().int8ImagesPerS()));
      b.append(row.stream().map(StudyReport::csvField).collect(Collectors.joining(",")))
          .append('\n');
    }
    return b.toString();
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "" : Double.toString(v);
  }

  /**
   * The deployment table: per route, the mean over its jobs' model cards (ONNX float and int8
   * sizes, ONNX Runtime test accuracy at the last epoch, latency at batch 1 and throughput at
   * batch 64 on one thread of the machine that ran the job); empty when no job has a card.
   */
  static String modelCards(List<StudyStats.RouteSummary> summaries) {
    StringBuilder b = new StringBuilder();
    boolean any = summaries.stream().flatMap(s -> s.jobs().stream())
        .anyMatch(j -> j.card().present());
    if (!any) {
      return "";
    }
    b.append("## Deployment: model cards\n\n");
    b.append("Each job's last-epoch student exported to ONNX (float, and int8 QDQ calibrated on ")
        .append("its validation images) and measured in ONNX Runtime, 1 thread: the mean over ")
        .append("the route's jobs with a card (n). Test accuracy here is the last epoch's, not ")
        .append("the validation-selected headline. n/a = refused or missing (see result.json ")
        .append("`model_card`).\n\n");
    b.append("| route | train fraction | epochs | n | float KB | int8 KB | float acc | int8 acc ")
        .append("| float ms/image (batch 1) | int8 ms/image (batch 1) | float images/s (batch 64)")
        .append(" | int8 images/s (batch 64) |\n");
    b.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (StudyStats.RouteSummary s : summaries) {
      List<ModelCardFigures> cards = s.jobs().stream().map(JobResult::card)
          .filter(ModelCardFigures::present).toList();
      if (cards.isEmpty()) {
        continue;
      }
      b.append("| ").append(md(s.route())).append(" | ")
          .append(StudyPlots.fraction(s.trainFraction())).append(" | ").append(s.epochs())
          .append(" | ").append(cards.size()).append(" | ")
          .append(cardMean(cards, c -> c.floatBytes() < 0 ? Double.NaN : c.floatBytes() / 1e3,
              "%.1f")).append(" | ")
          .append(cardMean(cards, c -> c.int8Bytes() < 0 ? Double.NaN : c.int8Bytes() / 1e3,
              "%.1f")).append(" | ")
          .append(cardMean(cards, c -> 100 * c.floatAccuracy(), "%.2f %%")).append(" | ")
          .append(cardMean(cards, c -> 100 * c.int8Accuracy(), "%.2f %%")).append(" | ")
          .append(cardMean(cards, ModelCardFigures::floatLatencyMs, "%.3f")).append(" | ")
          .append(cardMean(cards, ModelCardFigures::int8LatencyMs, "%.3f")).append(" | ")
          .append(cardMean(cards, ModelCardFigures::floatImagesPerS, "%.0f")).append(" | ")
          .append(cardMean(cards, ModelCardFigures::int8ImagesPerS, "%.0f")).append(" |\n");
    }
    return b.append('\n').toString();
  }

  /** The mean of a figure over the cards that have it, formatted; n/a when none has it. */
  private static String cardMean(List<ModelCardFigures> cards,
                                 java.util.function.ToDoubleFunction<ModelCardFigures> f,
                                 String format) {
    double sum = 0;
    int n = 0;
    for (ModelCardFigures c : cards) {
      double v = f.applyAsDouble(c);
      if (!Double.isNaN(v)) {
        sum += v;
        n++;
      }
    }
    return n == 0 ? "n/a" : String.format(java.util.Locale.ROOT, format, sum / n);
  }

  private static String bytes(long v) {
    return v < 0 ? "" : Long.toString(v);
  }

  private static String count(int v) {
    return v < 0 ? "" : Integer.toString(v);
  }

  private static String csvField(String s) {
    if (s == null) {
      return "";
    }
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }

  // ---------------------------------------------------------------- study.json

  /** study.json's text. NaN and unknown figures are written as null. */
  public static String json(StudyData data) throws JsonProcessingException {
    return json(data, StudyStats.summarize(data), List.of());
  }

  static String json(StudyData data, List<RouteSummary> summaries, List<Plot> plots)
      throws JsonProcessingException {
    ObjectNode root = JSON.createObjectNode();
    root.put("dataset", data.dataset());
    root.put("baseline", data.baseline());
    root.set("settings", JSON.valueToTree(data.settings()));
    ObjectNode protocols = root.putObject("protocols");
    protocols.put("headline", StudyStats.HEADLINE_PROTOCOL);
    protocols.put("paper_protocol", StudyStats.PAPER_PROTOCOL);
    protocols.put("paired_difference", "route minus " + data.baseline()
        + " on the seeds both have, test accuracy at the best-validation epoch; 95% two-sided "
        + "Student-t interval mean ± t(0.975, n-1)·sd/√n");
    protocols.put("mde", "minimum detectable effect at 80% power, two-sided 5%, from the "
        + "observed paired spread: (t(0.975, n-1) + t(0.8, n-1))·sd/√n; seeds_for_0_3pp is the "
        + "smallest n whose mde with that sd is at most 0.3 accuracy points");
    protocols.put("cost", "each route pays the full autoencoder and teacher cost (what running "
        + "that route alone costs); computed = from the architecture and schedule, measured = "
        + "on the machine");
    ArrayNode routes = root.putArray("routes");
    for (RouteSummary s : summaries) {
      ObjectNode r = routes.addObject();
      putRoute(r, s.route(), s.loss(), s.variant(), s.grid(), s.trainFraction(), s.epochs());
      r.put("uses_autoencoder", s.usesAutoencoder());
      r.put("uses_teacher", s.usesTeacher());
      ArrayNode seeds = r.putArray("seeds");
      s.seeds().forEach(seeds::add);
      r.put("n", s.seeds().size());
      r.set("test_at_best_val", perSeed(s.seeds(), s.headline(), s.headlineStats(),
          StudyStats.HEADLINE_PROTOCOL));
      r.set("paper_protocol", perSeed(s.seeds(), s.paperProtocol(), s.paperStats(),
          StudyStats.PAPER_PROTOCOL));
      if (s.paired() == null) {
        r.putNull("paired_difference");
      } else {
        Interval i = s.paired();
        ObjectNode p = r.putObject("paired_difference");
        p.put("baseline", data.baseline());
        p.put("n", i.n());
        ArrayNode ps = p.putArray("seeds");
        s.pairedSeeds().forEach(ps::add);
        ArrayNode d = p.putArray("differences");
        s.pairedDifferences().forEach(v -> add(d, v));
        put(p, "mean", i.mean());
        put(p, "std", i.std());
        put(p, "ci95_low", i.low());
        put(p, "ci95_high", i.high());
        put(p, "mde", i.mde());
        int need = i.seedsToDetect(PairedStats.TARGET_EFFECT);
        if (need < 0) {
          p.putNull("seeds_for_0_3pp");
        } else {
          p.put("seeds_for_0_3pp", need);
        }
      }
      r.put("verdict", s.verdict());
      ObjectNode costs = r.putObject("costs");
      costs.set("student", cost(s.cost().student()));
      costs.set("autoencoder_share", s.cost().autoencoderShare() == null ? null
          : cost(s.cost().autoencoderShare()));
      costs.set("teacher_share", s.cost().teacherShare() == null ? null
          : cost(s.cost().teacherShare()));
      costs.set("total", cost(s.cost().total()));
      ArrayNode jobs = r.putArray("job_ids");
      s.jobs().forEach(j -> jobs.add(j.jobId()));
    }
    root.set("autoencoder_cost", perSeedCost(data.autoencoderCost()));
    ObjectNode aeByFraction = root.putObject("autoencoder_cost_by_fraction");
    data.autoencoderCostByFraction().forEach((f, c) -> aeByFraction.set(f.toString(),
        perSeedCost(c)));
    root.set("teacher_cost", perSeedCost(data.teacherCost()));
    ObjectNode byFraction = root.putObject("teacher_cost_by_fraction");
    data.teacherCostByFraction().forEach((f, c) -> byFraction.set(f.toString(),
        perSeedCost(c)));
    ArrayNode soft = root.putArray("soft_labels");
    for (SoftLabelMatrix m : data.softLabels()) {
      ObjectNode o = soft.addObject();
      o.put("variant", m.variant());
      o.put("seed", m.seed());
      o.put("train_fraction", m.fraction());
      o.set("classes", JSON.valueToTree(m.classes()));
    }
    ArrayNode plotFiles = root.putArray("plots");
    plots.forEach(p -> plotFiles.addObject().put("file", PLOTS + "/" + p.file())
        .put("caption", p.caption()));
    ArrayNode jobs = root.putArray("jobs");
    for (JobResult j : data.jobs()) {
      ObjectNode o = jobs.addObject();
      o.put("job_id", j.jobId());
      putRoute(o, j.route(), j.loss(), j.variant(), j.grid(), j.trainFraction(), j.epochs());
      o.put("seed", j.seed());
      o.put("student_images", j.studentImages());
      o.put("autoencoder_images", j.autoencoderImages());
      o.put("draw_pool_images", j.drawPoolImages());
      if (j.card().present()) {
        o.set("model_card", JSON.valueToTree(j.card()));
      }
      o.put("uses_autoencoder", j.usesAutoencoder());
      o.put("uses_teacher", j.usesTeacher());
      o.put("best_val_epoch", j.bestValEpoch());
      put(o, "test_at_best_val", j.testAtBestVal());
      o.put("best_test_epoch", j.bestTestEpoch());
      put(o, "best_test", j.bestTest());
      put(o, "last_test", j.lastTest());
      ArrayNode curve = o.putArray("curve");
      for (EpochPoint p : j.curve()) {
        ObjectNode e = curve.addObject();
        e.put("epoch", p.epoch());
        put(e, "val_top1", p.valTop1());
        put(e, "test_top1", p.testTop1());
      }
      Cost c = j.studentCost();
      o.set("student_cost", cost(new CostSummary(c.parameters() < 0 ? Double.NaN
          : c.parameters(), c.macsPerImage(), c.trainingFlops(), c.wallSeconds(),
          c.cpuSeconds(), c.peakRssMb())));
    }
    return JSON.writeValueAsString(root) + "\n";
  }

  /** What names a route, in a route's entry and in each of its jobs' entries. */
  private static void putRoute(ObjectNode o, String route, String loss, String variant,
                               Map<String, String> grid, double trainFraction, int epochs) {
    o.put("route", route);
    o.put("loss", loss);
    o.put("variant", variant);
    o.set("grid", JSON.valueToTree(grid));
    o.put("train_fraction", trainFraction);
    o.put("epochs", epochs);
  }

  private static ObjectNode perSeed(List<Long> seeds, List<Double> values, Summary s,
      String protocol) {
    ObjectNode o = JSON.createObjectNode();
    o.put("protocol", protocol);
    ObjectNode per = o.putObject("per_seed");
    for (int i = 0; i < seeds.size(); i++) {
      put(per, Long.toString(seeds.get(i)), values.get(i));
    }
    o.put("n", s.n());
    put(o, "mean", s.mean());
    put(o, "std", s.std());
    return o;
  }

  private static ObjectNode perSeedCost(Map<Long, Cost> costs) {
    ObjectNode o = JSON.createObjectNode();
    costs.forEach((seed, c) -> o.set(Long.toString(seed), cost(new CostSummary(
        c.parameters() < 0 ? Double.NaN : c.parameters(), c.macsPerImage(), c.trainingFlops(),
        c.wallSeconds(), c.cpuSeconds(), c.peakRssMb()))));
    return o;
  }

  private static ObjectNode cost(CostSummary c) {
    ObjectNode o = JSON.createObjectNode();
    ObjectNode computed = o.putObject("computed");
    put(computed, "parameters", c.parameters());
    put(computed, "macs_per_image", c.macsPerImage());
    put(computed, "training_flops", c.trainingFlops());
    ObjectNode measured = o.putObject("measured");
    put(measured, "wall_seconds", c.wallSeconds());
    put(measured, "cpu_seconds", c.cpuSeconds());
    put(measured, "peak_rss_mb", c.peakRssMb());
    return o;
  }

  private static void put(ObjectNode o, String key, double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      o.putNull(key);
    } else {
      o.put(key, v);
    }
  }

  private static void add(ArrayNode a, double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      a.addNull();
    } else {
      a.add(v);
    }
  }

  // ---------------------------------------------------------------- report.md

  /** report.md's text; plots are linked as plots/&lt;file&gt;. */
  public static String markdown(StudyData data) {
    return markdown(data, StudyStats.summarize(data), List.of());
  }

  static String markdown(StudyData data, List<RouteSummary> summaries, List<Plot> plots) {
    String base = data.baseline();
    StringBuilder b = new StringBuilder();
    b.append("# Study: ").append(data.dataset()).append("\n\n");
    b.append("Teacher-free knowledge distillation, several losses compared over several seeds. ")
        .append("Each route is trained once per seed; the headline is the test top-1 at the ")
        .append("epoch with the best validation top-1, and every route is compared with `")
        .append(md(base)).append("` by the paired difference over the seeds both have, with a ")
        .append("95% Student-t interval.\n\n");

    b.append("## Settings\n\n");
    b.append("- dataset: ").append(md(data.dataset())).append('\n');
    b.append("- baseline: `").append(md(base)).append("`\n");
    b.append("- jobs: ").append(data.jobs().size()).append('\n');
    b.append("- seeds: ").append(data.jobs().stream().map(JobResult::seed).distinct().sorted()
        .map(String::valueOf).collect(Collectors.joining(", "))).append('\n');
    b.append("- train fractions: ").append(StudyStats.fractions(data).stream()
        .map(StudyPlots::fraction).collect(Collectors.joining(", "))).append('\n');
    b.append("- student epoch budgets: ").append(StudyStats.epochBudgets(data).stream()
        .map(String::valueOf).collect(Collectors.joining(", "))).append('\n');
    data.settings().forEach((k, v) -> b.append("- ").append(md(k)).append(": ")
        .append(md(String.valueOf(v))).append('\n'));
    b.append('\n');

    b.append("## Results: test accuracy at the best-validation epoch\n\n");
    b.append("Mean ± sample std over seeds. Δ is the paired difference route − ").append(md(base))
        .append(" in percentage points over the n seeds both have, with its 95% interval ")
        .append("(n/a with fewer than 2 pairs). MDE is the smallest true difference this ")
        .append("comparison would detect with 80% power (two-sided 5%), from its observed paired ")
        .append("spread: (t(0.975, n−1) + t(0.8, n−1))·sd/√n; \"seeds for 0.3 pp\" is how many ")
        .append("paired seeds that spread needs to detect 0.3 points.\n\n");
    b.append("| route | train fraction | epochs | n | test acc at best-val epoch (mean ± std) ")
        .append("| Δ vs ").append(md(base))
        .append(" mean [95% CI] | MDE (pp) | seeds for 0.3 pp | verdict |\n");
    b.append("|---|---|---|---|---|---|---|---|---|\n");
    for (RouteSummary s : summaries) {
      b.append("| ").append(md(s.route())).append(" | ").append(StudyPlots.fraction(
          s.trainFraction())).append(" | ").append(s.epochs()).append(" | ")
          .append(s.seeds().size()).append(" | ")
          .append(pct(s.headlineStats())).append(" | ").append(delta(s)).append(" | ")
          .append(mde(s)).append(" | ").append(seedsNeeded(s)).append(" | ")
          .append(md(s.verdict())).append(" |\n");
    }
    b.append('\n');

    b.append("### For comparison: ").append(StudyStats.PAPER_PROTOCOL).append("\n\n");
    b.append("The best test accuracy over all epochs picks the epoch on the test set itself, so ")
        .append("it is biased upward; it is shown only to compare with numbers reported that ")
        .append("way.\n\n");
    b.append("| route | train fraction | epochs | n | best test epoch acc, optimistic (mean ± "
        + "std) |\n");
    b.append("|---|---|---|---|---|\n");
    for (RouteSummary s : summaries) {
      b.append("| ").append(md(s.route())).append(" | ").append(StudyPlots.fraction(
          s.trainFraction())).append(" | ").append(s.epochs()).append(" | ")
          .append(s.seeds().size()).append(" | ")
          .append(pct(s.paperStats())).append(" |\n");
    }
    b.append('\n');

    b.append("## What this shows\n\n");
    b.append(findings(data, summaries)).append('\n');

    b.append("## Cost\n\n");
    b.append("Student figures are the mean over the route's seeds. A route that uses the ")
        .append("autoencoder (or a teacher) is charged its full cost, the mean over seeds: what ")
        .append("running that route alone costs. (computed) figures come from the architecture ")
        .append("and schedule, (measured) ones from the machine; the total's peak RSS is the ")
        .append("largest of its parts, its MACs per image the student's (inference needs only ")
        .append("the student). n/a = unknown.\n\n");
    b.append("| route | train fraction | epochs | student params (computed) | student MACs/image ")
        .append("(computed) | student training FLOPs (computed) | autoencoder training FLOPs ")
        .append("(computed) | teacher training FLOPs (computed) | total training FLOPs ")
        .append("(computed) | student wall s (measured) | autoencoder wall s (measured) | ")
        .append("teacher wall s (measured) | total wall s (measured) | total CPU s (measured) ")
        .append("| peak RSS MB (measured) |\n");
    b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (RouteSummary s : summaries) {
      var c = s.cost();
      b.append("| ").append(md(s.route())).append(" | ")
          .append(StudyPlots.fraction(s.trainFraction())).append(" | ").append(s.epochs())
          .append(" | ").append(sci(c.student().parameters())).append(" | ")
          .append(sci(c.student().macsPerImage())).append(" | ")
          .append(sci(c.student().trainingFlops())).append(" | ")
          .append(c.autoencoderShare() == null ? "—" : sci(c.autoencoderShare().trainingFlops()))
          .append(" | ")
          .append(c.teacherShare() == null ? "—" : sci(c.teacherShare().trainingFlops()))
          .append(" | ").append(sci(c.total().trainingFlops())).append(" | ")
          .append(fixed(c.student().wallSeconds())).append(" | ")
          .append(c.autoencoderShare() == null ? "—" : fixed(c.autoencoderShare().wallSeconds()))
          .append(" | ")
          .append(c.teacherShare() == null ? "—" : fixed(c.teacherShare().wallSeconds()))
          .append(" | ").append(fixed(c.total().wallSeconds())).append(" | ")
          .append(fixed(c.total().cpuSeconds())).append(" | ")
          .append(fixed(c.total().peakRssMb())).append(" |\n");
    }
    b.append("\n— = the route does not use it.\n\n");
    b.append(modelCards(summaries));

    if (!plots.isEmpty()) {
      b.append("## Plots\n\n");
      for (Plot p : plots) {
        b.append("![").append(md(p.caption())).append("](").append(PLOTS).append('/')
            .append(p.file()).append(")\n\n*").append(md(p.caption())).append("*\n\n");
      }
    }
    b.append("Files: `results.csv` (one row per job), `study.json` (everything above, ")
        .append("machine-readable).\n");
    return b.toString();
  }

  /** The "What this shows" paragraph: only what the intervals support. */
  static String findings(StudyData data, List<RouteSummary> summaries) {
    String base = data.baseline();
    StringBuilder b = new StringBuilder();
    for (StudyStats.Setting setting : StudyStats.settings(data)) {
      List<RouteSummary> at = summaries.stream()
          .filter(s -> s.setting().equals(setting) && !s.isBaseline()).toList();
      if (at.isEmpty()) {
        continue;
      }
      List<RouteSummary> withInterval = at.stream()
          .filter(s -> s.paired() != null && s.paired().defined()).toList();
      List<RouteSummary> better = withInterval.stream()
          .filter(s -> s.paired().low() > 0).toList();
      List<RouteSummary> worse = withInterval.stream()
          .filter(s -> s.paired().high() < 0).toList();
      List<RouteSummary> undecided = at.stream()
          .filter(s -> s.paired() == null || !s.paired().defined()).toList();
      b.append("- Train ").append(setting.label()).append(": ");
      if (withInterval.isEmpty()) {
        b.append("no route has enough paired seeds with ").append(md(base))
            .append(" for an interval, so nothing can be said yet.");
      } else if (better.isEmpty() && worse.isEmpty()) {
        b.append(withInterval.size() == at.size() ? "No route" : "No route with an interval")
            .append(" differs from ").append(md(base))
            .append(" beyond noise at this budget (every 95% interval contains 0); ")
            .append(mdeRange(withInterval)).append('.');
      } else {
        if (!better.isEmpty()) {
          b.append("better than ").append(md(base)).append(" (95% interval above 0): ")
              .append(list(better)).append(".");
        }
        if (!worse.isEmpty()) {
          b.append(better.isEmpty() ? "" : " ").append("worse than ").append(md(base))
              .append(" (95% interval below 0): ")
              .append(list(worse)).append(".");
        }
        long rest = withInterval.size() - better.size() - worse.size();
        if (rest > 0) {
          b.append(" ").append(rest).append(rest == 1 ? " other route shows" : " other routes show")
              .append(" no difference from ").append(md(base)).append(" beyond noise (")
              .append(mdeRange(withInterval.stream().filter(s -> s.paired().low() <= 0
                  && s.paired().high() >= 0).toList())).append(").");
        }
      }
      if (!undecided.isEmpty()) {
        b.append(" Not compared (fewer than 2 paired seeds, or no ").append(md(base))
            .append(" at this fraction): ").append(undecided.stream()
                .map(s -> "`" + md(s.route()) + "`").collect(Collectors.joining(", ")))
            .append('.');
      }
      b.append('\n');
    }
    if (b.length() == 0) {
      b.append("- Nothing to compare yet: no route other than ").append(md(base))
          .append(" has finished jobs.\n");
    }
    b.append("\nA verdict says only what the 95% interval of the paired difference allows at ")
        .append("this number of seeds and this training budget; \"no difference detected\" is ")
        .append("not evidence of equality, and more seeds or epochs may change it.\n");
    return b.toString().trim() + "\n";
  }

  /** "their MDE is 0.4 to 1.2 pp": what those "no difference" verdicts could have seen. */
  private static String mdeRange(List<RouteSummary> routes) {
    double lo = routes.stream().mapToDouble(s -> s.paired().mde()).filter(v -> !Double.isNaN(v))
        .min().orElse(Double.NaN);
    double hi = routes.stream().mapToDouble(s -> s.paired().mde()).filter(v -> !Double.isNaN(v))
        .max().orElse(Double.NaN);
    if (Double.isNaN(lo)) {
      return "their minimum detectable effect is unknown";
    }
    String range = lo == hi ? String.format(Locale.ROOT, "%.2f", 100 * lo)
        : String.format(Locale.ROOT, "%.2f to %.2f", 100 * lo, 100 * hi);
    return (routes.size() == 1 ? "its" : "their") + " minimum detectable effect (80% power) is "
        + range + " pp (a smaller true effect would be detected with less than 80% probability)";
  }

  private static String mde(RouteSummary s) {
    Interval i = s.paired();
    if (s.isBaseline()) {
      return "—";
    }
    return i == null || Double.isNaN(i.mde()) ? "n/a"
        : String.format(Locale.ROOT, "%.2f", 100 * i.mde());
  }

  private static String seedsNeeded(RouteSummary s) {
    Interval i = s.paired();
    if (s.isBaseline()) {
      return "—";
    }
    int n = i == null ? -1 : i.seedsToDetect(PairedStats.TARGET_EFFECT);
    return n < 0 ? "n/a" : n >= PairedStats.MAX_SEEDS ? ">= " + PairedStats.MAX_SEEDS
        : Integer.toString(n);
  }

  private static String list(List<RouteSummary> routes) {
    return routes.stream().map(s -> "`" + md(s.route()) + "` (Δ " + signedPp(s.paired().mean())
        + " pp [" + signedPp(s.paired().low()) + ", " + signedPp(s.paired().high()) + "], n="
        + s.paired().n() + ")").collect(Collectors.joining(", "));
  }

  private static String delta(RouteSummary s) {
    if (s.isBaseline()) {
      return "—";
    }
    Interval i = s.paired();
    if (i == null || i.n() == 0) {
      return "n/a";
    }
    String ci = i.defined() ? "[" + signedPp(i.low()) + ", " + signedPp(i.high()) + "]" : "[n/a]";
    return signedPp(i.mean()) + " pp " + ci + " (n=" + i.n() + ")";
  }

  private static String pct(Summary s) {
    if (s.n() == 0) {
      return "n/a";
    }
    String std = Double.isNaN(s.std()) ? "n/a" : String.format(Locale.ROOT, "%.2f", 100 * s.std());
    return String.format(Locale.ROOT, "%.2f", 100 * s.mean()) + " ± " + std + " %";
  }

  private static String signedPp(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%+.2f", 100 * v);
  }

  private static String sci(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    return Math.abs(v) < 1e4 ? String.format(Locale.ROOT, "%.0f", v)
        : String.format(Locale.ROOT, "%.3g", v);
  }

  private static String fixed(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f", v);
  }

  /** Escapes what would break a Markdown table cell. */
  private static String md(String s) {
    return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
  }
}
