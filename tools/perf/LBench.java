package org.reffakd.engine.java;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;
public class LBench {
  public static void main(String[] args) {
    ThreadMXBean tb = ManagementFactory.getThreadMXBean();
    int reps = Integer.parseInt(args[0]);
    // m, n, kk, transA: Linear forward (n=128 rows) and weight gradient (in rows, transposed A)
    int[][] cases = {{128,120,400,0},{400,120,128,1},{128,84,120,0},{120,84,128,1},{128,10,84,0},{84,10,128,1}};
    String[] names = {"fc1 fwd","fc1 dW","fc2 fwd","fc2 dW","fc3 fwd","fc3 dW"};
    Random r = new Random(1);
    double tot0 = 0, tot1 = 0;
    for (int ci = 0; ci < cases.length; ci++) {
      int m = cases[ci][0], n = cases[ci][1], kk = cases[ci][2]; boolean tr = cases[ci][3] == 1;
      float[] a = new float[m*kk]; float[] b = new float[kk*n]; float[] c = new float[m*n];
      for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
      for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
      int ars = tr ? 1 : kk, acs = tr ? m : 1;
      double[] t = new double[2];
      for (int round = 0; round < 2 * reps + 40; round++) {
        int w = round & 1;
        long t0 = tb.getCurrentThreadCpuTime();
        for (int it = 0; it < 20; it++) {
          if (w == 0) KernelsBase.gemm(m, n, kk, a, 0, ars, acs, b, 0, n, c, 0, n, tr);
          else Kernels.gemm(m, n, kk, a, 0, ars, acs, b, 0, n, c, 0, n, tr);
        }
        long t1 = tb.getCurrentThreadCpuTime();
        if (round >= 40) t[w] += (t1 - t0) / 20e6;
      }
      System.out.printf("%-8s base %7.4f new %7.4f ms (%.2f)%n", names[ci], t[0]/reps, t[1]/reps, t[1]/t[0]);
      tot0 += t[0]/reps; tot1 += t[1]/reps;
    }
    System.out.printf("total    base %7.4f new %7.4f ms (%.2f)%n", tot0, tot1, tot1/tot0);
  }
}
