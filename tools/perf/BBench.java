package org.reffakd.engine.java;
import java.lang.management.ManagementFactory;
import java.util.Random;
/** Batch norm backward's two sums: Kernels.sum + Kernels.dot against the fused sumAndDot. */
public class BBench {
  public static void main(String[] args) {
    var tb = ManagementFactory.getThreadMXBean();
    int reps = Integer.parseInt(args[0]);
    int[][] cs = {{6, 128 * 28 * 28}, {16, 128 * 10 * 10}};
    for (int[] c : cs) {
      int ch = c[0], m = c[1];
      float[] dy = new float[ch * m], xh = new float[ch * m];
      Random r = new Random(1);
      for (int i = 0; i < dy.length; i++) { dy[i] = (float) r.nextGaussian(); xh[i] = (float) r.nextGaussian(); }
      double[] t = new double[2]; double[] s2 = new double[2]; double sink = 0;
      for (int round = 0; round < 2 * reps + 20; round++) {
        int w = round & 1;
        long t0 = tb.getCurrentThreadCpuTime();
        for (int it = 0; it < 10; it++) {
          for (int k = 0; k < ch; k++) {
            if (w == 0) { sink += Kernels.sum(dy, k * m, m) + Kernels.dot(dy, k * m, xh, k * m, m); }
            else { Kernels.sumAndDot(dy, xh, k * m, m, s2); sink += s2[0] + s2[1]; }
          }
        }
        if (round >= 20) t[w] += (tb.getCurrentThreadCpuTime() - t0) / 10e6;
      }
      System.out.printf("bn %dx%d sum+dot %.3f fused %.3f ms (%.2f) %s%n", ch, m, t[0] / reps, t[1] / reps, t[1] / t[0], sink == 0 ? "" : "");
    }
  }
}
