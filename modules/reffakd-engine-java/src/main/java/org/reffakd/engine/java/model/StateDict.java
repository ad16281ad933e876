package org.reffakd.engine.java.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reffakd.engine.java.Layer;
import org.reffakd.engine.java.Param;
import org.reffakd.engine.java.Sgd;

/**
 * A java-engine model's state by name: its parameters, buffers and (once training set it up)
 * the optimizer's momentum buffers, and the checked copy of named arrays back into it.
 */
final class StateDict {

  static final String MOMENTUM = "momentum.";

  private final Map<String, Param> params = new LinkedHashMap<>();
  private final Map<String, float[]> buffers = new LinkedHashMap<>();
  private Sgd sgd;

  /** Collects the parameters and buffers of each part under its prefix. */
  StateDict(Map<String, Layer> parts) {
    for (Map.Entry<String, Layer> e : parts.entrySet()) {
      e.getValue().collect(e.getKey(), params, buffers);
    }
  }

  List<Param> paramList() {
    return new ArrayList<>(params.values());
  }

  Map<String, float[]> parameters() {
    Map<String, float[]> m = new LinkedHashMap<>();
    params.forEach((k, p) -> m.put(k, p.value));
    return m;
  }

  void sgd(double momentum, double weightDecay) {
    sgd = new Sgd(paramList(), momentum, weightDecay);
  }

  void step(double lr) {
    if (sgd == null) {
      throw new IllegalStateException("step before sgd(momentum, weightDecay)");
    }
    sgd.step(lr);
  }

  Map<String, float[]> state() {
    Map<String, float[]> m = parameters();
    m.putAll(buffers);
    if (sgd != null) {
      float[][] v = sgd.velocity();
      int i = 0;
      for (String k : params.keySet()) {
        m.put(MOMENTUM + k, v[i++]);
      }
    }
    return m;
  }

  void load(Map<String, float[]> source, String what) {
    Map<String, float[]> target = new LinkedHashMap<>(parameters());
    target.putAll(buffers);
    Map<String, float[]> momentum = new LinkedHashMap<>();
    if (sgd != null) {
      float[][] v = sgd.velocity();
      int i = 0;
      for (String k : params.keySet()) {
        momentum.put(MOMENTUM + k, v[i++]);
      }
    }
    for (String k : source.keySet()) {
      if (!target.containsKey(k) && !momentum.containsKey(k) && !k.startsWith(MOMENTUM)) {
        throw new IllegalArgumentException(what + ": '" + k + "' is not a parameter or buffer "
            + "of this model (different architecture?)");
      }
    }
    for (Map.Entry<String, float[]> e : target.entrySet()) {
      float[] s = source.get(e.getKey());
      if (s == null) {
        throw new IllegalArgumentException(what + ": '" + e.getKey() + "' is missing "
            + "(different architecture?)");
      }
      copy(s, e.getValue(), e.getKey(), what);
    }
    for (Map.Entry<String, float[]> e : momentum.entrySet()) {
      float[] s = source.get(e.getKey());
      if (s != null) {
        copy(s, e.getValue(), e.getKey(), what);
      } else {
        java.util.Arrays.fill(e.getValue(), 0f);
      }
    }
  }

  private static void copy(float[] s, float[] t, String name, String what) {
    if (s.length != t.length) {
      throw new IllegalArgumentException(what + ": '" + name + "' has " + s.length
          + " values there, the model needs " + t.length
          + " (different architecture or input size?)");
    }
    System.arraycopy(s, 0, t, 0, t.length);
  }

  long parameterCount() {
    long n = 0;
    for (Param p : params.values()) {
      n += p.size();
    }
    return n;
  }
}
