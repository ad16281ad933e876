package org.reffakd.engine.java;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;

/** In-process interleaved A/B of Kernels vs KernelsReference for the engine's shapes. */
public class KBench {
  static float[] rnd(int n) { Random r = new Random(n); float[] v = new float[n]; for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian(); return v; }
  public static void main(String[] a) {
    ThreadMXBean tb = ManagementFactory.getThreadMXBean();
    // name, type(0 gemm,1 gemm transA, 2 NT), m, n, k
    Object[][] shapes = {
      {"le c1 fwd", 0, 6, 100352, 25}, {"le c1 wgrad", 2, 6, 25, 100352},
      {"le c2 fwd", 0, 16, 12800, 150}, {"le c2 wgrad", 2, 16, 150, 12800}, {"le c2 dgrad", 1, 150, 12800, 16},
      {"ae c2 fwd", 0, 24, 8192, 192}, {"ae c2 wgrad", 2, 24, 192, 8192}, {"ae c2 dgrad", 1, 192, 8192, 24},
      {"ae t2 fwd", 1, 192, 8192, 24}, {"ae t2 wgrad", 2, 24, 192, 8192}, {"ae t2 dx", 0, 24, 8192, 192},
      {"ae t3 fwd", 1, 16, 32768, 12}, {"ae c1 fwd", 0, 12, 32768, 16},
    };
    int reps = Integer.parseInt(a[0]);
    for (Object[] s : shapes) {
      int t = (Integer) s[1], m = (Integer) s[2], n = (Integer) s[3], k = (Integer) s[4];
      float[] A = rnd(m * k), B = rnd(k * n), C = new float[m * n];
      double[] tot = new double[2];
      for (int round = 0; round < 2 * reps + 4; round++) {
        int which = round & 1;
        long t0 = tb.getCurrentThreadCpuTime();
        for (int it = 0; it < 5; it++) {
          if (t == 2) {
            if (which == 0) KernelsReference.gemmNT(m, n, k, A, 0, k, B, 0, k, C, 0, n, true);
            else Kernels.gemmNT(m, n, k, A, 0, k, B, 0, k, C, 0, n, true);
          } else {
            int ars = t == 1 ? 1 : k, acs = t == 1 ? m : 1;
            if (which == 0) KernelsReference.gemm(m, n, k, A, 0, ars, acs, B, 0, n, C, 0, n, false);
            else Kernels.gemm(m, n, k, A, 0, ars, acs, B, 0, n, C, 0, n, false);
          }
        }
        if (round >= 4) tot[which] += (tb.getCurrentThreadCpuTime() - t0) / 1e6 / 5;
      }
      System.out.printf("%-12s old %7.3f ms  new %7.3f ms  ratio %.2f%n", s[0], tot[0] / reps, tot[1] / reps, tot[1] / tot[0]);
    }
  }
}
