package org.reffakd.onnx;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reffakd.backend.ExportSource;

/**
 * Latency at batch 1 and throughput at batch {@value #BATCH} of a model in ONNX Runtime (the
 * session's threads; exporters use 1), medians over repeats within a time budget.
 */
final class Bench {

  static final int BATCH = 64;
  private static final long BUDGET_NS = 3_000_000_000L;

  private Bench() {}

  static Map<String, Object> measure(OnnxModel m, ExportSource s) {
    int per = s.channels() * s.side() * s.side();
    float[] x = new float[BATCH * per];
    java.util.SplittableRandom r = new java.util.SplittableRandom(1);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextDouble();
    }
    m.logits(x, 1); // warm-up: the first run plans the graph
    double one = median(m, x, 1, 200);
    double batch = median(m, x, BATCH, 20);
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("latency_ms_batch1", one / 1e6);
    f.put("throughput_images_per_s_batch64", BATCH / (batch / 1e9));
    f.put("bench_threads", 1);
    return f;
  }

  private static double median(OnnxModel m, float[] x, int n, int maxRuns) {
    double[] t = new double[maxRuns];
    int runs = 0;
    long start = System.nanoTime();
    while (runs < maxRuns && (runs < 3 || System.nanoTime() - start < BUDGET_NS)) {
      long t0 = System.nanoTime();
      m.logits(x, n);
      t[runs++] = System.nanoTime() - t0;
    }
    double[] d = Arrays.copyOf(t, runs);
    Arrays.sort(d);
    return runs % 2 == 1 ? d[runs / 2] : (d[runs / 2 - 1] + d[runs / 2]) / 2;
  }
}
