package org.reffakd.dl4j;

import java.util.Map;
import java.util.TreeMap;

/** Relative differences between arrays, for the agreement tests. */
final class Compare {

  private Compare() {}

  /** max |a - b| / max |b| over the first n values (b the reference, the java engine). */
  static double rel(float[] a, float[] b, int n) {
    double diff = 0;
    double scale = 0;
    for (int i = 0; i < n; i++) {
      diff = Math.max(diff, Math.abs((double) a[i] - b[i]));
      scale = Math.max(scale, Math.abs(b[i]));
    }
    return scale == 0 ? diff : diff / scale;
  }

  static double rel(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new AssertionError("lengths " + a.length + " and " + b.length);
    }
    return rel(a, b, a.length);
  }

  /** A deep copy (state() may return a model's own arrays). */
  static Map<String, float[]> copy(Map<String, float[]> state) {
    Map<String, float[]> m = new java.util.LinkedHashMap<>();
    state.forEach((k, v) -> m.put(k, v.clone()));
    return m;
  }

  static double maxAbs(float[] a) {
    double m = 0;
    for (float v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  static float[] minus(float[] a, float[] b) {
    float[] d = new float[a.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = a[i] - b[i];
    }
    return d;
  }

  /**
   * Per name, the relative difference of the changes after - before of two models (dl4j vs
   * java); names present in only one map fail. A bias is measured against the larger of its
   * own change and its layer's weight change: the bias of a convolution followed by batch
   * norm has an exactly zero gradient, so its change is weight decay plus rounding noise of
   * the layer's scale.
   */
  static Map<String, Double> changes(Map<String, float[]> dl4jBefore,
                                     Map<String, float[]> dl4jAfter,
                                     Map<String, float[]> javaBefore,
                                     Map<String, float[]> javaAfter) {
    if (!dl4jAfter.keySet().equals(javaAfter.keySet())) {
      throw new AssertionError("names differ: dl4j " + dl4jAfter.keySet() + " java "
          + javaAfter.keySet());
    }
    Map<String, Double> out = new TreeMap<>();
    for (String k : javaAfter.keySet()) {
      float[] jb = javaBefore.getOrDefault(k, new float[javaAfter.get(k).length]);
      float[] db = dl4jBefore.getOrDefault(k, new float[dl4jAfter.get(k).length]);
      float[] dd = minus(dl4jAfter.get(k), db);
      float[] dj = minus(javaAfter.get(k), jb);
      double scale = maxAbs(dj);
      String w = k.endsWith(".bias") ? k.substring(0, k.length() - 5) + ".weight" : null;
      if (w != null && javaAfter.containsKey(w)) {
        scale = Math.max(scale, maxAbs(minus(javaAfter.get(w),
            javaBefore.getOrDefault(w, new float[javaAfter.get(w).length]))));
      }
      double diff = 0;
      for (int i = 0; i < dd.length; i++) {
        diff = Math.max(diff, Math.abs((double) dd[i] - dj[i]));
      }
      out.put(k, scale == 0 ? diff : diff / scale);
    }
    return out;
  }

  /**
   * A copy of {@code state} with every nonzero value moved by {@code ulps} units in the last
   * place, up or down at random: the size of the rounding differences two float
   * implementations make, used to measure how sensitive a computation is to them.
   */
  static Map<String, float[]> perturbed(Map<String, float[]> state, long seed, int ulps) {
    java.util.Random rng = new java.util.Random(seed);
    Map<String, float[]> m = new java.util.LinkedHashMap<>();
    state.forEach((k, v) -> {
      float[] p = v.clone();
      for (int i = 0; i < p.length; i++) {
        p[i] += (rng.nextBoolean() ? ulps : -ulps) * Math.ulp(p[i]) * (p[i] == 0 ? 0 : 1);
      }
      m.put(k, p);
    });
    return m;
  }

  static Map.Entry<String, Double> worst(Map<String, Double> m) {
    return m.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
  }
}
