package org.reffakd.engine.java;

import java.util.List;
import java.util.Random;

/**
 * 2-D convolution on (C, N, H, W) maps by im2col and one matrix product per batch.
 *
 * <p>Memory: the unfolded input (im2col) of a training forward is kept for the backward only
 * while it is at most {@link #KEEP_COLUMNS_BYTES}; a larger one (ResNet-18's first stages at
 * batch 128: 150-300 MB per convolution) is unfolded into a per-thread scratch and unfolded
 * again from the kept input in the backward, bitwise the same columns. The columns' gradient
 * is always a per-thread scratch: the same one, as the backward is done with the columns once
 * the weight gradient is summed. So the small student keeps its speed, and a large network
 * holds one scratch buffer (sized to its largest unfolded input) instead of one pair per
 * convolution.
 */
public final class Conv2d implements Layer {

  /**
   * Largest unfolded input kept between forward and backward (bytes): LeNet's on Fashion-MNIST
   * at batch 128 (the wide teacher's largest: 26 MB) are kept; ResNet-18's are unfolded again,
   * but for the few smallest (the stem's, the 1x1 shortcuts', the first of the last stage).
   */
  static final long KEEP_COLUMNS_BYTES = 32L << 20;

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

  private int n;
  private int h;
  private int w;
  private float[] col;       // kept columns, or null when they are unfolded again
  private float[] input;     // the input, when the columns are not kept
  private float[] out;
  private float[] dx;

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
    int np = n * oh * ow;
    int ckk = inC * k * k;
    macs = (long) outC * ckk * oh * ow;
    float[] cols;
    if (training && 4L * ckk * np <= keepColumnsBytes) {
      col = Tensor.reuse(col, ckk * np);
      cols = col;
      input = null;
    } else {
      col = null;
      input = training ? x.data : null; // a layer's output stays until its next forward
      cols = scratch(0, ckk * np);
    }
    Im2col.im2col(x.data, inC, n, h, w, k, stride, pad, cols);
    out = Tensor.reuse(out, outC * np);
    Parallel.gemm(outC, np, ckk, weight.value, 0, ckk, 1, cols, 0, np, out, 0, np, false);
    if (bias != null) {
      for (int o = 0; o < outC; o++) {
        float b = bias.value[o];
        int off = o * np;
        for (int i = 0; i < np; i++) {
          out[off + i] += b;
        }
      }
    }
    return new Tensor(out, outC, n, oh, ow);
  }

  @Override
  public Tensor backward(Tensor gradOut) {
    int np = gradOut.dim(1) * gradOut.dim(2) * gradOut.dim(3);
    int ckk = inC * k * k;
    float[] g = gradOut.data;
    float[] cols = col;
    if (cols == null) {
      if (input == null) {
        throw new IllegalStateException("Conv2d.backward without a training forward");
      }
      cols = scratch(0, ckk * np);
      Im2col.im2col(input, inC, n, h, w, k, stride, pad, cols);
    }
    Parallel.gemmNT(outC, ckk, np, g, 0, np, cols, 0, np, weight.grad, 0, ckk, true);
    if (bias != null) {
      for (int o = 0; o < outC; o++) {
        bias.grad[o] += (float) Kernels.sum(g, o * np, np);
      }
    }
    if (!inputGrad) {
      return null;
    }
    // the columns are no longer needed: their gradient may take the scratch they were in
    float[] dcol = scratch(0, ckk * np);
    // dcol = W^T . dOut
    Parallel.gemm(ckk, np, outC, weight.value, 0, 1, ckk, g, 0, np, dcol, 0, np, false);
    dx = Tensor.reuse(dx, inC * n * h * w);
    java.util.Arrays.fill(dx, 0f);
    Im2col.col2im(dcol, inC, n, h, w, k, stride, pad, dx);
    return new Tensor(dx, inC, n, h, w);
  }

  /** For the tests: the largest unfolded input this layer keeps (bytes). */
  Conv2d keepColumnsBytes(long bytes) {
    keepColumnsBytes = bytes;
    return this;
  }

  /** This thread's scratch buffer i, at least size floats (its first size are used). */
  private static float[] scratch(int i, int size) {
    float[][] s = SCRATCH.get();
    if (s[i] == null || s[i].length < size) {
      s[i] = new float[size];
    }
    return s[i];
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
