package org.reffakd.engine.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A convolution that unfolds its input again in the backward (large layers, to save memory)
 * computes bitwise what one that kept the columns computes: outputs, input gradients and
 * weight and bias gradients, over two steps and with another layer's scratch use in between;
 * and so does one that unfolds a group of images at a time into the shared scratch.
 */
class ConvColumnsTest {

  @Test
  void groupsOfImagesEqualTheWholeBatch() {
    // {inC, outC, k, stride, pad, n, h, w}: 16x16 output planes (groups of 2 images, the last
    // of 1), the 4x4 stride-2 path, a 1x1 strided one, 5x8 planes (groups of 64 images, the
    // last with columns that fill no vector), and 7x7 (no groups: the whole batch)
    for (int[] cfg : new int[][] {{3, 8, 3, 1, 1, 5, 16, 16}, {2, 6, 4, 2, 1, 5, 32, 32},
        {4, 5, 1, 2, 0, 5, 32, 32}, {2, 3, 3, 1, 1, 129, 5, 8}, {3, 4, 3, 1, 1, 4, 7, 7}}) {
      for (int threads : new int[] {1, 2}) {
        Parallel.setThreads(threads);
        try {
          compareGroups(cfg);
        } finally {
          Parallel.setThreads(1);
        }
      }
    }
  }

  private static void compareGroups(int[] cfg) {
    int inC = cfg[0];
    int n = cfg[5];
    int h = cfg[6];
    int w = cfg[7];
    Conv2d kept = new Conv2d(inC, cfg[1], cfg[2], cfg[3], cfg[4], true, new Random(7));
    Conv2d whole = new Conv2d(inC, cfg[1], cfg[2], cfg[3], cfg[4], true, new Random(7))
        .keepColumnsBytes(0).groupBytes(Long.MAX_VALUE);
    Conv2d grouped = new Conv2d(inC, cfg[1], cfg[2], cfg[3], cfg[4], true, new Random(7))
        .keepColumnsBytes(0).groupBytes(0);
    Conv2d[] convs = {kept, whole, grouped};
    Random r = new Random(3);
    for (int step = 0; step < 2; step++) {
      float[] x = new float[inC * n * h * w];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) r.nextGaussian();
      }
      Tensor[] ys = new Tensor[3];
      for (int c = 0; c < 3; c++) {
        ys[c] = convs[c].forward(new Tensor(x.clone(), inC, n, h, w), true);
      }
      float[] y = java.util.Arrays.copyOf(ys[0].data, ys[0].size());
      float[] g = new float[ys[0].size()];
      for (int i = 0; i < g.length; i++) {
        g[i] = (float) r.nextGaussian();
      }
      float[][] dxs = new float[3][];
      for (int c = 0; c < 3; c++) {
        assertArrayEquals(y, java.util.Arrays.copyOf(ys[c].data, ys[c].size()));
        dxs[c] = convs[c].backward(new Tensor(g.clone(), ys[c].shape)).data.clone();
      }
      for (int c = 1; c < 3; c++) {
        assertArrayEquals(dxs[0], dxs[c]);
        for (int p = 0; p < kept.params().size(); p++) {
          assertArrayEquals(kept.params().get(p).grad, convs[c].params().get(p).grad);
        }
      }
    }
  }

  @Test
  void groupSizes() {
    // 32x32 planes: any number of images; 16x16: pairs; 5x8: 64 at a time; 7x7: the batch
    assertEquals(3, Conv2d.groupImages(128, 1024, 576, 3 * 4L * 576 * 1024 + 1));
    assertEquals(1, Conv2d.groupImages(128, 1024, 576, 0));
    assertEquals(2, Conv2d.groupImages(5, 256, 27, 0));
    assertEquals(64, Conv2d.groupImages(129, 40, 18, 0));
    assertEquals(4, Conv2d.groupImages(4, 49, 27, 0));
    assertEquals(128, Conv2d.groupImages(128, 49, 27, 0));
    assertEquals(128, Conv2d.groupImages(128, 1024, 27, Long.MAX_VALUE));
  }

  @Test
  void unfoldingAgainEqualsKeepingTheColumns() {
    for (int[] cfg : new int[][] {{3, 8, 3, 1, 1}, {4, 6, 4, 2, 1}, {2, 5, 5, 1, 0}}) {
      Conv2d kept = new Conv2d(cfg[0], cfg[1], cfg[2], cfg[3], cfg[4], true, new Random(7));
      Conv2d again = new Conv2d(cfg[0], cfg[1], cfg[2], cfg[3], cfg[4], true, new Random(7))
          .keepColumnsBytes(0);
      Conv2d other = new Conv2d(cfg[0], 3, 3, 1, 1, false, new Random(9)).keepColumnsBytes(0);
      Random r = new Random(3);
      for (int step = 0; step < 2; step++) {
        int n = 3;
        int side = 9;
        float[] x = new float[cfg[0] * n * side * side];
        for (int i = 0; i < x.length; i++) {
          x[i] = (float) r.nextGaussian();
        }
        Tensor yk = kept.forward(new Tensor(x.clone(), cfg[0], n, side, side), true);
        Tensor ya = again.forward(new Tensor(x.clone(), cfg[0], n, side, side), true);
        assertArrayEquals(yk.data, ya.data);
        // another convolution uses the same thread's scratch between forward and backward
        other.forward(new Tensor(x.clone(), cfg[0], n, side, side), false);
        float[] g = new float[yk.size()];
        for (int i = 0; i < g.length; i++) {
          g[i] = (float) r.nextGaussian();
        }
        Tensor dk = kept.backward(new Tensor(g.clone(), yk.shape));
        Tensor da = again.backward(new Tensor(g.clone(), ya.shape));
        assertArrayEquals(dk.data, da.data);
        for (int p = 0; p < kept.params().size(); p++) {
          assertArrayEquals(kept.params().get(p).grad, again.params().get(p).grad);
        }
      }
    }
  }
}
