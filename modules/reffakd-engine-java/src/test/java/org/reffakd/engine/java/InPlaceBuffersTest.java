package org.reffakd.engine.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reffakd.engine.java.model.Models;
import org.reffakd.engine.java.model.Network;

/**
 * The memory savings of ResNet-18 (layers writing over arrays no one reads again) change no
 * bit: a block working in place against the plain stack, and the whole network against
 * fingerprints taken with the code before them.
 */
class InPlaceBuffersTest {

  @AfterEach
  void reset() {
    Parallel.setThreads(1);
  }

  private static float[] gaussian(Random r, int n) {
    float[] x = new float[n];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return x;
  }

  @Test
  void blockInPlaceEqualsThePlainStack() {
    for (int[] cfg : new int[][] {{4, 4, 1}, {4, 8, 2}, {3, 6, 1}}) {
      ResidualBlock plain = new ResidualBlock(cfg[0], cfg[1], cfg[2], new Random(7), false);
      ResidualBlock inPlace = new ResidualBlock(cfg[0], cfg[1], cfg[2], new Random(7), true);
      Random r = new Random(3);
      for (int step = 0; step < 2; step++) {
        int n = 3;
        int side = 6;
        float[] x = gaussian(r, cfg[0] * n * side * side);
        float[] xi = x.clone();
        Tensor yp = plain.forward(new Tensor(x.clone(), cfg[0], n, side, side), true);
        Tensor yi = inPlace.forward(new Tensor(xi, cfg[0], n, side, side), true);
        assertArrayEquals(yp.data, yi.data);
        float[] g = gaussian(r, yp.size());
        float[] gi = g.clone();
        Tensor dp = plain.backward(new Tensor(g.clone(), yp.shape));
        Tensor di = inPlace.backward(new Tensor(gi, yi.shape));
        assertArrayEquals(dp.data, di.data);
        for (int p = 0; p < plain.params().size(); p++) {
          assertArrayEquals(plain.params().get(p).grad, inPlace.params().get(p).grad);
        }
        // the block leaves its input and the gradient it was given as they were
        assertArrayEquals(x, xi);
        assertArrayEquals(g, gi);
      }
    }
  }

  @Test
  void blocksSharingGradientArraysEqualPlainBlocks() {
    // three blocks of different shapes, then two alike: arrays that grow and alternate
    int[][] cfgs = {{4, 4, 1}, {4, 8, 2}, {8, 8, 1}, {8, 8, 1}, {8, 16, 2}};
    Layer[] plain = new Layer[cfgs.length];
    Layer[] shared = new Layer[cfgs.length];
    ResidualBlock.Shared arrays = new ResidualBlock.Shared();
    Random rp = new Random(7);
    Random rs = new Random(7);
    for (int i = 0; i < cfgs.length; i++) {
      plain[i] = new ResidualBlock(cfgs[i][0], cfgs[i][1], cfgs[i][2], rp, false);
      shared[i] = new ResidualBlock(cfgs[i][0], cfgs[i][1], cfgs[i][2], rs, arrays);
    }
    Sequential sp = new Sequential(plain);
    Sequential ss = new Sequential(shared);
    Random r = new Random(5);
    for (int step = 0; step < 2; step++) {
      float[] x = gaussian(r, 4 * 3 * 8 * 8);
      Tensor yp = sp.forward(new Tensor(x.clone(), 4, 3, 8, 8), true);
      Tensor ys = ss.forward(new Tensor(x.clone(), 4, 3, 8, 8), true);
      assertArrayEquals(Arrays.copyOf(yp.data, yp.size()), Arrays.copyOf(ys.data, ys.size()));
      float[] g = gaussian(r, yp.size());
      Tensor dp = sp.backward(new Tensor(g.clone(), yp.shape));
      Tensor ds = ss.backward(new Tensor(g.clone(), ys.shape));
      assertArrayEquals(Arrays.copyOf(dp.data, dp.size()), Arrays.copyOf(ds.data, ds.size()));
      for (int p = 0; p < sp.params().size(); p++) {
        assertArrayEquals(sp.params().get(p).grad, ss.params().get(p).grad);
      }
    }
  }

  /** Two SGD steps of resnet18-w16 on 16x16 images: a hash of logits, gradients and state. */
  static long fingerprint(int threads) {
    Parallel.setThreads(threads);
    Network net = Models.resnet18(3, 10, 16, 11);
    Sgd sgd = new Sgd(net.params(), 0.9, 5e-4);
    Random r = new Random(4);
    int n = 4;
    int side = 16;
    long h = 17;
    for (int step = 0; step < 2; step++) {
      float[] x = gaussian(r, 3 * n * side * side);
      Tensor z = net.forward(new Tensor(x, 3, n, side, side), true);
      h = 31 * h + Arrays.hashCode(Arrays.copyOf(z.data, z.size()));
      net.backward(new Tensor(gaussian(r, z.size()), n, 10));
      for (Param p : net.params()) {
        h = 31 * h + Arrays.hashCode(p.grad);
      }
      sgd.step(0.05);
    }
    for (Param p : net.params()) {
      h = 31 * h + Arrays.hashCode(p.value);
    }
    for (float[] b : net.buffers()) {
      h = 31 * h + Arrays.hashCode(b);
    }
    return h;
  }

  @Test
  void resnetTrainsBitwiseAsBefore() {
    // taken with the build before the in-place buffers (c430d5a), per vector width: the last
    // columns of a matrix product that do not fill a vector are summed unfused
    Map<Integer, Long> before = Map.of(128, -8202883955689220025L,
        256, 2107502060311479337L, 512, -8572472606654480878L);
    long expected = before.get(Kernels.L * 32);
    assertEquals(expected, fingerprint(1));
    assertEquals(expected, fingerprint(2));
  }
}
