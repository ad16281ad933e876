package org.reffakd.study;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.reffakd.nn.run.Cost;
import org.reffakd.nn.train.EpochRow;

/**
 * One finished distillation job. {@code variant} is the soft-label variant ("paper", "clean",
 * ...) or "-" when the loss uses no soft labels; {@code grid} holds the loss's hyper-parameters
 * (e.g. alpha=0.5, temperature=5), empty when none, kept sorted by key. {@code epochs} is the
 * student's epoch budget; the image counts say what each stage of the route saw (METHOD.md
 * section 6): the student's labelled images, the autoencoder's images and the soft-label draw's
 * pool (0 for a route without soft labels, -1 when unknown). {@code card} is the job's model
 * card (ONNX sizes, accuracies, latency), {@link ModelCardFigures#NONE} without one.
 */
public record JobResult(String jobId, String loss, String variant, Map<String, String> grid,
    double trainFraction, long seed, List<EpochPoint> curve, boolean usesAutoencoder,
    boolean usesTeacher, Cost studentCost, int epochs, int studentImages,
    int autoencoderImages, int drawPoolImages, ModelCardFigures card) {

  public JobResult {
    card = card == null ? ModelCardFigures.NONE : card;
    variant = variant == null || variant.isBlank() ? "-" : variant;
    grid = grid == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(grid));
    curve = curve == null ? List.of() : List.copyOf(curve);
    studentCost = studentCost == null ? Cost.UNKNOWN : studentCost;
  }

  /** A job without a model card. */
  public JobResult(String jobId, String loss, String variant, Map<String, String> grid,
                   double trainFraction, long seed, List<EpochPoint> curve,
                   boolean usesAutoencoder, boolean usesTeacher, Cost studentCost, int epochs,
                   int studentImages, int autoencoderImages, int drawPoolImages) {
    this(jobId, loss, variant, grid, trainFraction, seed, curve, usesAutoencoder, usesTeacher,
        studentCost, epochs, studentImages, autoencoderImages, drawPoolImages, null);
  }

  /**
   * A job whose epoch budget is its curve's last epoch and whose image counts are unknown (-1):
   * what a result without them says.
   */
  public JobResult(String jobId, String loss, String variant, Map<String, String> grid,
                   double trainFraction, long seed, List<EpochPoint> curve,
                   boolean usesAutoencoder, boolean usesTeacher, Cost studentCost) {
    this(jobId, loss, variant, grid, trainFraction, seed, curve, usesAutoencoder, usesTeacher,
        studentCost, curve == null ? 0 : curve.stream().mapToInt(EpochPoint::epoch).max()
            .orElse(0), -1, -1, -1);
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

  /**
   * The epochs each protocol selects, by the one rule runs use ({@link EpochRow.Selection}):
   * curve points in epoch order; null with no epochs.
   */
  private EpochRow.Selection selection() {
    if (curve.isEmpty()) {
      return null;
    }
    List<EpochRow> rows = curve.stream()
        .sorted(java.util.Comparator.comparingInt(EpochPoint::epoch))
        .map(p -> new EpochRow(p.epoch(), Double.NaN, Double.NaN, Map.of(), Double.NaN,
            p.valTop1(), p.testTop1(), Double.NaN, Double.NaN, Double.NaN, Double.NaN))
        .toList();
    return EpochRow.Selection.of(rows);
  }

  /** The epoch with the highest validation top-1 (the first on ties); -1 with none. */
  public int bestValEpoch() {
    EpochRow.Selection s = selection();
    return s == null || s.bestValEpoch() == 0 ? -1 : s.bestValEpoch();
  }

  /** Test top-1 at {@link #bestValEpoch()}: the headline, free of test-set selection. */
  public double testAtBestVal() {
    EpochRow.Selection s = selection();
    return s == null ? Double.NaN : s.testAtBestVal();
  }

  /** The epoch with the highest test top-1 (the first on ties); -1 with no epochs. */
  public int bestTestEpoch() {
    EpochRow.Selection s = selection();
    return s == null ? -1 : s.bestTestEpoch();
  }

  /** Max test top-1 over the epochs: the paper's protocol, optimistic (selects on test). */
  public double bestTest() {
    EpochRow.Selection s = selection();
    return s == null ? Double.NaN : s.bestTest();
  }

  /** Test top-1 of the last (highest-numbered) epoch; NaN with no epochs. */
  public double lastTest() {
    EpochRow.Selection s = selection();
    return s == null ? Double.NaN : s.lastTest();
  }
}
