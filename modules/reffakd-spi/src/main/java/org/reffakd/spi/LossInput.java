package org.reffakd.spi;

/**
 * One batch as a loss sees it. All matrices are row-major (n, classes), double precision.
 *
 * @param logits        student logits
 * @param n             batch size
 * @param classes       number of classes
 * @param labels        hard labels, one per row, in [0, classes)
 * @param softTargets   per-sample target distributions (rows sum to 1), or null when the
 *                      strategy does not declare {@link LossPlugin.Need#SOFT_LABELS}
 * @param teacherLogits teacher logits on the same batch, or null when the strategy does not
 *                      declare {@link LossPlugin.Need#TEACHER}
 * @param epoch         0-based epoch, for strategies with a schedule (for example a warm-up)
 */
public record LossInput(double[] logits, int n, int classes, int[] labels, double[] softTargets,
                        double[] teacherLogits, int epoch) {

  public LossInput {
    if (n < 1 || classes < 2) {
      throw new IllegalArgumentException("loss input: need n >= 1 and classes >= 2, got n=" + n
          + ", classes=" + classes);
    }
    check("logits", logits, n, classes);
    if (labels == null || labels.length != n) {
      throw new IllegalArgumentException("loss input: " + (labels == null ? 0 : labels.length)
          + " labels for a batch of " + n);
    }
    if (softTargets != null) {
      check("soft targets", softTargets, n, classes);
    }
    if (teacherLogits != null) {
      check("teacher logits", teacherLogits, n, classes);
    }
  }

  private static void check(String what, double[] a, int n, int classes) {
    if (a == null || a.length != n * classes) {
      throw new IllegalArgumentException("loss input: " + what + " hold "
          + (a == null ? 0 : a.length) + " values, expected " + n + " x " + classes);
    }
  }
}
