package org.reffakd.losses;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import org.reffakd.spi.LossFunction;
import org.reffakd.spi.LossInput;
import org.reffakd.spi.LossPlugin;
import org.reffakd.spi.Parameters;

/** Helpers shared by the tests: plugins by name through ServiceLoader, random inputs. */
final class TestSupport {

  private TestSupport() {}

  /** All plugins the services file lists, in its order. */
  static List<LossPlugin> plugins() {
    List<LossPlugin> out = new ArrayList<>();
    ServiceLoader.load(LossPlugin.class).forEach(out::add);
    return out;
  }

  static LossPlugin plugin(String name) {
    for (LossPlugin p : plugins()) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    throw new AssertionError("no plugin named " + name + " found by ServiceLoader");
  }

  static LossFunction create(String name, Map<String, String> params) {
    LossPlugin p = plugin(name);
    return p.create(Parameters.validate(name, p.parameters(), params));
  }

  /** A random batch with teacher logits and soft targets (strictly positive rows). */
  static LossInput randomInput(long seed, int n, int c, int epoch) {
    Random r = new Random(seed);
    double[] z = new double[n * c];
    double[] t = new double[n * c];
    double[] soft = new double[n * c];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextInt(c);
      double s = 0;
      for (int j = 0; j < c; j++) {
        z[i * c + j] = 2.0 * r.nextGaussian();
        t[i * c + j] = 3.0 * r.nextGaussian() + (j == y[i] ? 2.0 : 0.0);
        soft[i * c + j] = Math.exp(0.8 * r.nextGaussian() + (j == y[i] ? 1.0 : 0.0));
        s += soft[i * c + j];
      }
      for (int j = 0; j < c; j++) {
        soft[i * c + j] /= s;
      }
    }
    return new LossInput(z, n, c, y, soft, t, epoch);
  }

  static LossInput withLogits(LossInput in, double[] z) {
    return new LossInput(z, in.n(), in.classes(), in.labels(), in.softTargets(),
        in.teacherLogits(), in.epoch());
  }

  /** Row i of a batch as a batch of one. */
  static LossInput row(LossInput in, int i) {
    int c = in.classes();
    return new LossInput(slice(in.logits(), i, c), 1, c, new int[] {in.labels()[i]},
        in.softTargets() == null ? null : slice(in.softTargets(), i, c),
        in.teacherLogits() == null ? null : slice(in.teacherLogits(), i, c), in.epoch());
  }

  private static double[] slice(double[] a, int i, int c) {
    double[] out = new double[c];
    System.arraycopy(a, i * c, out, 0, c);
    return out;
  }
}
