package org.reffakd.study;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import org.reffakd.nn.run.Cost;
import org.reffakd.study.PairedStats.Interval;
import org.reffakd.study.PairedStats.Summary;

/**
 * The study's jobs grouped by (route, train fraction, epoch budget), with the headline statistic
 * (test top-1 at the best-validation epoch), the paper's optimistic one (best test epoch), the
 * paired difference against the baseline route at the same fraction and budget, the verdict, its
 * minimum detectable effect, and the route's cost.
 */
public final class StudyStats {

  /** The label of the paper's protocol wherever it is shown. */
  public static final String PAPER_PROTOCOL = "best test epoch (the paper's protocol, optimistic)";
  /** The label of the headline protocol. */
  public static final String HEADLINE_PROTOCOL = "test accuracy at the best-validation epoch";
  /** The verdict of the baseline route itself. */
  public static final String BASELINE = "baseline";

  private StudyStats() {}

  /**
   * Cost figures averaged over seeds (each over the seeds where it is known; NaN when none is).
   * Computed: parameters, macsPerImage, trainingFlops. Measured: wallSeconds, cpuSeconds,
   * peakRssMb.
   */
  public record CostSummary(double parameters, double macsPerImage, double trainingFlops,
      double wallSeconds, double cpuSeconds, double peakRssMb) {

    static final CostSummary UNKNOWN = new CostSummary(Double.NaN, Double.NaN, Double.NaN,
        Double.NaN, Double.NaN, Double.NaN);

    /** The mean of each figure over the costs where that figure is known. */
    public static CostSummary mean(Collection<Cost> costs) {
      return new CostSummary(
          meanKnown(costs, c -> c.parameters() < 0 ? Double.NaN : c.parameters()),
          meanKnown(costs, Cost::macsPerImage), meanKnown(costs, Cost::trainingFlops),
          meanKnown(costs, Cost::wallSeconds), meanKnown(costs, Cost::cpuSeconds),
          meanKnown(costs, Cost::peakRssMb));
    }

    private static double meanKnown(Collection<Cost> costs, ToDoubleFunction<Cost> f) {
      return PairedStats.summarize(costs.stream().mapToDouble(f).toArray()).mean();
    }
  }

  /**
   * What a route costs: its student's share, plus the full autoencoder share when it uses the
   * autoencoder and the full teacher share when it uses a teacher (null when it uses none: what
   * running this route alone would cost). The total sums parameters (everything trained),
   * training FLOPs, wall and CPU seconds, takes the largest peak RSS (the stages run one after
   * another), and keeps the student's MACs per image (inference needs only the student). A share
   * that is needed but unknown makes the total's figure unknown (NaN).
   */
  public record RouteCost(CostSummary student, CostSummary autoencoderShare,
      CostSummary teacherShare, CostSummary total) {

    static RouteCost of(CostSummary student, CostSummary autoencoder, CostSummary teacher) {
      CostSummary t = student;
      for (CostSummary s : new CostSummary[] {autoencoder, teacher}) {
        if (s != null) {
          t = new CostSummary(t.parameters() + s.parameters(), t.macsPerImage(),
              t.trainingFlops() + s.trainingFlops(), t.wallSeconds() + s.wallSeconds(),
              t.cpuSeconds() + s.cpuSeconds(),
              Double.isNaN(t.peakRssMb()) || Double.isNaN(s.peakRssMb()) ? Double.NaN
                  : Math.max(t.peakRssMb(), s.peakRssMb()));
        }
      }
      return new RouteCost(student, autoencoder, teacher, t);
    }
  }

  /** Where routes are compared: a training fraction and a student epoch budget. */
  public record Setting(double fraction, int epochs) implements Comparable<Setting> {

    @Override
    public int compareTo(Setting o) {
      int c = Double.compare(fraction, o.fraction);
      return c != 0 ? c : Integer.compare(epochs, o.epochs);
    }

    /** "fraction 0.05, 10 epochs". */
    public String label() {
      return "fraction " + StudyPlots.fraction(fraction) + ", " + epochs + " epoch"
          + (epochs == 1 ? "" : "s");
    }
  }

  /**
   * One route at one train fraction and epoch budget. {@code seeds}, {@code headline} (test at
   * best-val epoch) and {@code paperProtocol} (best test) are aligned, sorted by seed; {@code
   * paired} is null for the baseline route and when the baseline has no job at this fraction.
   */
  public record RouteSummary(String route, String loss, String variant,
      Map<String, String> grid, double trainFraction, int epochs, boolean usesAutoencoder,
      boolean usesTeacher, List<Long> seeds, List<Double> headline, Summary headlineStats,
      List<Double> paperProtocol, Summary paperStats, List<Long> pairedSeeds,
      List<Double> pairedDifferences, Interval paired, String verdict, RouteCost cost,
      List<JobResult> jobs) {

    public boolean isBaseline() {
      return BASELINE.equals(verdict);
    }

    public Setting setting() {
      return new Setting(trainFraction, epochs);
    }
  }

