package org.reffakd.losses;

/**
 * Numerically careful building blocks shared by the built-in losses (double precision).
 * Public so that plugin authors can reuse them.
 */
public final class LossMath {

  private LossMath() {}

  /** Row-wise log-softmax of z/temperature. */
  public static void logSoftmax(double[] z, int n, int c, double temperature, double[] out) {
    for (int i = 0; i < n; i++) {
      int o = i * c;
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < c; j++) {
        max = Math.max(max, z[o + j] / temperature);
      }
      double s = 0;
      for (int j = 0; j < c; j++) {
        s += Math.exp(z[o + j] / temperature - max);
      }
      double lse = max + Math.log(s);
      for (int j = 0; j < c; j++) {
        out[o + j] = z[o + j] / temperature - lse;
      }
    }
  }

  /**
   * Mean cross-entropy of softmax(z) against hard labels; adds weight * gradient into grad.
   */
  public static double crossEntropy(double[] z, int n, int c, int[] labels, double weight,
                                    double[] grad) {
    double[] logp = new double[n * c];
    logSoftmax(z, n, c, 1.0, logp);
    double loss = 0;
    for (int i = 0; i < n; i++) {
      loss -= logp[i * c + labels[i]];
      for (int j = 0; j < c; j++) {
        double p = Math.exp(logp[i * c + j]);
        grad[i * c + j] += weight * (p - (j == labels[i] ? 1 : 0)) / n;
      }
    }
    return loss / n;
  }

  /** sum over a row of p * (log p - logq), with 0 log 0 = 0. */
  public static double klRow(double[] p, double[] logq, int off, int c) {
    double s = 0;
    for (int j = 0; j < c; j++) {
      double pj = p[off + j];
      if (pj > 0) {
        s += pj * (Math.log(pj) - logq[off + j]);
      }
    }
    return s;
  }

  /** Row-wise softmax of z/temperature. */
  public static double[] softmax(double[] z, int n, int c, double temperature) {
    double[] out = new double[n * c];
    logSoftmax(z, n, c, temperature, out);
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.exp(out[i]);
    }
    return out;
  }
}
