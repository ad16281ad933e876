package org.reffakd.nn.softlabel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.reffakd.backend.Backend;
import org.reffakd.backend.Backends;

class SoftLabelGeneratorTest {

  /** The default backend computes the cosines' product (Backend.gram), found through the seam. */
  private static final Backend JAVA = Backends.get("java");

  /**
   * The java engine's Gram (its vector kernels) against the seam's plain default, on 400
   * unit-length rows of 64: each entry is a sum of 64 float products, so the two orders differ
   * by at most 64 * 2^-24 * sum |a_d b_d| <= 64 * 6e-8 * 1 = 3.8e-6 (rows of norm 1); the
   * soft labels built on either agree to that order.
   */
  @Test
  void javaEngineGramAgreesWithTheSeamsDefault() {
    int n = 400;
    int dim = 64;
    Random rng = new Random(3);
    float[] e = new float[n * dim];
    for (int i = 0; i < n; i++) {
      double norm = 0;
      for (int d = 0; d < dim; d++) {
        e[i * dim + d] = (float) rng.nextGaussian();
        norm += e[i * dim + d] * e[i * dim + d];
      }
      for (int d = 0; d < dim; d++) {
        e[i * dim + d] /= (float) Math.sqrt(norm);
      }
    }
    Backend plain = new Backend() {
      public String name() {
        return "plain";
      }

      public String describe() {
        return "the seam's default gram";
      }

      public java.util.List<String> architectures() {
        return java.util.List.of();
      }

      public org.reffakd.backend.Classifier classifier(String a, int c, int s, int k, long seed) {
        throw new UnsupportedOperationException();
      }

      public org.reffakd.backend.AutoencoderModel autoencoder(int channels, long seed) {
        throw new UnsupportedOperationException();
      }

      public void threads(int threads) {}
    };
    float[] a = JAVA.gram(e, n, dim);
    float[] b = plain.gram(e, n, dim);
    assertEquals(n * n, a.length);
    for (int k = 0; k < a.length; k++) {
      assertEquals(b[k], a[k], 3.8e-6, "entry " + k);
    }
    assertEquals(1.0, a[0], 3.8e-6); // a unit row with itself
  }

  /**
   * Two classes, two images each, 2-d embeddings, worked by hand:
   * class 0: (1,0), (2,0); class 1: (0,1), (1,1).
   * same-class pairs: cos((1,0),(2,0)) = 1; cos((0,1),(1,1)) = 1/sqrt2 = 0.70711.
   * cross pairs (4): 0, 0.70711, 0, 0.70711, mean 0.35355.
   * avg + 0.008 boost: [[1.008, 0.35355], [0.35355, 0.71511]];
   * row softmax: [0.65801, 0.34199], [0.41058, 0.58942].
   */
  @Test
  void handComputedExample() {
    float[] emb = {1, 0, 2, 0, 0, 1, 1, 1};
    int[] labels = {0, 0, 1, 1};
    SoftLabels s = SoftLabelGenerator.compute(JAVA, emb, 4, 2, labels, 2,
        new SoftLabelOptions(2, 0.008, 1.0, false));
    assertArrayEquals(new double[] {1.008, 0.353553, 0.353553, 0.715107}, s.similarity(), 1e-5);
    assertArrayEquals(new double[] {0.658012, 0.341988, 0.410584, 0.589416}, s.soft(), 1e-5);
  }

  @Test
  void pairsAreUnorderedAndSelfPairsExcluded() {
    // three identical vectors in one class: 3 pairs, all cosine 1; a self pair would add 1s too,
    // so use one orthogonal outlier: pairs (a,a)=1, (a,o)=0, (a,o)=0 -> mean 1/3.
    float[] emb = {1, 0, 1, 0, 0, 1, 0, 1, 0, 1};
    int[] labels = {0, 0, 0, 1, 1};
    SoftLabels s = SoftLabelGenerator.compute(JAVA, emb, 5, 2, new int[] {0, 0, 1, 1, 1}, 2,
        new SoftLabelOptions(2, 0, 1.0, false));
    // class 0 = {e0, e1} both (1,0): one pair, cos 1. class 1 = {(0,1),(0,1),(0,1)}: 3 pairs cos 1
    // cross: 2*3 pairs, all 0
    assertArrayEquals(new double[] {1, 0, 0, 1}, s.similarity(), 1e-6);
    SoftLabels t = SoftLabelGenerator.compute(JAVA, emb, 5, 2, labels, 2,
        new SoftLabelOptions(2, 0, 1.0, false));
    // class 0 = {(1,0),(1,0),(0,1)}: pairs 1, 0, 0 -> 1/3; class 1 = {(0,1),(0,1)}: 1
    // cross: (1,0)x2 vs (0,1)x2 -> 0 (4 pairs), (0,1) vs (0,1)x2 -> 1 (2 pairs): 2/6
    assertArrayEquals(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3, 1}, t.similarity(), 1e-6);
  }

  @Test
  void agreesWithADoubleLoopOverPairs() {
    Random r = new Random(3);
    int classes = 4;
    int per = 5;
    int n = classes * per;
    int dim = 7;
    float[] emb = new float[n * dim];
    for (int i = 0; i < emb.length; i++) {
      emb[i] = (float) Math.max(0, r.nextGaussian());
    }
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i / per;
    }
    SoftLabels s = SoftLabelGenerator.compute(JAVA, emb, n, dim, labels, classes,
        new SoftLabelOptions(per, 0.0225, 1.0, false));
    double[] sum = new double[classes * classes];
    double[] cnt = new double[classes * classes];
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double dot = 0;
        double ni = 0;
        double nj = 0;
        for (int d = 0; d < dim; d++) {
          dot += emb[i * dim + d] * emb[j * dim + d];
          ni += emb[i * dim + d] * emb[i * dim + d];
          nj += emb[j * dim + d] * emb[j * dim + d];
        }
        double cos = dot / Math.sqrt(ni * nj);
        int a = labels[i];
        int b = labels[j];
        sum[a * classes + b] += cos;
        cnt[a * classes + b]++;
        if (a != b) {
          sum[b * classes + a] += cos;
          cnt[b * classes + a]++;
        }
      }
    }
    assertEquals(per * (per - 1) / 2.0, cnt[0]);
    assertEquals(per * per, cnt[1]);
    for (int k = 0; k < sum.length; k++) {
      double expected = sum[k] / cnt[k] + (k / classes == k % classes ? 0.0225 : 0);
      assertEquals(expected, s.similarity()[k], 1e-5);
    }
    for (int row = 0; row < classes; row++) {
      double total = 0;
      for (int c = 0; c < classes; c++) {
        total += s.soft()[row * classes + c];
      }
      assertEquals(1.0, total, 1e-12);
    }
  }

  @Test
  void drawIsSeededDistinctAndPerClass() {
    int[] labels = new int[300];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i % 3;
    }
    int[] a = SoftLabelGenerator.drawPerClass(labels, 3, 40, 7);
    int[] b = SoftLabelGenerator.drawPerClass(labels, 3, 40, 7);
    int[] c = SoftLabelGenerator.drawPerClass(labels, 3, 40, 8);
    assertArrayEquals(a, b);
    assertTrue(!Arrays.equals(a, c));
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < a.length; i++) {
      assertEquals(i / 40, labels[a[i]]);
      assertTrue(seen.add(a[i]), "index drawn twice: " + a[i]);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SoftLabelGenerator.drawPerClass(labels, 3, 101, 7));
    assertTrue(e.getMessage().contains("class 0 has 100"), e.getMessage());
  }
}
