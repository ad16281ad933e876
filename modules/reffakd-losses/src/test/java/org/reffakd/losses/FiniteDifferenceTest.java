package org.reffakd.losses;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.reffakd.spi.LossFunction;
import org.reffakd.spi.LossInput;

/**
 * The analytic gradient of every strategy against central finite differences of
 * {@code total()} (h = 1e-6, double precision) for every logit, on random batches.
 */
class FiniteDifferenceTest {

  private static final double H = 1e-6;
  private static final double TOL = 1e-7;

  private record Setting(String strategy, Map<String, String> params, int epoch) {}

  private static List<Setting> settings() {
    List<Setting> s = new ArrayList<>();
    s.add(new Setting("ce", Map.of(), 0));
    for (String red : List.of("reference", "batchmean")) {
      s.add(new Setting("reffakd", Map.of("reduction", red), 0));
      s.add(new Setting("reffakd", Map.of("reduction", red, "temperature", "1"), 0));
      s.add(new Setting("reffakd", Map.of("reduction", red, "temperature", "2.5",
          "alpha", "0.8"), 0));
    }
    s.add(new Setting("kd", Map.of(), 0));
    s.add(new Setting("kd", Map.of("temperature", "1"), 0));
    s.add(new Setting("kd", Map.of("temperature", "2.5", "ce_weight", "0.7",
        "kd_weight", "1.3"), 0));
    for (String strategy : List.of("dkd", "reffakd-dkd")) {
      s.add(new Setting(strategy, Map.of(), 0));        // warm-up, w = 1/20
      s.add(new Setting(strategy, Map.of(), 7));        // warm-up, w = 8/20
      s.add(new Setting(strategy, Map.of(), 40));       // after warm-up
      s.add(new Setting(strategy, Map.of("temperature", "1", "warmup", "0"), 0));
      s.add(new Setting(strategy, Map.of("temperature", "2.5", "alpha", "0.5", "beta", "3",
          "ce_weight", "0.2", "warmup", "4"), 1));
    }
    s.add(new Setting("tfkd-reg", Map.of(), 0));
    s.add(new Setting("tfkd-reg", Map.of("temperature", "1"), 0));
    s.add(new Setting("tfkd-reg", Map.of("temperature", "3", "alpha", "0.6",
        "correct_prob", "0.8", "multiplier", "5"), 0));
    s.add(new Setting("label-smoothing", Map.of(), 0));
    s.add(new Setting("label-smoothing", Map.of("epsilon", "0"), 0));
    s.add(new Setting("label-smoothing", Map.of("epsilon", "0.35"), 0));
    return s;
  }

  @TestFactory
  Stream<DynamicTest> gradientsMatchFiniteDifferences() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Setting s : settings()) {
      for (int[] shape : new int[][] {{5, 4}, {3, 7}}) {
        tests.add(DynamicTest.dynamicTest(s.strategy() + " " + s.params() + " epoch="
            + s.epoch() + " n=" + shape[0] + " C=" + shape[1], () -> check(s, shape[0],
            shape[1])));
      }
    }
    return tests.stream();
  }

  private static void check(Setting s, int n, int c) {
    LossFunction f = TestSupport.create(s.strategy(), s.params());
    long seed = 31L * s.hashCode() + n * 7L + c;
    LossInput in = TestSupport.randomInput(seed, n, c, s.epoch());
    double[] g = f.compute(in).gradient();
    double[] z = in.logits().clone();
    for (int k = 0; k < z.length; k++) {
      double z0 = z[k];
      z[k] = z0 + H;
      double up = f.compute(TestSupport.withLogits(in, z.clone())).total();
      z[k] = z0 - H;
      double down = f.compute(TestSupport.withLogits(in, z.clone())).total();
      z[k] = z0;
      double fd = (up - down) / (2 * H);
      double err = Math.abs(fd - g[k]);
      if (!(err <= TOL || err <= TOL * Math.abs(fd))) {
        fail(s.strategy() + " " + s.params() + ": d total / d z[" + k + "] analytic " + g[k]
            + ", finite difference " + fd + ", diff " + err);
      }
    }
  }
}
