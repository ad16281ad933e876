package org.reffakd.engine.java;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/** Element-wise ReLU or sigmoid; backward uses the saved output. */
public final class Activation implements Layer {

  public enum Kind { RELU, SIGMOID }

  private final Kind kind;
  private float[] out;
  private float[] dx; // this backward's input gradient (an array of gradients')
  private int[] shape;
  private boolean overwriteInput;
  private final InputGradient gradients = new InputGradient();

  private Activation(Kind kind) {
    this.kind = kind;
  }

  public static Activation relu() {
    return new Activation(Kind.RELU);
  }

  public static Activation sigmoid() {
    return new Activation(Kind.SIGMOID);
  }

  /**
   * Saves memory by working in place (element by element, so the same results): with
   * {@code input}, the output (kept for the backward) is written over the input's array, which
   * its producer must not need again (a batch norm's output feeding only this layer); with
   * {@code grad}, the backward writes the input gradient over {@code gradOut}'s array, which
   * nothing may read afterwards.
   */
  public Activation overwriting(boolean input, boolean grad) {
    overwriteInput = input;
    gradients.overwrite(grad);
    return this;
  }

  /**
   * The backward writes the input gradient into {@code into} (shared with other layers whose
   * backward runs at other times) instead of an array of its own.
   */
  Activation gradientInto(SharedArray into) {
    gradients.share(into);
    return this;
  }

  @Override
  public Tensor forward(Tensor x, boolean training) {
    int size = x.size();
    shape = x.shape;
    out = overwriteInput ? x.data : Tensor.reuse(out, size);
    float[] xs = x.data;
    // element-wise: split over the compute threads in blocks of 4096 values
    int blocks = (size + BLOCK - 1) / BLOCK;
    Parallel.forRange(blocks, kind == Kind.RELU ? 2L * BLOCK : 16L * BLOCK, (b0, b1) -> {
      int from = b0 * BLOCK;
      int to = Math.min(size, b1 * BLOCK);
      if (kind == Kind.RELU) {
        for (int i = from; i < to; i++) {
          out[i] = Math.max(xs[i], 0f);
        }
      } else {
        for (int i = from; i < to; i++) {
          out[i] = (float) (1.0 / (1.0 + Math.exp(-xs[i])));
        }
      }
    });
    return new Tensor(out, shape);
  }

  @Override
  public Tensor backward(Tensor gradOut) {
    int size = gradOut.size();
    float[] g = gradOut.data;
    dx = gradients.array(g, size);
    int blocks = (size + BLOCK - 1) / BLOCK;
    Parallel.forRange(blocks, 2L * BLOCK, (b0, b1) -> backward(g, b0 * BLOCK,
        Math.min(size, b1 * BLOCK)));
    Tensor t = new Tensor(dx, shape);
    dx = null;
    return t;
  }

  private static final int BLOCK = 4096;

  private void backward(float[] g, int from, int to) {
    if (kind == Kind.RELU) {
      // dx = out > 0 ? g : 0, a masked blend (a data-dependent branch per element otherwise)
      FloatVector zero = FloatVector.zero(Kernels.S);
      int i = from;
      for (int end = to - (to - from) % Kernels.L; i < end; i += Kernels.L) {
        VectorMask<Float> pos = FloatVector.fromArray(Kernels.S, out, i)
            .compare(VectorOperators.GT, 0f);
        zero.blend(FloatVector.fromArray(Kernels.S, g, i), pos).intoArray(dx, i);
      }
      for (; i < to; i++) {
        dx[i] = out[i] > 0f ? g[i] : 0f;
      }
    } else {
      for (int i = from; i < to; i++) {
        float y = out[i];
        dx[i] = g[i] * y * (1f - y);
      }
    }
  }
}
