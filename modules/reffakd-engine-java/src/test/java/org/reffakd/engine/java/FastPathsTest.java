package org.reffakd.engine.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The branch-free fast paths (2 x 2 max pooling, vectorised ReLU backward) against simple
 * reference loops, bit for bit, on odd sizes and on inputs full of ties, zeros and signed zeros.
 */
class FastPathsTest {

  @Test
  void maxPool2x2MatchesNaiveIncludingTiesAndArgmax() {
    Random r = new Random(3);
    int[][] shapes = {{3, 5, 6, 10}, {1, 1, 2, 2}, {2, 3, 28, 28}, {7, 1, 4, 14},
      {6, 9, 28, 28}, {16, 5, 10, 10}, {3, 7, 6, 10}, {2, 16, 2, 2}};
    for (int[] s : shapes) {
      int c = s[0];
      int n = s[1];
      int h = s[2];
      int w = s[3];
      float[] x = new float[c * n * h * w];
      for (int i = 0; i < x.length; i++) {
        x[i] = r.nextInt(4) - 1.5f; // few distinct values: many ties
        int z = r.nextInt(16);
        if (z == 0) {
          x[i] = -0f; // signed zeros tie with each other: the first one must win
        } else if (z == 1) {
          x[i] = 0f;
        } else if (z == 2) {
          x[i] = Float.NaN; // never greater, and nothing is greater than it
        }
      }
      MaxPool2d pool = new MaxPool2d(2);
      Tensor y = pool.forward(new Tensor(x, c, n, h, w), true);
      float[] g = new float[y.size()];
      for (int i = 0; i < g.length; i++) {
        g[i] = i + 1; // distinct, so the argmax positions show in dx
      }
      float[] dx = pool.backward(new Tensor(g, y.shape)).data;
      float[] refOut = new float[g.length];
      float[] refDx = new float[x.length];
      int o = 0;
      for (int p = 0; p < c * n; p++) {
        for (int oy = 0; oy < h / 2; oy++) {
          for (int ox = 0; ox < w / 2; ox++, o++) {
            int best = p * h * w + 2 * oy * w + 2 * ox;
            for (int dy = 0; dy < 2; dy++) {
              for (int dxi = 0; dxi < 2; dxi++) {
                int idx = p * h * w + (2 * oy + dy) * w + 2 * ox + dxi;
                if (x[idx] > x[best]) {
                  best = idx;
                }
              }
            }
            refOut[o] = x[best];
            refDx[best] += g[o];
          }
        }
      }
      assertEquals(refOut.length, y.size());
      assertArrayEquals(refOut, java.util.Arrays.copyOf(y.data, y.size()), "pool out");
      assertArrayEquals(refDx, dx, "pool dx");
    }
  }

  @Test
  void reluBackwardMatchesScalarRule() {
    Random r = new Random(4);
    for (int size : new int[] {1, 15, 16, 17, 100, 1031}) {
      float[] x = new float[size];
      float[] g = new float[size];
      for (int i = 0; i < size; i++) {
        int k = r.nextInt(4);
        x[i] = k == 0 ? 0f : k == 1 ? -0f : (float) r.nextGaussian();
        g[i] = (float) r.nextGaussian();
      }
      Activation relu = Activation.relu();
      Tensor y = relu.forward(new Tensor(x, size), true);
      float[] dx = relu.backward(new Tensor(g, size)).data;
      float[] ref = new float[size];
      for (int i = 0; i < size; i++) {
        ref[i] = y.data[i] > 0f ? g[i] : 0f;
        assertEquals(Math.max(x[i], 0f), y.data[i]);
      }
      assertArrayEquals(ref, dx, "size " + size);
    }
  }
}
