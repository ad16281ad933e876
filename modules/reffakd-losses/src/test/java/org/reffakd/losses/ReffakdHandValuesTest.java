package org.reffakd.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reffakd.spi.LossInput;
import org.reffakd.spi.LossOutput;
import org.reffakd.spi.Parameters;

/** The reffakd loss on a case small enough to work by hand. */
class ReffakdHandValuesTest {

  /**
   * One sample, 2 classes, z = (1, 0), y = 0, soft target (0.6, 0.4), alpha 0.5, T 2:
   * CE = log(1 + e^-1) = 0.3132617; softmax(z/2) = (0.6224593, 0.3775407);
   * KL = 0.6 ln(0.6/0.6224593) + 0.4 ln(0.4/0.3775407) = 0.0010653;
   * batchmean: kd = 0.5 * 4 * KL = 0.0021306; reference divides by n*C = 2: 0.0010653.
   */
  @Test
  void reffakdValuesWorkedByHand() {
    LossInput in = new LossInput(new double[] {1, 0}, 1, 2, new int[] {0},
        new double[] {0.6, 0.4}, null, 0);
    double ce = Math.log(1 + Math.exp(-1));
    double q0 = 1 / (1 + Math.exp(-0.5));
    double kl = 0.6 * Math.log(0.6 / q0) + 0.4 * Math.log(0.4 / (1 - q0));
    assertEquals(0.0010653, kl, 1e-7);
    ReffakdLoss plugin = new ReffakdLoss();
    LossOutput bm = plugin.create(Parameters.validate("reffakd", plugin.parameters(),
        Map.of("alpha", "0.5", "temperature", "2", "reduction", "batchmean"))).compute(in);
    assertEquals(0.5 * ce, bm.terms().get("ce"), 1e-12);
    assertEquals(0.5 * 4 * kl, bm.terms().get("kd"), 1e-12);
    LossOutput ref = plugin.create(Parameters.validate("reffakd", plugin.parameters(),
        Map.of("alpha", "0.5", "temperature", "2"))).compute(in);
    assertEquals(0.5 * 4 * kl / 2, ref.terms().get("kd"), 1e-12);
    CrossEntropyLoss cePlugin = new CrossEntropyLoss();
    assertEquals(0.3132617, cePlugin.create(Parameters.defaults("ce", cePlugin.parameters()))
        .compute(in).total(), 1e-7);
  }
}
