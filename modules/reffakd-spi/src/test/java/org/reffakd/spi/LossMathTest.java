package org.reffakd.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The SPI's shared softmax arithmetic: hand values, stability, gradients, NaN not hidden. */
class LossMathTest {

  @Test
  void softmaxMatchesHandValuesAndSurvivesLargeLogits() {
    double e = Math.E;
    double[] p = LossMath.softmax(new double[] {0, 1, 0, 2, 2, 2}, 2, 3, 1.0);
    double s = 2 + e;
    assertArrayEquals(new double[] {1 / s, e / s, 1 / s, 1 / 3.0, 1 / 3.0, 1 / 3.0}, p, 1e-15);
    // temperature divides: softmax([0, 2] / 2) = softmax([0, 1])
    assertArrayEquals(LossMath.softmax(new double[] {0, 1}, 1, 2, 1.0),
        LossMath.softmax(new double[] {0, 2}, 1, 2, 2.0), 1e-15);
    double[] big = LossMath.softmax(new double[] {1000, 1000 + Math.log(3)}, 1, 2, 1.0);
    assertArrayEquals(new double[] {0.25, 0.75}, big, 1e-12);
    double[] row = LossMath.logSoftmax(new double[] {9, 0, 1, 0}, 1, 3, 1.0);
    assertArrayEquals(new double[] {-Math.log(s), 1 - Math.log(s), -Math.log(s)}, row, 1e-15);
    assertEquals(Math.log(1 + e), LossMath.logSumExp(new double[] {0, 5, 1}, 0, 3, 1, 1.0),
        1e-15);
  }

  @Test
  void crossEntropyAndKlMatchFiniteDifferences() {
    int n = 2;
    int c = 4;
    double[] z = {0.3, -1.2, 2.0, 0.5, -0.7, 0.1, 0.9, -2.2};
    double[] p = {0.1, 0.2, 0.3, 0.4, 0.0, 0.5, 0.25, 0.25};
    int[] y = {2, 1};
    double t = 3;
    double w = 0.7;
    double[] grad = new double[n * c];
    LossMath.klToSoftmax(p, z, n, c, t, w, grad);
    LossMath.crossEntropy(z, n, c, y, 0.4, grad);
    double h = 1e-6;
    for (int k = 0; k < z.length; k++) {
      double[] up = z.clone();
      double[] down = z.clone();
      up[k] += h;
      down[k] -= h;
      double fd = (w * LossMath.klToSoftmax(p, up, n, c, t, 0, null)
          + 0.4 * LossMath.crossEntropy(up, n, c, y, 0, null)
          - w * LossMath.klToSoftmax(p, down, n, c, t, 0, null)
          - 0.4 * LossMath.crossEntropy(down, n, c, y, 0, null)) / (2 * h);
      assertEquals(fd, grad[k], 1e-8, "logit " + k);
    }
    // KL of a distribution to itself is 0; a zero target entry contributes nothing
    double[] q = LossMath.softmax(z, n, c, t);
    assertEquals(0, LossMath.klToSoftmax(q, z, n, c, t, 1, null), 1e-14);
    double[] logq = new double[n * c];
    LossMath.logSoftmax(z, n, c, 1, logq);
    double expected = 0.5 * (Math.log(0.5) - logq[5]) + 0.25 * (Math.log(0.25) - logq[6])
        + 0.25 * (Math.log(0.25) - logq[7]);
    assertEquals(expected, LossMath.klRow(p, logq, 4, 4), 1e-15);
  }

  @Test
  void nanAndNegativeTargetsAreNotSkipped() {
    double[] logq = new double[4];
    LossMath.logSoftmax(new double[] {1, 2, 3, 4}, 1, 4, 1, logq);
    assertTrue(Double.isNaN(LossMath.klRow(new double[] {0.5, Double.NaN, 0.5, 0}, logq, 0, 4)));
    assertTrue(Double.isNaN(LossMath.klRow(new double[] {0.6, -0.1, 0.5, 0}, logq, 0, 4)));
    double[] grad = new double[4];
    double kl = LossMath.klToSoftmax(new double[] {0.5, Double.NaN, 0.5, 0},
        new double[] {1, 2, 3, 4}, 1, 4, 2, 1, grad);
    assertTrue(Double.isNaN(kl) && Double.isNaN(grad[1]), kl + " " + grad[1]);
    // a NaN or infinite logit poisons its row
    assertTrue(Double.isNaN(LossMath.softmax(new double[] {1, Double.NaN, 0, 0}, 2, 2, 1)[0]));
    assertTrue(Double.isNaN(LossMath.softmax(new double[] {Double.POSITIVE_INFINITY, 0}, 1, 2,
        1)[1]));
  }
}
