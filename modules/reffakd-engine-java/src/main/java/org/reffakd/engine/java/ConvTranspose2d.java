package org.reffakd.engine.java;

import java.util.List;
import java.util.Random;

/**
 * Transposed 2-D convolution (PyTorch's ConvTranspose2d, weight shape (inC, outC, k, k)):
 * out = fold(W^T . x), the adjoint of a convolution with the same kernel, stride and padding.
 */
public final class ConvTranspose2d implements Layer {

  private final int inC;
  private final int outC;
  private final int k;
  private final int stride;
  private final int pad;
  private final Param weight; // (inC, outC*k*k)
  private final Param bias;
  private boolean inputGrad = true;

  private Tensor input;
  private int oh;
  private int ow;
  private float[] col;
  private float[] out;
  private float[] dx;

  public ConvTranspose2d(int inC, int outC, int k, int stride, int pad, Random rng) {
    this.inC = inC;
    this.outC = outC;
    this.k = k;
    this.stride = stride;
    this.pad = pad;
    this.weight = new Param("weight", inC * outC * k * k);
    // PyTorch computes fan-in of a transposed conv weight from dim 1: outC*k*k
    Init.uniformFanIn(weight.value, outC * k * k, rng);
    this.bias = new Param("bias", outC);
    Init.uniformFanIn(bias.value, outC * k * k, rng);
  }

  @Override
  public Tensor forward(Tensor x, boolean training) {
    if (x.shape.length != 4 || x.dim(0) != inC) {
      throw new IllegalArgumentException("ConvTranspose2d expects (" + inC
          + ", N, H, W) input, got " + x);
    }
    input = x;
    int n = x.dim(1);
    int h = x.dim(2);
    int w = x.dim(3);
    oh = (h - 1) * stride - 2 * pad + k;
    ow = (w - 1) * stride - 2 * pad + k;
    int nhw = n * h * w;
    int okk = outC * k * k;
    macs = (long) okk * inC * h * w;
    col = Tensor.reuse(col, okk * nhw);
    Parallel.gemm(okk, nhw, inC, weight.value, 0, 1, okk, x.data, 0, nhw, col, 0, nhw, false);
    out = Tensor.reuse(out, outC * n * oh * ow);
    java.util.Arrays.fill(out, 0f);
    Im2col.col2im(col, outC, n, oh, ow, k, stride, pad, out);
    int plane = n * oh * ow;
    for (int o = 0; o < outC; o++) {
      float b = bias.value[o];
      int off = o * plane;
      for (int i = 0; i < plane; i++) {
        out[off + i] += b;
      }
    }
    return new Tensor(out, outC, n, oh, ow);
  }

  @Override
  public Tensor backward(Tensor gradOut) {
    int n = input.dim(1);
    int h = input.dim(2);
    int w = input.dim(3);
    int nhw = n * h * w;
    int okk = outC * k * k;
    int plane = n * oh * ow;
    for (int o = 0; o < outC; o++) {
      bias.grad[o] += (float) Kernels.sum(gradOut.data, o * plane, plane);
    }
    // col is no longer needed: reuse it for im2col(dOut)
    Im2col.im2col(gradOut.data, outC, n, oh, ow, k, stride, pad, col);
    Parallel.gemmNT(inC, okk, nhw, input.data, 0, nhw, col, 0, nhw, weight.grad, 0, okk, true);
    if (!inputGrad) {
      return null;
    }
    dx = Tensor.reuse(dx, inC * nhw);
    Parallel.gemm(inC, nhw, okk, weight.value, 0, okk, 1, col, 0, nhw, dx, 0, nhw, false);
    return new Tensor(dx, inC, n, h, w);
  }

  private long macs;

  @Override
  public long macsPerSample() {
    return macs;
  }

  @Override
  public List<Param> params() {
    return List.of(weight, bias);
  }

  @Override
  public void setInputGradRequired(boolean required) {
    inputGrad = required;
  }
}
