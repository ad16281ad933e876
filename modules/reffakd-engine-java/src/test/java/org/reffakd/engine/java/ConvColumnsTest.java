package org.reffakd.engine.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A convolution that unfolds its input again in the backward (large layers, to save memory)
 * computes bitwise what one that kept the columns computes: outputs, input gradients and
 * weight and bias gradients, over two steps and with another layer's scratch use in between.
 */
class ConvColumnsTest {

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
