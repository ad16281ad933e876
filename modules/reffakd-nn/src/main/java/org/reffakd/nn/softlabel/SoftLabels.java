package org.reffakd.nn.softlabel;

/**
 * The class-by-class similarity matrix (mean pairwise cosine, boost included) and its
 * row-softmax, the soft label of each class. Both C x C, row-major.
 */
public record SoftLabels(int classes, double[] similarity, double[] soft) {

  /** Per-sample targets: row labels[i] of the soft matrix for every sample. */
  public double[] targetsFor(int[] labels, int n) {
    double[] t = new double[n * classes];
    for (int i = 0; i < n; i++) {
      System.arraycopy(soft, labels[i] * classes, t, i * classes, classes);
    }
    return t;
  }

  public double[][] similarityRows() {
    return rows(similarity);
  }

  public double[][] softRows() {
    return rows(soft);
  }

  private double[][] rows(double[] m) {
    double[][] r = new double[classes][classes];
    for (int i = 0; i < classes; i++) {
      System.arraycopy(m, i * classes, r[i], 0, classes);
    }
    return r;
  }
}
