package org.reffakd.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reffakd.nn.run.Cost;

/**
 * A small hand-made study: ce (the baseline), reffakd/paper (autoencoder) and kd (teacher), 3
 * seeds, train fractions 0.5 and 1.0, 3 epochs per job, one 3 x 3 soft-label matrix, costs.
 *
 * <p>Each job's curve is (1: val 0.5, test h - 0.05), (2: val 0.7, test h), (3: val 0.6, test
 * h + 0.01), so the best-val epoch is 2, test at it is h and the best test is h + 0.01.
 *
 * <pre>
 * fraction 1.0  ce 0.80 0.81 0.82 | reffakd 0.85 0.87 0.86 (better) | kd 0.79 0.83 0.81 (no diff.)
 * fraction 0.5  ce 0.70 0.71 0.72 | reffakd 0.66 0.68 0.67 (worse)  | kd seed 1 only: 0.70 (n=1)
 * </pre>
 */
final class StudyFixture {

  static final String REFFAKD = "reffakd/paper/alpha=0.5,temperature=5";

  private StudyFixture() {}

  static JobResult job(String loss, String variant, Map<String, String> grid, double fraction,
      long seed, double h, boolean ae, boolean teacher) {
    double wall = 8 + 2 * seed;
    return new JobResult(loss + "-" + fraction + "-" + seed, loss, variant, grid, fraction, seed,
        List.of(new EpochPoint(1, 0.5, h - 0.05), new EpochPoint(2, 0.7, h),
            new EpochPoint(3, 0.6, h + 0.01)),
        ae, teacher, new Cost(1000, 2e5, 1e12, wall, 2 * wall, 500));
  }

  static List<JobResult> jobs(double[][] ce, double[][] reffakd, double[][] kd) {
    Map<String, String> rGrid = new LinkedHashMap<>();
    rGrid.put("temperature", "5");
    rGrid.put("alpha", "0.5");
    List<JobResult> jobs = new ArrayList<>();
    double[] fractions = {1.0, 0.5};
    for (int f = 0; f < 2; f++) {
      for (int s = 0; s < ce[f].length; s++) {
        jobs.add(job("ce", "-", Map.of(), fractions[f], s + 1, ce[f][s], false, false));
      }
      for (int s = 0; s < reffakd[f].length; s++) {
        jobs.add(job("reffakd", "paper", rGrid, fractions[f], s + 1, reffakd[f][s], true, false));
      }
      for (int s = 0; s < kd[f].length; s++) {
        jobs.add(job("kd", "-", Map.of("temperature", "4"), fractions[f], s + 1, kd[f][s], false,
            true));
      }
    }
    return jobs;
  }

  static StudyData data() {
    return data(jobs(new double[][] {{0.80, 0.81, 0.82}, {0.70, 0.71, 0.72}},
        new double[][] {{0.85, 0.87, 0.86}, {0.66, 0.68, 0.67}},
        new double[][] {{0.79, 0.83, 0.81}, {0.70}}));
  }

  static StudyData data(List<JobResult> jobs) {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("epochs", 3);
    settings.put("model", "lenet5bn");
    return new StudyData("fashion-mnist", "ce", settings, jobs,
        Map.of(1L, new Cost(5000, 1e6, 2e12, 30, 60, 800),
            2L, new Cost(5000, 1e6, 2e12, 50, 100, 800),
            3L, new Cost(5000, 1e6, 2e12, 40, 80, 800)),
        Map.of(1L, new Cost(100_000, 1e7, 1e13, 100, 200, 1500),
            2L, new Cost(100_000, 1e7, 1e13, 100, 200, 1500)),
        List.of(new SoftLabelMatrix("paper", 1, List.of("shirt", "coat", "bag"),
            new double[][] {{1, 0.8, 0.1}, {0.8, 1, 0.2}, {0.1, 0.2, 1}},
            new double[][] {{0.7, 0.25, 0.05}, {0.25, 0.65, 0.1}, {0.05, 0.1, 0.85}})));
  }
}
