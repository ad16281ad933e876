package org.reffakd.engine.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Every layer's backward against central finite differences of L = sum(out * R) for a random
 * R, with respect to the input and to every parameter. Float32, so tolerances are loose but a
 * wrong index or a missing term fails by orders of magnitude.
 */
class LayerGradientTest {


  @Test
  void conv2dStride1() {
    check(() -> new Conv2d(2, 3, 3, 1, 1, true, new Random(1)), 2, 3, 5, 5);
  }

  @Test
  void conv2dStride2Pad1Kernel4() {
    check(() -> new Conv2d(2, 3, 4, 2, 1, true, new Random(2)), 2, 2, 8, 8);
  }

  @Test
  void conv2dNoPadNoBias() {
    check(() -> new Conv2d(1, 2, 5, 1, 0, false, new Random(3)), 1, 2, 9, 9);
  }

  @Test
  void convTranspose2d() {
    check(() -> new ConvTranspose2d(3, 2, 4, 2, 1, new Random(4)), 3, 2, 4, 4);
  }

  @Test
  void batchNormTraining() {
    check(() -> new BatchNorm2d(3), 3, 4, 3, 3);
  }

  @Test
  void reluAndSigmoid() {
    check(Activation::relu, 2, 2, 3, 3);
    check(Activation::sigmoid, 2, 2, 3, 3);
  }

  @Test
  void maxPool() {
    check(() -> new MaxPool2d(2), 2, 2, 4, 4);
  }

  @Test
  void flattenLinearAndPool() {
    check(() -> new Sequential(new Flatten(), new Linear(18, 5, new Random(5))), 2, 3, 3, 3);
    check(GlobalAvgPool::new, 3, 2, 3, 3);
  }

  @Test
  void residualBlocks() {
    // a smaller step: the block's inner ReLU has kinks a 1e-2 step can cross
    check(() -> new ResidualBlock(2, 2, 1, new Random(6)), 2, 3, 4, 4, 3e-3);
    check(() -> new ResidualBlock(2, 4, 2, new Random(7)), 2, 3, 4, 4, 3e-3);
  }

  @Test
  void kernelsAgreeWithNaiveProducts() {
    Random r = new Random(8);
    int m = 7;
    int n = 45;
    int k = 19;
    float[] a = rand(r, m * k);
    float[] b = rand(r, k * n);
    float[] c = new float[m * n];
    Kernels.gemm(m, n, k, a, 0, k, 1, b, 0, n, c, 0, n, false);
    float[] bt = new float[n * k];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < n; j++) {
        bt[j * k + i] = b[i * n + j];
      }
    }
    float[] c2 = new float[m * n];
    Kernels.gemmNT(m, n, k, a, 0, k, bt, 0, k, c2, 0, n, false);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int t = 0; t < k; t++) {
          s += a[i * k + t] * b[t * n + j];
        }
        // k = 19 products of N(0,1) values in float: rounding below 19 * 6e-8 * 19 ~ 2e-5
        assertEquals(s, c[i * n + j], 1e-4, "gemm " + i + "," + j);
        assertEquals(s, c2[i * n + j], 1e-4, "gemmNT " + i + "," + j);
      }
    }
  }

  private static float[] rand(Random r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }

  /** Checks input and parameter gradients of a fresh layer on a random (c, n, h, w) input. */
  private static void check(Supplier<Layer> factory, int c, int n, int h, int w) {
    check(factory, c, n, h, w, 1e-2);
  }

  private static void check(Supplier<Layer> factory, int c, int n, int h, int w, double eps) {
    Random r = new Random(42);
    Layer layer = factory.get();
    float[] x = rand(r, c * n * h * w);
    Tensor out = layer.forward(new Tensor(x.clone(), c, n, h, w), true);
    float[] weights = rand(r, out.size());
    int[] outShape = out.shape.clone();
    Tensor dx = layer.backward(new Tensor(weights.clone(), outShape));
    float[] dxa = dx.data.clone();
    for (int i = 0; i < x.length; i++) {
      float keep = x[i];
      x[i] = (float) (keep + eps);
      double lp = loss(layer, x, c, n, h, w, weights);
      x[i] = (float) (keep - eps);
      double lm = loss(layer, x, c, n, h, w, weights);
      x[i] = keep;
      assertClose((lp - lm) / (2 * eps), dxa[i], "input[" + i + "]");
    }
    for (Param p : layer.params()) {
      float[] ga = p.grad.clone();
      for (int i = 0; i < p.size(); i++) {
        float keep = p.value[i];
        p.value[i] = (float) (keep + eps);
        double lp = loss(layer, x, c, n, h, w, weights);
        p.value[i] = (float) (keep - eps);
        double lm = loss(layer, x, c, n, h, w, weights);
        p.value[i] = keep;
        assertClose((lp - lm) / (2 * eps), ga[i], p.name + "[" + i + "]");
      }
    }
  }

  private static double loss(Layer layer, float[] x, int c, int n, int h, int w, float[] r) {
    Tensor out = layer.forward(new Tensor(x.clone(), c, n, h, w), true);
    double s = 0;
    for (int i = 0; i < r.length; i++) {
      s += (double) out.data[i] * r[i];
    }
    return s;
  }

  /**
   * Central differences of a float forward pass: the loss carries rounding noise of about
   * u * sum|out * r| (u = 6e-8; ~1e-6 relative for these sizes, whatever the summation order or
   * vector width), so the difference quotient has noise ~1e-4 at a step of 1e-2, and the
   * truncation error is O(step^2) ~ 1e-4 relative for smooth layers; 2e-2 is over 100 times
   * both. (Kinks are avoided by the step choices above.)
   */
  private static void assertClose(double numeric, double analytic, String what) {
    double tol = 2e-2 * Math.max(1.0, Math.abs(numeric));
    assertTrue(Math.abs(numeric - analytic) <= tol,
        what + ": finite difference " + numeric + " vs backward " + analytic);
  }
}
