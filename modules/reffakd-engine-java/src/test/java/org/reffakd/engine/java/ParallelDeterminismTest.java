package org.reffakd.engine.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Splitting the work over threads must not change a single bit: each output element is
 * computed by one thread in the same order, so results do not depend on --threads. The sizes
 * are large enough for the split paths (gemm, gemmNT, im2col, col2im) to be taken.
 */
class ParallelDeterminismTest {

  @AfterEach
  void reset() {
    Parallel.setThreads(1);
  }

  private static float[][] forwardBackward(Supplier<Layer> f, int threads, int c, int n, int s) {
    Parallel.setThreads(threads);
    Layer l = f.get();
    Random r = new Random(5);
    float[] x = new float[c * n * s * s];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    Tensor y = l.forward(new Tensor(x, c, n, s, s), true);
    float[] g = new float[y.size()];
    for (int i = 0; i < g.length; i++) {
      g[i] = (float) r.nextGaussian();
    }
    float[] out = y.data.clone();
    float[] dx = l.backward(new Tensor(g, y.shape)).data.clone();
    return new float[][] {out, dx, l.params().get(0).grad.clone()};
  }

  @Test
  void batchNormPoolAndActivationsAreBitwiseIdenticalAcrossThreadCounts() {
    // LeNet's first block at batch 128: large enough for every element-wise split
    Supplier<Layer> block = () -> new Sequential(new Conv2d(1, 6, 5, 1, 0, true, new Random(3)),
        new BatchNorm2d(6), Activation.relu(), new MaxPool2d(2), Activation.sigmoid());
    float[][] a = forwardBackward(block, 1, 1, 128, 32);
    float[][] b = forwardBackward(block, 2, 1, 128, 32);
    for (int i = 0; i < a.length; i++) {
      assertArrayEquals(a[i], b[i], "block array " + i);
    }
  }

  @Test
  void convAndDeconvAreBitwiseIdenticalAcrossThreadCounts() {
    Supplier<Layer> conv = () -> new Conv2d(12, 24, 4, 2, 1, true, new Random(1));
    float[][] a = forwardBackward(conv, 1, 12, 128, 16);
    float[][] b = forwardBackward(conv, 2, 12, 128, 16);
    for (int i = 0; i < a.length; i++) {
      assertArrayEquals(a[i], b[i], "conv array " + i);
    }
    Supplier<Layer> deconv = () -> new ConvTranspose2d(24, 12, 4, 2, 1, new Random(2));
    float[][] c = forwardBackward(deconv, 1, 24, 128, 8);
    float[][] d = forwardBackward(deconv, 2, 24, 128, 8);
    for (int i = 0; i < c.length; i++) {
      assertArrayEquals(c[i], d[i], "deconv array " + i);
    }
  }
}
