package org.reffakd.engine.java;

import java.util.List;
import java.util.Random;

/**
 * 2-D convolution on (C, N, H, W) maps by im2col and matrix products.
 *
 * <p>Memory: the unfolded input (im2col) of a training forward is kept for the backward only
 * while it is at most {@link #KEEP_COLUMNS_BYTES}; a larger one (ResNet-18's first stages at
 * batch 128: 150-300 MB per convolution) is unfolded into a per-thread scratch and unfolded
 * again from the kept input in the backward, bitwise the same columns. The columns' gradient
 * is always a per-thread scratch: the same one, as the backward is done with the columns once
 * the weight gradient is summed. So the small student keeps its speed, and a large network
 * holds one scratch buffer instead of one pair per convolution.
 *
 * <p>The scratch holds the columns of a group of images at a time, about
 * {@link #GROUP_BYTES}: unfold a group, multiply, next group. A group is a multiple of the
 * images that make a multiple of 512 columns, so each product adds the same terms in the same
 * order as one product over the whole batch ({@link Kernels#gemmNT} sums 512-term chunks from
 * the first column; {@link Kernels#gemm} sums the last columns that fill no vector unfused,
 * and these stay the batch's last): bitwise the same results. Where such groups would not
 * split the batch (odd output planes), the group is the whole batch, as before.
 */
public final class Conv2d implements Layer {

  /**
   * Largest unfolded input kept between forward and backward (bytes): LeNet's on Fashion-MNIST
   * at batch 128 (the wide teacher's largest: 26 MB) are kept; ResNet-18's are unfolded again,
   * but for the few smallest (the stem's, the 1x1 shortcuts', the first of the last stage).
   */
  static final long KEEP_COLUMNS_BYTES = 32L << 20;

  /** The scratch's size target (bytes) when the columns are unfolded group by group. */
  static final long GROUP_BYTES = 32L << 20;

  private static final ThreadLocal<float[][]> SCRATCH =
      ThreadLocal.withInitial(() -> new float[1][]);

  private final int inC;
  private final int outC;
  private final int k;
  private final int stride;
  private final int pad;
  private final Param weight; // (outC, inC*k*k)
  private final Param bias;   // may be null
  private boolean inputGrad = true;
  private long keepColumnsBytes = KEEP_COLUMNS_BYTES;
  private long groupBytes = GROUP_BYTES;
  private final InputGradient gradients = new InputGradient();

  private int n;
  private int h;
  private int w;
  private float[] col;       // kept columns, or null when they are unfolded again
  private float[] input;     // the input, when the columns are not kept
  private float[] out;

  public Conv2d(int inC, int outC, int k, int stride, int pad, boolean withBias, Random rng) {
    this.inC = inC;
    this.outC = outC;
    this.k = k;
    this.stride = stride;
    this.pad = pad;
    this.weight = new Param("weight", outC * inC * k * k);
    Init.uniformFanIn(weight.value, inC * k * k, rng);
    this.bias = withBias ? new Param("bias", outC) : null;
    if (bias != null) {
      Init.uniformFanIn(bias.value, inC * k * k, rng);
    }
  }

  @Override
  public Tensor forward(Tensor x, boolean training) {
    checkInput(x);
    n = x.dim(1);
    h = x.dim(2);
    w = x.dim(3);
    int oh = Im2col.outSize(h, k, stride, pad);
    int ow = Im2col.outSize(w, k, stride, pad);
    int ohow = oh * ow;
    int np = n * ohow;
    int ckk = inC * k * k;
    macs = (long) outC * ckk * ohow;
    float[] xs = x.data;
    out = Tensor.reuse(out, outC * np);
    if (training && 4L * ckk * np <= keepColumnsBytes) {
      col = Tensor.reuse(col, ckk * np);
      input = null;
      Im2col.im2col(xs, inC, n, h, w, k, stride, pad, col);
      Parallel.gemm(outC, np, ckk, weight.value, 0, ckk, 1, col, 0, np, out, 0, np, false);
    } else {
      col = null;
      input = training ? xs : null; // a layer's output stays until its next forward
      int group = groupImages(n, ohow, ckk, groupBytes);
      float[] cols = scratch(ckk * group * ohow);
      for (int n0 = 0; n0 < n; n0 += group) {
        int cw = Math.min(group, n - n0) * ohow;
        Im2col.im2col(xs, inC, n, n0, cw / ohow, h, w, k, stride, pad, cols);
        Parallel.gemm(outC, cw, ckk, weight.value, 0, ckk, 1, cols, 0, cw, out, n0 * ohow, np,
            false);
      }
    }
    if (bias != null) {
      // per output channel, split over the compute threads (the same single addition each)
      float[] o = out;
      float[] bv = bias.value;
      Parallel.forRange(outC, 4L * np, (o0, o1) -> {
        for (int oc = o0; oc < o1; oc++) {
          float b = bv[oc];
          int off = oc * np;
          for (int i = 0; i < np; i++) {
            o[off + i] += b;
          }
        }
      });
    }
    return new Tensor(out, outC, n, oh, ow);
  }

