package org.reffakd.engine.java;

import java.util.List;
import java.util.Random;

/** Fully connected layer on (N, in) rows: y = x W + b, W stored (in, out). */
public final class Linear implements Layer {

  private final int in;
  private final int outF;
  private final Param weight;
  private final Param bias;
  private boolean inputGrad = true;
  private Tensor input;
  private float[] out;
  private float[] dx;

  public Linear(int in, int out, Random rng) {
    this.in = in;
    this.outF = out;
    this.weight = new Param("weight", in * out);
    this.bias = new Param("bias", out);
    Init.uniformFanIn(weight.value, in, rng);
    Init.uniformFanIn(bias.value, in, rng);
  }

  @Override
  public Tensor forward(Tensor x, boolean training) {
    if (x.shape.length != 2 || x.dim(1) != in) {
      throw new IllegalArgumentException("Linear(" + in + ", " + outF + ") got " + x);
    }
    input = x;
    int n = x.dim(0);
    out = Tensor.reuse(out, n * outF);
    for (int i = 0; i < n; i++) {
      System.arraycopy(bias.value, 0, out, i * outF, outF);
    }
    Parallel.gemm(n, outF, in, x.data, 0, in, 1, weight.value, 0, outF, out, 0, outF, true);
    return new Tensor(out, n, outF);
  }

  @Override
  public Tensor backward(Tensor gradOut) {
    int n = input.dim(0);
    float[] g = gradOut.data;
    // dW (in, out) += x^T . dy
    Parallel.gemm(in, outF, n, input.data, 0, 1, in, g, 0, outF, weight.grad, 0, outF, true);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < outF; j++) {
        bias.grad[j] += g[i * outF + j];
      }
    }
    if (!inputGrad) {
      return null;
    }
    dx = Tensor.reuse(dx, n * in);
    // dx (n, in) = dy . W^T
    Parallel.gemmNT(n, in, outF, g, 0, outF, weight.value, 0, outF, dx, 0, in, false);
    return new Tensor(dx, n, in);
  }

  @Override
  public long macsPerSample() {
    return (long) in * outF;
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