  /** The (fraction, epoch budget) settings of the study's jobs, ascending. */
  public static List<Setting> settings(StudyData data) {
    TreeSet<Setting> s = new TreeSet<>();
    data.jobs().forEach(j -> s.add(new Setting(j.trainFraction(), j.epochs())));
    return new ArrayList<>(s);
  }

  /** The epoch budgets of the study's jobs, ascending. */
  public static List<Integer> epochBudgets(StudyData data) {
    TreeSet<Integer> e = new TreeSet<>();
    data.jobs().forEach(j -> e.add(j.epochs()));
    return new ArrayList<>(e);
  }

  /** The train fractions of the study's jobs, ascending. */
  public static List<Double> fractions(StudyData data) {
    TreeSet<Double> f = new TreeSet<>();
    data.jobs().forEach(j -> f.add(j.trainFraction()));
    return new ArrayList<>(f);
  }

  /**
   * The routes in order (the baseline first, then in order of first appearance), each with its
   * jobs per setting; of several jobs of the same route, setting and seed the last one counts
   * (a rerun replaces), and jobs without a headline value (no epochs) are left out.
   */
  static Map<String, Map<Setting, TreeMap<Long, JobResult>>> group(StudyData data) {
    Map<String, Map<Setting, TreeMap<Long, JobResult>>> g = new LinkedHashMap<>();
    if (data.jobs().stream().anyMatch(j -> j.route().equals(data.baseline()))) {
      g.put(data.baseline(), new TreeMap<>());
    }
    for (JobResult j : data.jobs()) {
      if (Double.isNaN(j.testAtBestVal())) {
        continue;
      }
      g.computeIfAbsent(j.route(), r -> new TreeMap<>())
          .computeIfAbsent(new Setting(j.trainFraction(), j.epochs()), f -> new TreeMap<>())
          .put(j.seed(), j);
    }
    g.values().removeIf(Map::isEmpty);
    return g;
  }

  /**
   * One summary per (route, fraction, epoch budget): by fraction then budget ascending, the
   * baseline first in each.
   */
  public static List<RouteSummary> summarize(StudyData data) {
    Map<String, Map<Setting, TreeMap<Long, JobResult>>> g = group(data);
    List<RouteSummary> out = new ArrayList<>();
    for (Setting setting : settings(data)) {
      double fraction = setting.fraction();
      CostSummary ae = data.autoencoderCostAt(fraction).isEmpty() ? CostSummary.UNKNOWN
          : CostSummary.mean(data.autoencoderCostAt(fraction).values());
      CostSummary teacher = data.teacherCostAt(fraction).isEmpty() ? CostSummary.UNKNOWN
          : CostSummary.mean(data.teacherCostAt(fraction).values());
      TreeMap<Long, JobResult> base = g.getOrDefault(data.baseline(), Map.of()).get(setting);
      for (Map.Entry<String, Map<Setting, TreeMap<Long, JobResult>>> e : g.entrySet()) {
        TreeMap<Long, JobResult> bySeed = e.getValue().get(setting);
        if (bySeed == null) {
          continue;
        }
        List<JobResult> jobs = new ArrayList<>(bySeed.values());
        JobResult first = jobs.get(0);
        List<Long> seeds = new ArrayList<>(bySeed.keySet());
        List<Double> headline = jobs.stream().map(JobResult::testAtBestVal).toList();
        List<Double> paper = jobs.stream().map(JobResult::bestTest).toList();
        boolean isBase = e.getKey().equals(data.baseline());
        List<Long> pairedSeeds = new ArrayList<>();
        List<Double> diffs = new ArrayList<>();
        Interval paired = null;
        String verdict;
        if (isBase) {
          verdict = BASELINE;
        } else if (base == null) {
          verdict = "no " + data.baseline() + " at this fraction and budget to compare with";
        } else {
          for (JobResult j : jobs) {
            JobResult b = base.get(j.seed());
            if (b != null) {
              pairedSeeds.add(j.seed());
              diffs.add(j.testAtBestVal() - b.testAtBestVal());
            }
          }
          paired = PairedStats.ofDifferences(
              diffs.stream().mapToDouble(Double::doubleValue).toArray());
          verdict = PairedStats.verdict(paired, data.baseline());
        }
        boolean usesAe = jobs.stream().anyMatch(JobResult::usesAutoencoder);
        boolean usesTeacher = jobs.stream().anyMatch(JobResult::usesTeacher);
        RouteCost cost = RouteCost.of(
            CostSummary.mean(jobs.stream().map(JobResult::studentCost).toList()),
            usesAe ? ae : null, usesTeacher ? teacher : null);
        out.add(new RouteSummary(e.getKey(), first.loss(), first.variant(), first.grid(),
            fraction, setting.epochs(), usesAe, usesTeacher, List.copyOf(seeds), headline,
            PairedStats.summarize(headline.stream().mapToDouble(Double::doubleValue).toArray()),
            paper,
            PairedStats.summarize(paper.stream().mapToDouble(Double::doubleValue).toArray()),
            List.copyOf(pairedSeeds), List.copyOf(diffs), paired, verdict, cost,
            List.copyOf(jobs)));
      }
    }
    return out;
  }
}
