package org.reffakd.nn.engine;

import java.util.List;
import java.util.Random;

/** 2-D convolution on (C, N, H, W) maps by im2col and one matrix product per batch. */
public final class Conv2d implements Layer {

  private final int inC;
  private final int outC;
  private final int k;
  private final int stride;
  private final int pad;
  private final Param weight; // (outC, inC*k*k)
  private final Param bias;   // may be null
  private boolean inputGrad = true;

  private int n;
  private int h;
  private int w;
  private float[] col;
  private float[] out;
  private float[] dcol;
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
    col = Tensor.reuse(col, ckk * np);
    Im2col.im2col(x.data, inC, n, h, w, k, stride, pad, col);
    out = Tensor.reuse(out, outC * np);
    Parallel.gemm(outC, np, ckk, weight.value, 0, ckk, 1, col, 0, np, out, 0, np, false);
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
    Parallel.gemmNT(outC, ckk, np, g, 0, np, col, 0, np, weight.grad, 0, ckk, true);
    if (bias != null) {
      for (int o = 0; o < outC; o++) {
        bias.grad[o] += (float) Kernels.sum(g, o * np, np);
      }
    }
    if (!inputGrad) {
      return null;
    }
    dcol = Tensor.reuse(dcol, ckk * np);
    // dcol = W^T . dOut
    Parallel.gemm(ckk, np, outC, weight.value, 0, 1, ckk, g, 0, np, dcol, 0, np, false);
    dx = Tensor.reuse(dx, inC * n * h * w);
    java.util.Arrays.fill(dx, 0f);
    Im2col.col2im(dcol, inC, n, h, w, k, stride, pad, dx);
    return new Tensor(dx, inC, n, h, w);
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
