package org.reffakd.engine.java;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;
public class IBench {
  public static void main(String[] a) {
    ThreadMXBean tb = ManagementFactory.getThreadMXBean();
    int[][] cases = { {1,128,32,32,5,1,0}, {6,128,14,14,5,1,0}, {1,128,32,32,4,2,1}, {12,128,16,16,4,2,1}, {24,128,8,8,4,2,1} };
    String[] names = {"le c1", "le c2", "ae c1", "ae c2", "ae c3"};
    int reps = Integer.parseInt(a[0]);
    for (int ci = 0; ci < cases.length; ci++) {
      int[] cs = cases[ci];
      int c=cs[0],n=cs[1],h=cs[2],w=cs[3],k=cs[4],s=cs[5],p=cs[6];
      int oh = Im2col.outSize(h,k,s,p), ow = Im2col.outSize(w,k,s,p);
      float[] x = new float[c*n*h*w]; Random r = new Random(1); for (int i=0;i<x.length;i++) x[i]=(float)r.nextGaussian();
      float[] col = new float[c*k*k*n*oh*ow];
      double[] t = new double[4];
      for (int round = 0; round < 2*reps+4; round++) {
        int which = round & 1;
        long t0 = tb.getCurrentThreadCpuTime();
        for (int it=0; it<5; it++) { if (which==0) Im2colReference.im2col(x,c,n,h,w,k,s,p,col); else Im2col.im2col(x,c,n,h,w,k,s,p,col); }
        long t1 = tb.getCurrentThreadCpuTime();
        java.util.Arrays.fill(x, 0f);
        for (int it=0; it<5; it++) { if (which==0) Im2colReference.col2im(col,c,n,h,w,k,s,p,x); else Im2col.col2im(col,c,n,h,w,k,s,p,x); }
        long t2 = tb.getCurrentThreadCpuTime();
        if (round >= 4) { t[which] += (t1-t0)/5e6; t[2+which] += (t2-t1)/5e6; }
      }
      System.out.printf("%-6s im2col old %6.3f new %6.3f (%.2f)   col2im old %6.3f new %6.3f (%.2f) ms%n", names[ci], t[0]/reps, t[1]/reps, t[1]/t[0], t[2]/reps, t[3]/reps, t[3]/t[2]);
    }
  }
}
