package org.reffakd.engine.java;

import java.util.List;

/**
 * Batch normalisation over (C, N, H, W) maps, per channel, as PyTorch's BatchNorm2d:
 * batch statistics (biased variance) in training, running statistics (momentum 0.1, unbiased
 * variance) in evaluation, eps 1e-5, affine weight 1 and bias 0 at start.
 */
public final class BatchNorm2d implements Layer {

  private static final float EPS = 1e-5f;
  private static final float MOMENTUM = 0.1f;

  private final int channels;
  private final Param gamma;
  private final Param beta;
  private final float[] runningMean;
  private final float[] runningVar;

  private float[] xhat;
  private float[] out;
  private float[] dx; // this backward's input gradient (an array of gradients')
  private final float[] invStd;
  private int[] shape;
  private boolean overwriteInput;
  private final InputGradient gradients = new InputGradient();

  public BatchNorm2d(int channels) {
    this.channels = channels;
    this.gamma = new Param("weight", channels);
    this.beta = new Param("bias", channels);
    java.util.Arrays.fill(gamma.value, 1f);
    this.runningMean = new float[channels];
    this.runningVar = new float[channels];
    java.util.Arrays.fill(runningVar, 1f);
    this.invStd = new float[channels];
  }

  /**
   * Saves memory by writing into arrays this layer does not own (the same arithmetic, so the
   * same results): with {@code input}, a training forward writes its normalised input (kept for
   * the backward) over the input's array, which the producer of the input must not need again
   * (a convolution's output feeding only this layer); with {@code grad}, the backward writes
   * the input gradient over {@code gradOut}'s array, which nothing may read afterwards.
   */
  public BatchNorm2d overwriting(boolean input, boolean grad) {
    overwriteInput = input;
    gradients.overwrite(grad);
    return this;
  }

  /**
   * The backward writes the input gradient into {@code into} (shared with other layers whose
   * backward runs at other times) instead of an array of its own.
   */
  BatchNorm2d gradientInto(SharedArray into) {
    gradients.share(into);
    return this;
  }

  @Override
  public Tensor forward(Tensor x, boolean training) {
    if (x.dim(0) != channels) {
      throw new IllegalArgumentException("BatchNorm2d(" + channels + ") got " + x);
    }
    shape = x.shape;
    int m = x.size() / channels;
    out = Tensor.reuse(out, x.size());
    if (training) {
      xhat = overwriteInput ? x.data : Tensor.reuse(xhat, x.size());
    }
    float[] xs = x.data;
    // channels are independent: split over the compute threads (same arithmetic per channel)
    Parallel.forRange(channels, 4L * m, (c0, c1) -> forward(xs, m, training, c0, c1));
    return new Tensor(out, shape);
  }

  private void forward(float[] xs, int m, boolean training, int c0, int c1) {
    for (int c = c0; c < c1; c++) {
      int off = c * m;
      float mean;
      float var;
      if (training) {
        mean = (float) (Kernels.sum(xs, off, m) / m);
        double ss = Kernels.sumSqDev(xs, off, m, mean);
        var = (float) (ss / m);
        runningMean[c] = (1 - MOMENTUM) * runningMean[c] + MOMENTUM * mean;
        float unbiased = m > 1 ? (float) (ss / (m - 1)) : var;
        runningVar[c] = (1 - MOMENTUM) * runningVar[c] + MOMENTUM * unbiased;
      } else {
        mean = runningMean[c];
        var = runningVar[c];
      }
      float is = (float) (1.0 / Math.sqrt(var + EPS));
      invStd[c] = is;
      float g = gamma.value[c];
      float b = beta.value[c];
      if (training) {
        for (int i = off; i < off + m; i++) {
          float xh = (xs[i] - mean) * is;
          xhat[i] = xh;
          out[i] = g * xh + b;
        }
      } else {
        float scale = g * is;
        float shift = b - mean * scale;
        for (int i = off; i < off + m; i++) {
          out[i] = xs[i] * scale + shift;
        }
      }
    }
  }

  @Override
  public Tensor backward(Tensor gradOut) {
    int size = gradOut.size();
    int m = size / channels;
    float[] dy = gradOut.data;
    // in place: per channel, both sums are taken before the channel's dx is written
    dx = gradients.array(dy, size);
    Parallel.forRange(channels, 4L * m, (c0, c1) -> backward(dy, m, c0, c1));
    Tensor t = new Tensor(dx, shape);
    dx = null;
    return t;
  }

  private void backward(float[] dy, int m, int c0, int c1) {
    double[] sums = new double[2];
    for (int c = c0; c < c1; c++) {
      int off = c * m;
      // one pass for both sums (the same values as Kernels.sum and Kernels.dot)
      Kernels.sumAndDot(dy, xhat, off, m, sums);
      double sumDy = sums[0];
      double sumDyXh = sums[1];
      gamma.grad[c] += (float) sumDyXh;
      beta.grad[c] += (float) sumDy;
      float k1 = gamma.value[c] * invStd[c];
      float meanDy = (float) (sumDy / m);
      float meanDyXh = (float) (sumDyXh / m);
      for (int i = off; i < off + m; i++) {
        dx[i] = k1 * (dy[i] - meanDy - xhat[i] * meanDyXh);
      }
    }
  }

  @Override
  public List<Param> params() {
    return List.of(gamma, beta);
  }

  @Override
  public List<String> bufferNames() {
    return List.of("running_mean", "running_var");
  }

  @Override
  public List<float[]> buffers() {
    return List.of(runningMean, runningVar);
  }
}
