package org.reffakd.engine.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The vectorised unfold/fold against the verbatim scalar version ({@link Im2colReference}), bit
 * for bit, over odd sizes, strides 1-3, paddings 0-2, and one and two threads (whole-vector
 * writes past a row must never reach memory another thread owns or leave stale values).
 */
class Im2colTest {

  @AfterEach
  void reset() {
    Parallel.setThreads(1);
  }

  @Test
  void matchesScalarReferenceBitwise() {
    int[][] cases = {
      // c, n, h, w, k, stride, pad
      {1, 3, 32, 32, 5, 1, 0}, {6, 5, 14, 14, 5, 1, 0}, {3, 2, 7, 9, 3, 1, 1},
      {1, 4, 32, 32, 4, 2, 1}, {12, 3, 16, 16, 4, 2, 1}, {5, 2, 8, 8, 4, 2, 1},
      {2, 3, 9, 11, 3, 2, 0}, {3, 2, 13, 10, 3, 3, 2}, {2, 1, 5, 5, 5, 1, 2},
      {4, 2, 40, 37, 2, 2, 0}, {1, 1, 3, 3, 3, 1, 0}, {7, 64, 16, 16, 4, 2, 1},
      // 4x4 stride 2 (own path): odd sizes, pads 0-3, windows that skip the last row/column
      {3, 5, 7, 9, 4, 2, 1}, {2, 3, 4, 4, 4, 2, 1}, {5, 2, 3, 3, 4, 2, 1}, {2, 3, 9, 8, 4, 2, 0},
      {3, 2, 6, 7, 4, 2, 2}, {1, 3, 5, 11, 4, 2, 3}, {24, 7, 8, 8, 4, 2, 1}, {1, 2, 2, 2, 4, 2, 1},
      // large enough for Parallel to split the channels over two threads
      {6, 128, 14, 14, 5, 1, 0}, {12, 128, 16, 16, 4, 2, 1}, {5, 128, 13, 13, 4, 2, 1},
      // one channel (a first convolution): the unfold splits over the kernel rows
      {1, 128, 28, 28, 5, 1, 0}, {1, 128, 29, 27, 5, 1, 2}, {2, 64, 33, 31, 3, 1, 1},
    };
    Random r = new Random(9);
    for (int[] cs : cases) {
      int c = cs[0];
      int n = cs[1];
      int h = cs[2];
      int w = cs[3];
      int k = cs[4];
      int stride = cs[5];
      int pad = cs[6];
      int oh = Im2col.outSize(h, k, stride, pad);
      int ow = Im2col.outSize(w, k, stride, pad);
      float[] x = new float[c * n * h * w];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) r.nextGaussian();
      }
      int colSize = c * k * k * n * oh * ow;
      float[] colRef = new float[colSize];
      java.util.Arrays.fill(colRef, Float.NaN);
      Im2colReference.im2col(x, c, n, h, w, k, stride, pad, colRef);
      float[] g = new float[colSize];
      for (int i = 0; i < g.length; i++) {
        g[i] = (float) r.nextGaussian();
      }
      float[] xRef = new float[x.length];
      Im2colReference.col2im(g, c, n, h, w, k, stride, pad, xRef);
      // folding onto values already there: same rounding, element by element
      float[] xOnto = x.clone();
      Im2colReference.col2im(g, c, n, h, w, k, stride, pad, xOnto);
      for (int threads = 1; threads <= 2; threads++) {
        Parallel.setThreads(threads);
        String what = java.util.Arrays.toString(cs) + " threads " + threads;
        float[] col = new float[colSize];
        java.util.Arrays.fill(col, Float.NaN); // stale values must all be overwritten
        Im2col.im2col(x, c, n, h, w, k, stride, pad, col);
        assertArrayEquals(colRef, col, "im2col " + what);
        float[] xs = new float[x.length];
        Im2col.col2im(g, c, n, h, w, k, stride, pad, xs);
        assertArrayEquals(xRef, xs, "col2im " + what);
        if (stride > 1) { // stride 1 relies on the zeroed target (whole-vector adds of +0)
          float[] xs2 = x.clone();
          Im2col.col2im(g, c, n, h, w, k, stride, pad, xs2);
          assertArrayEquals(xOnto, xs2, "col2im onto x " + what);
        }
      }
    }
  }
}
