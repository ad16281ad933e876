package org.reffakd.nn.loss;

/**
 * One batch as a loss sees it.
 *
 * @param logits      student logits, row-major (n, classes)
 * @param n           batch size
 * @param classes     number of classes
 * @param labels      hard labels, one per row
 * @param softTargets per-sample target distributions (n, classes), or null
 * @param epoch       0-based epoch (for strategies with a schedule)
 */
public record LossInput(double[] logits, int n, int classes, int[] labels, double[] softTargets,
                        int epoch) {

  public LossInput {
    if (logits.length != n * classes) {
      throw new IllegalArgumentException("logits hold " + logits.length + " values, expected "
          + n + " x " + classes);
    }
    if (labels.length != n) {
      throw new IllegalArgumentException(labels.length + " labels for a batch of " + n);
    }
    if (softTargets != null && softTargets.length != n * classes) {
      throw new IllegalArgumentException("soft targets hold " + softTargets.length
          + " values, expected " + n + " x " + classes);
    }
  }
}
