package org.reffakd.spi;

/**
 * The softmax arithmetic most distillation losses are built from, in double precision, for the
 * built-in strategies and for plugins alike. All matrices are row-major (n, classes), as in
 * {@link LossInput}; "row i" is {@code [i * c, (i + 1) * c)}.
 *
 * <p><b>Numerics.</b> Softmax and log-softmax subtract the row maximum before exponentiating,
 * so large logits do not overflow. Temperatures divide the values: {@code softmax(z / T)}.
 *
 * <p><b>NaN and infinities are never hidden.</b> A NaN or an infinite value in an input gives
 * NaN in the results that depend on it (a row's softmax, a KL, a gradient): nothing is skipped
 * or clamped, so a bad input shows up as a non-finite loss or gradient rather than as a
 * plausible number. The only convention applied is {@code 0 log 0 = 0}: a target probability of
 * exactly 0 contributes nothing to a KL. A negative target probability gives NaN.
 *
 * <p>Stateless and thread-safe.
 */
public final class LossMath {

  private LossMath() {}

  /**
   * Row-wise {@code log softmax(z / temperature)} into {@code out} (which may be {@code z}).
   *
   * @param z           (n, c) values
   * @param temperature divides the values; 1 for a plain log-softmax
   * @param out         (n, c) result
   */
  public static void logSoftmax(double[] z, int n, int c, double temperature, double[] out) {
    for (int i = 0; i < n; i++) {
      logSoftmaxRow(z, i * c, c, temperature, out, i * c);
    }
  }

  /** One row: {@code log softmax(x[off .. off + c) / temperature)} as a new array of c. */
  public static double[] logSoftmax(double[] x, int off, int c, double temperature) {
    double[] out = new double[c];
    logSoftmaxRow(x, off, c, temperature, out, 0);
    return out;
  }

  private static void logSoftmaxRow(double[] x, int off, int c, double temperature,
                                    double[] out, int outOff) {
    double lse = logSumExp(x, off, c, -1, temperature);
    for (int j = 0; j < c; j++) {
      out[outOff + j] = x[off + j] / temperature - lse;
    }
  }

  /** Row-wise {@code softmax(z / temperature)}, as a new (n, c) array. */
  public static double[] softmax(double[] z, int n, int c, double temperature) {
    double[] out = new double[n * c];
    logSoftmax(z, n, c, temperature, out);
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.exp(out[i]);
    }
    return out;
  }

  /**
   * {@code log sum_j exp(x[off + j] / temperature)} over j in [0, c) except {@code skip}
   * ({@code -1}: none), computed around the maximum. {@code -inf} when every included value is
   * {@code -inf} (or none is included); NaN when a value is NaN or {@code +inf}.
   */
  public static double logSumExp(double[] x, int off, int c, int skip, double temperature) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < c; j++) {
      if (j != skip) {
        double v = x[off + j] / temperature;
        if (Double.isNaN(v)) {
          return Double.NaN;
        }
        max = Math.max(max, v);
      }
    }
    if (max == Double.NEGATIVE_INFINITY) {
      return max;
    }
    if (max == Double.POSITIVE_INFINITY) {
      return Double.NaN;
    }
    double s = 0;
    for (int j = 0; j < c; j++) {
      if (j != skip) {
        s += Math.exp(x[off + j] / temperature - max);
      }
    }
    return max + Math.log(s);
  }

  /**
   * Mean cross-entropy of {@code softmax(z)} against hard labels over the batch, and its
   * gradient: adds {@code weight * d(mean CE)/dz = weight * (softmax(z) - onehot(y)) / n} into
   * {@code grad} (the returned value is not weighted).
   *
   * @param labels one per row, in [0, c); not checked here (the platform checks them before a
   *               loss is called)
   * @param grad   (n, c) accumulator, or null for the value only
   */
  public static double crossEntropy(double[] z, int n, int c, int[] labels, double weight,
                                    double[] grad) {
    double[] logp = new double[n * c];
    logSoftmax(z, n, c, 1.0, logp);
    double loss = 0;
    for (int i = 0; i < n; i++) {
      int o = i * c;
      loss -= logp[o + labels[i]];
      if (grad != null) {
        for (int j = 0; j < c; j++) {
          grad[o + j] += weight * (Math.exp(logp[o + j]) - (j == labels[i] ? 1 : 0)) / n;
        }
      }
    }
    return loss / n;
  }

  /**
   * {@code KL(p || q)} of one row: {@code sum_j p_j (log p_j - log q_j)} with {@code 0 log 0 = 0}.
   * A NaN or negative {@code p_j}, or a NaN {@code log q_j} where {@code p_j > 0}, gives NaN:
   * nothing is skipped but exact zeros of p.
   *
   * @param p    target probabilities, row {@code off}
   * @param logq log of the other distribution, same layout as p
   */
  public static double klRow(double[] p, double[] logq, int off, int c) {
    double s = 0;
    for (int j = 0; j < c; j++) {
      double pj = p[off + j];
      if (pj != 0) { // NaN and negative values fall through and poison the sum
        s += pj * (Math.log(pj) - logq[off + j]);
      }
    }
    return s;
  }

  /**
   * The KL from target distributions to the student's softened output, summed over the batch:
   * {@code sum_i KL(p_i || softmax(z_i / T))}, where each target row {@code p_i} is used as given
   * (not re-normalized, not temperature-scaled). Adds {@code weight} times its gradient with
   * respect to z, {@code weight * (softmax(z / T) - p) / T}, into {@code grad}.
   *
   * <p>For the usual {@code w * T^2 * KL / n} term pass {@code weight = w * T^2 / n} and multiply
   * the returned sum by the same weight.
   *
   * @param p           (n, c) target rows
   * @param z           (n, c) student logits
   * @param temperature divides the student logits
   * @param grad        (n, c) accumulator, or null for the value only
   */
  public static double klToSoftmax(double[] p, double[] z, int n, int c, double temperature,
                                   double weight, double[] grad) {
    double[] logq = new double[n * c];
    logSoftmax(z, n, c, temperature, logq);
    double kl = 0;
    double g = weight / temperature;
    for (int i = 0; i < n; i++) {
      int o = i * c;
      kl += klRow(p, logq, o, c);
      if (grad != null) {
        for (int j = 0; j < c; j++) {
          grad[o + j] += g * (Math.exp(logq[o + j]) - p[o + j]);
        }
      }
    }
    return kl;
  }
}