  @Override
  public Tensor backward(Tensor gradOut) {
    int ohow = gradOut.dim(2) * gradOut.dim(3);
    int np = gradOut.dim(1) * ohow;
    int ckk = inC * k * k;
    float[] g = gradOut.data;
    if (col == null && input == null) {
      throw new IllegalStateException("Conv2d.backward without a training forward");
    }
    if (col != null) {
      Parallel.gemmNT(outC, ckk, np, g, 0, np, col, 0, np, weight.grad, 0, ckk, true);
    }
    if (bias != null) {
      float[] bg = bias.grad;
      Parallel.forRange(outC, 4L * np, (o0, o1) -> {
        for (int o = o0; o < o1; o++) {
          bg[o] += (float) Kernels.sum(g, o * np, np);
        }
      });
    }
    if (col != null && !inputGrad) {
      return null;
    }
    float[] dx = null;
    if (inputGrad) {
      int size = inC * n * h * w;
      dx = gradients.array(null, size);
      java.util.Arrays.fill(dx, 0, size, 0f);
    }
    int group = groupImages(n, ohow, ckk, groupBytes);
    float[] s = scratch(ckk * group * ohow);
    for (int n0 = 0; n0 < n; n0 += group) {
      int nb = Math.min(group, n - n0);
      int cw = nb * ohow;
      int off = n0 * ohow;
      if (col == null) { // unfold this group's columns again
        Im2col.im2col(input, inC, n, n0, nb, h, w, k, stride, pad, s);
        Parallel.gemmNT(outC, ckk, cw, g, off, np, s, 0, cw, weight.grad, 0, ckk, true);
      }
      if (inputGrad) {
        // the group's columns are no longer needed: their gradient takes the scratch
        // dcol = W^T . dOut
        Parallel.gemm(ckk, cw, outC, weight.value, 0, 1, ckk, g, off, np, s, 0, cw, false);
        Im2col.col2im(s, inC, n, n0, nb, h, w, k, stride, pad, dx);
      }
    }
    if (!inputGrad) {
      return null;
    }
    return new Tensor(dx, inC, n, h, w);
  }

  /**
   * Images per group of columns: as many as fill {@code bytes}, rounded down to a multiple of
   * the images that make a multiple of 512 columns (at least that many); n when that many are
   * the whole batch or more.
   */
  static int groupImages(int n, int ohow, int ckk, long bytes) {
    int unit = 512 / gcd(ohow, 512);
    if (unit >= n) {
      return n;
    }
    long fit = bytes / (4L * ckk * ohow);
    return (int) Math.min(n, Math.max(unit, fit / unit * unit));
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  /**
   * The backward writes the input gradient into {@code into} (shared with other layers whose
   * backward runs at other times) instead of an array of its own.
   */
  Conv2d gradientInto(SharedArray into) {
    gradients.share(into);
    return this;
  }

  /** For the tests: the scratch's size target (bytes) when unfolding group by group. */
  Conv2d groupBytes(long bytes) {
    groupBytes = bytes;
    return this;
  }

  /** For the tests: the largest unfolded input this layer keeps (bytes). */
  Conv2d keepColumnsBytes(long bytes) {
    keepColumnsBytes = bytes;
    return this;
  }

  /** This thread's scratch buffer, at least size floats (its first size are used). */
  private static float[] scratch(int size) {
    float[][] s = SCRATCH.get();
    if (s[0] == null || s[0].length < size) {
      s[0] = new float[size];
    }
    return s[0];
  }

  private void checkInput(Tensor x) {
    if (x.shape.length != 4 || x.dim(0) != inC) {
      throw new IllegalArgumentException("Conv2d expects (" + inC + ", N, H, W) input, got "
          + x);
    }
  }

  private long macs;

  @Override
  public long macsPerSample() {
    return macs;
  }

  @Override
  public List<Param> params() {
    return bias == null ? List.of(weight) : List.of(weight, bias);
  }

  @Override
  public void setInputGradRequired(boolean required) {
    inputGrad = required;
  }
}
