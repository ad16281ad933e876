package org.reffakd.engine.java;
import java.lang.management.ManagementFactory;
import java.util.Random;
public class PBench {
  public static void main(String[] a) {
    var tb = ManagementFactory.getThreadMXBean();
    int[][] cs = {{6,128,28,28},{16,128,10,10}};
    for (int[] c : cs) {
      float[] x = new float[c[0]*c[1]*c[2]*c[3]]; Random r = new Random(1);
      for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
      Tensor t = new Tensor(x, c[0], c[1], c[2], c[3]);
      MaxPool2d p = new MaxPool2d(2);
      double best = 1e9;
      for (int round = 0; round < 30; round++) {
        long t0 = tb.getCurrentThreadCpuTime();
        for (int it = 0; it < 10; it++) p.forward(t, true);
        double ms = (tb.getCurrentThreadCpuTime() - t0) / 10e6;
        best = Math.min(best, ms);
      }
      System.out.printf("pool %s best %.3f ms%n", java.util.Arrays.toString(c), best);
    }
  }
}
