package org.reffakd.examples.lskd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.reffakd.spi.LossInput;
import org.reffakd.spi.LossOutput;
import org.reffakd.spi.Parameters;

/** The plugin's loss: golden values from PyTorch (tools/golden_lskd.py), finite differences. */
class LogitStandardizedKdTest {

  private final LogitStandardizedKd plugin = new LogitStandardizedKd();

  @Test
  @SuppressWarnings("unchecked")
  void matchesTheTorchGoldenValues() throws Exception {
    List<Map<String, Object>> cases;
    try (InputStream in = getClass().getResourceAsStream("/golden/lskd.json")) {
      cases = new ObjectMapper().readValue(in, List.class);
    }
    assertEquals(3, cases.size());
    for (Map<String, Object> c : cases) {
      int n = (Integer) c.get("n");
      int k = (Integer) c.get("classes");
      LossInput in = new LossInput(doubles(c.get("logits")), n, k,
          ((List<Integer>) c.get("labels")).stream().mapToInt(Integer::intValue).toArray(),
          null, doubles(c.get("teacher_logits")), 0);
      Parameters p = Parameters.validate("lskd", plugin.parameters(),
          (Map<String, String>) c.get("params"));
      LossOutput out = plugin.create(p).compute(in);
      Map<String, Object> exp = (Map<String, Object>) c.get("expected");
      Map<String, Number> terms = (Map<String, Number>) exp.get("terms");
      for (Map.Entry<String, Number> t : terms.entrySet()) {
        assertEquals(t.getValue().doubleValue(), out.terms().get(t.getKey()), 1e-6,
            "term " + t.getKey() + " of " + p);
      }
      double[] g = doubles(exp.get("gradient"));
      for (int i = 0; i < g.length; i++) {
        assertEquals(g[i], out.gradient()[i], 1e-6, "gradient[" + i + "] of " + p);
      }
    }
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    Random r = new Random(4);
    int n = 4;
    int c = 5;
    double[] z = new double[n * c];
    double[] t = new double[n * c];
    for (int i = 0; i < z.length; i++) {
      z[i] = r.nextGaussian() * 2;
      t[i] = r.nextGaussian() * 3;
    }
    int[] y = {0, 3, 4, 1};
    var fn = plugin.create(Parameters.validate("lskd", plugin.parameters(),
        Map.of("temperature", "2", "kd_weight", "3")));
    LossOutput out = fn.compute(new LossInput(z, n, c, y, null, t, 0));
    double h = 1e-6;
    for (int k = 0; k < z.length; k++) {
      double[] zp = z.clone();
      double[] zm = z.clone();
      zp[k] += h;
      zm[k] -= h;
      double fd = (fn.compute(new LossInput(zp, n, c, y, null, t, 0)).total()
          - fn.compute(new LossInput(zm, n, c, y, null, t, 0)).total()) / (2 * h);
      assertEquals(fd, out.gradient()[k], 1e-7, "d/dz[" + k + "]");
    }
  }

  @SuppressWarnings("unchecked")
  private static double[] doubles(Object o) {
    return ((List<Number>) o).stream().mapToDouble(Number::doubleValue).toArray();
  }
}
