package org.reffakd.platform.study;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One finished distillation job. {@code variant} is the soft-label variant ("paper", "clean",
 * ...) or "-" when the loss uses no soft labels; {@code grid} holds the loss's hyper-parameters
 * (e.g. alpha=0.5, temperature=5), empty when none, kept sorted by key.
 */
public record JobResult(String jobId, String loss, String variant, Map<String, String> grid,
    double trainFraction, long seed, List<EpochPoint> curve, boolean usesAutoencoder,
    boolean usesTeacher, Cost studentCost) {

  public JobResult {
    variant = variant == null || variant.isBlank() ? "-" : variant;
    grid = grid == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(grid));
    curve = curve == null ? List.of() : List.copyOf(curve);
    studentCost = studentCost == null ? Cost.UNKNOWN : studentCost;
  }

  /** The grid as {@code alpha=0.5,temperature=5} (keys sorted); empty when there is none. */
  public String gridText() {
    return grid.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }

  /** loss, then "/variant" unless the variant is "-", then "/grid" when there is one. */
  public String route() {
    String r = loss + ("-".equals(variant) ? "" : "/" + variant);
    return grid.isEmpty() ? r : r + "/" + gridText();
  }

  /** The epoch with the highest validation top-1 (the first on ties); -1 with no epochs. */
  public int bestValEpoch() {
    EpochPoint best = null;
    for (EpochPoint p : curve) {
      if (!Double.isNaN(p.valTop1()) && (best == null || p.valTop1() > best.valTop1())) {
        best = p;
      }
    }
    return best == null ? -1 : best.epoch();
  }

  /** Test top-1 at {@link #bestValEpoch()}: the headline, free of test-set selection. */
  public double testAtBestVal() {
    int e = bestValEpoch();
    for (EpochPoint p : curve) {
      if (p.epoch() == e) {
        return p.testTop1();
      }
    }
    return Double.NaN;
  }

  /** The epoch with the highest test top-1 (the first on ties); -1 with no epochs. */
  public int bestTestEpoch() {
    EpochPoint best = null;
    for (EpochPoint p : curve) {
      if (!Double.isNaN(p.testTop1()) && (best == null || p.testTop1() > best.testTop1())) {
        best = p;
      }
    }
    return best == null ? -1 : best.epoch();
  }

  /** Max test top-1 over the epochs: the paper's protocol, optimistic (selects on test). */
  public double bestTest() {
    double best = Double.NaN;
    for (EpochPoint p : curve) {
      if (!Double.isNaN(p.testTop1()) && (Double.isNaN(best) || p.testTop1() > best)) {
        best = p.testTop1();
      }
    }
    return best;
  }

  /** Test top-1 of the last (highest-numbered) epoch; NaN with no epochs. */
  public double lastTest() {
    EpochPoint last = null;
    for (EpochPoint p : curve) {
      if (last == null || p.epoch() >= last.epoch()) {
        last = p;
      }
    }
    return last == null ? Double.NaN : last.testTop1();
  }
}
