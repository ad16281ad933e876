package org.reffakd.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reffakd.spi.LossFunction;
import org.reffakd.spi.LossInput;
import org.reffakd.spi.LossMath;
import org.reffakd.spi.LossOutput;

/**
 * The decomposition of the DKD paper, per sample, with unweighted KL values at the same T:
 * {@code KD = TCKD + (1 - pt_g) * NCKD}. kd with ce_weight 0, kd_weight 1 gives T^2 KD;
 * dkd with ce_weight 0, alpha 1, beta 1, no warm-up gives T^2 TCKD and T^2 NCKD.
 */
class DecouplingIdentityTest {

  @Test
  void kdIsTckdPlusWeightedNckdPerSample() {
    for (String temp : new String[] {"1", "4", "0.5"}) {
      LossFunction kd = TestSupport.create("kd",
          Map.of("ce_weight", "0", "kd_weight", "1", "temperature", temp));
      LossFunction dkd = TestSupport.create("dkd", Map.of("ce_weight", "0", "alpha", "1",
          "beta", "1", "warmup", "0", "temperature", temp));
      double t = Double.parseDouble(temp);
      for (long seed = 1; seed <= 5; seed++) {
        LossInput batch = TestSupport.randomInput(seed, 6, seed % 2 == 0 ? 4 : 10, 0);
        for (int i = 0; i < batch.n(); i++) {
          LossInput one = TestSupport.row(batch, i);
          double klValue = kd.compute(one).terms().get("kd");
          LossOutput d = dkd.compute(one);
          double[] pt = LossMath.softmax(one.teacherLogits(), 1, one.classes(), t);
          double ptG = pt[one.labels()[0]];
          double rhs = d.terms().get("tckd") + (1 - ptG) * d.terms().get("nckd");
          assertEquals(klValue, rhs, 1e-12 * Math.max(1, Math.abs(klValue)),
              "T=" + temp + " seed " + seed + " row " + i);
        }
      }
    }
  }

  @Test
  void nckdDoesNotMoveTheTargetLogit() {
    LossFunction dkd = TestSupport.create("dkd", Map.of("ce_weight", "0", "alpha", "0",
        "warmup", "0"));
    LossInput in = TestSupport.randomInput(9, 5, 6, 0);
    double[] g = dkd.compute(in).gradient();
    for (int i = 0; i < in.n(); i++) {
      assertEquals(0.0, g[i * in.classes() + in.labels()[i]], 0.0, "row " + i);
    }
  }
}
