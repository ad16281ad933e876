package org.reffakd.nn.softlabel;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.reffakd.backend.Backend;

/**
 * ReffAKD soft labels from embeddings (METHOD.md section 2): every unordered pair (i < j) of
 * the drawn images contributes its cosine to S[ci][cj] and S[cj][ci] (cross-class) or S[c][c]
 * (same class); avg = S / number of contributing pairs; avg[c][c] += boost;
 * soft = row softmax(avg / t). All cosines come from one matrix product of the L2-normalised
 * embeddings, which the backend computes ({@link Backend#gram}).
 */
public final class SoftLabelGenerator {

  private SoftLabelGenerator() {}

  /**
   * Draws perClass distinct indices of each class, seeded, without replacement, grouped by
   * class (class 0's first). Fails when a class has fewer images than asked.
   */
  public static int[] drawPerClass(int[] labels, int classes, int perClass, long seed) {
    List<List<Integer>> byClass = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      byClass.add(new ArrayList<>());
    }
    for (int i = 0; i < labels.length; i++) {
      byClass.get(labels[i]).add(i);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    int[] out = new int[classes * perClass];
    for (int c = 0; c < classes; c++) {
      List<Integer> idx = byClass.get(c);
      if (idx.size() < perClass) {
        throw new IllegalArgumentException("soft labels: class " + c + " has " + idx.size()
            + " training images, fewer than the " + perClass + " to draw per class");
      }
      int[] a = idx.stream().mapToInt(Integer::intValue).toArray();
      for (int k = 0; k < perClass; k++) { // partial Fisher-Yates
        int j = k + rng.nextInt(a.length - k);
        int t = a[k];
        a[k] = a[j];
        a[j] = t;
        out[c * perClass + k] = a[k];
      }
    }
    return out;
  }

  /**
   * Soft labels from n embeddings of length dim (row-major) with their class labels; the
   * backend computes the cosines' matrix product.
   */
  public static SoftLabels compute(Backend backend, float[] embeddings, int n, int dim, int[] labels, int classes,
                                   SoftLabelOptions opt) {
    float[] e = normalisedRows(embeddings, n, dim, opt.centered());
    float[] gram = backend.gram(e, n, dim);
    double[] sum = new double[classes * classes];
    long[] count = new long[classes * classes];
    for (int i = 0; i < n; i++) {
      int ci = labels[i];
      for (int j = i + 1; j < n; j++) {
        int cj = labels[j];
        double g = gram[i * n + j];
        if (ci == cj) {
          sum[ci * classes + ci] += g;
          count[ci * classes + ci]++;
        } else {
          sum[ci * classes + cj] += g;
          sum[cj * classes + ci] += g;
          count[ci * classes + cj]++;
          count[cj * classes + ci]++;
        }
      }
    }
    double[] avg = new double[classes * classes];
    for (int k = 0; k < avg.length; k++) {
      if (count[k] == 0) {
        throw new IllegalArgumentException("soft labels: no image pair for classes "
            + (k / classes) + " and " + (k % classes));
      }
      avg[k] = sum[k] / count[k];
    }
    for (int c = 0; c < classes; c++) {
      avg[c * classes + c] += opt.diagonalBoost();
    }
    double[] soft = new double[classes * classes];
    for (int r = 0; r < classes; r++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        max = Math.max(max, avg[r * classes + c] / opt.similarityTemperature());
      }
      double s = 0;
      for (int c = 0; c < classes; c++) {
        double v = Math.exp(avg[r * classes + c] / opt.similarityTemperature() - max);
        soft[r * classes + c] = v;
        s += v;
      }
      for (int c = 0; c < classes; c++) {
        soft[r * classes + c] /= s;
      }
    }
    return new SoftLabels(classes, avg, soft);
  }

  private static float[] normalisedRows(float[] emb, int n, int dim, boolean centered) {
    double[] mean = new double[dim];
    if (centered) {
      for (int i = 0; i < n; i++) {
        for (int d = 0; d < dim; d++) {
          mean[d] += emb[i * dim + d];
        }
      }
      for (int d = 0; d < dim; d++) {
        mean[d] /= n;
      }
    }
    float[] e = new float[n * dim];
    for (int i = 0; i < n; i++) {
      double ss = 0;
      for (int d = 0; d < dim; d++) {
        double v = emb[i * dim + d] - mean[d];
        ss += v * v;
      }
      double inv = ss > 0 ? 1 / Math.sqrt(ss) : 0; // an all-zero embedding has cosine 0
      for (int d = 0; d < dim; d++) {
        e[i * dim + d] = (float) ((emb[i * dim + d] - mean[d]) * inv);
      }
    }
    return e;
  }
}
