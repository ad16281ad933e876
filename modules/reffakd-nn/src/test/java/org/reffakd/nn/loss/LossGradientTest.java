package org.reffakd.nn.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The two losses: finite differences in double precision, and values worked independently. */
class LossGradientTest {

  private static final int N = 5;
  private static final int C = 4;

  private static LossInput randomInput(long seed) {
    Random r = new Random(seed);
    double[] z = new double[N * C];
    for (int i = 0; i < z.length; i++) {
      z[i] = r.nextGaussian() * 2;
    }
    int[] y = new int[N];
    double[] soft = new double[N * C];
    for (int i = 0; i < N; i++) {
      y[i] = r.nextInt(C);
      double s = 0;
      for (int j = 0; j < C; j++) {
        soft[i * C + j] = 0.1 + r.nextDouble();
        s += soft[i * C + j];
      }
      for (int j = 0; j < C; j++) {
        soft[i * C + j] /= s;
      }
    }
    return new LossInput(z, N, C, y, soft, 0);
  }

  private static void gradientCheck(LossStrategy loss, LossInput in) {
    LossResult res = loss.compute(in);
    double h = 1e-6;
    for (int k = 0; k < in.logits().length; k++) {
      double[] zp = in.logits().clone();
      double[] zm = in.logits().clone();
      zp[k] += h;
      zm[k] -= h;
      double lp = loss.compute(new LossInput(zp, N, C, in.labels(), in.softTargets(), 0)).total();
      double lm = loss.compute(new LossInput(zm, N, C, in.labels(), in.softTargets(), 0)).total();
      double fd = (lp - lm) / (2 * h);
      assertEquals(fd, res.gradient()[k], 1e-7, loss.name() + " d/dz[" + k + "]");
    }
  }

  @Test
  void crossEntropyGradient() {
    gradientCheck(new CrossEntropyLoss(), randomInput(1));
  }

  @Test
  void reffakdGradientBothReductions() {
    for (double t : new double[] {1, 5, 20}) {
      gradientCheck(new ReffakdLoss(0.3, t, ReffakdLoss.Reduction.REFERENCE), randomInput(2));
      gradientCheck(new ReffakdLoss(0.7, t, ReffakdLoss.Reduction.BATCHMEAN), randomInput(3));
    }
  }

  /**
   * One sample, 2 classes, z = (1, 0), y = 0, soft target (0.6, 0.4), alpha 0.5, T 2:
   * CE = log(1 + e^-1) = 0.3132617; softmax(z/2) = (0.6224593, 0.3775407);
   * KL = 0.6 ln(0.6/0.6224593) + 0.4 ln(0.4/0.3775407) = 0.0010653;
   * batchmean: kd = 0.5 * 4 * KL = 0.0021306; reference divides by n*C = 2: 0.0010653.
   */
  @Test
  void reffakdValuesWorkedByHand() {
    LossInput in = new LossInput(new double[] {1, 0}, 1, 2, new int[] {0},
        new double[] {0.6, 0.4}, 0);
    double ce = Math.log(1 + Math.exp(-1));
    double q0 = 1 / (1 + Math.exp(-0.5));
    double kl = 0.6 * Math.log(0.6 / q0) + 0.4 * Math.log(0.4 / (1 - q0));
    assertEquals(0.0010653, kl, 1e-7);
    LossResult bm = new ReffakdLoss(0.5, 2, ReffakdLoss.Reduction.BATCHMEAN).compute(in);
    assertEquals(0.5 * ce, bm.terms().get("ce"), 1e-12);
    assertEquals(0.5 * 4 * kl, bm.terms().get("kd"), 1e-12);
    LossResult ref = new ReffakdLoss(0.5, 2, ReffakdLoss.Reduction.REFERENCE).compute(in);
    assertEquals(0.5 * 4 * kl / 2, ref.terms().get("kd"), 1e-12);
    assertEquals(0.3132617, new CrossEntropyLoss().compute(in).total(), 1e-7);
  }

  @Test
  void badParametersAreRefusedWithTheirRange() {
    IllegalArgumentException a = assertThrows(IllegalArgumentException.class,
        () -> new ReffakdLoss(1.5, 4, ReffakdLoss.Reduction.REFERENCE));
    assertTrue(a.getMessage().contains("alpha must be in [0, 1]"), a.getMessage());
    IllegalArgumentException t = assertThrows(IllegalArgumentException.class,
        () -> new ReffakdLoss(0.5, 0, ReffakdLoss.Reduction.REFERENCE));
    assertTrue(t.getMessage().contains("temperature must be > 0"), t.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Losses.create("nope", 0.5, 4, "reference"));
  }
}
