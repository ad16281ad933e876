package org.reffakd.engine.java;

import java.util.Arrays;

/**
 * A dense float tensor: a flat array plus a shape. Feature maps use the layout
 * (C, N, H, W), channel-major over the whole batch, so that a convolution is one large matrix
 * product and batch norm reads each channel as one contiguous block. Dense activations use
 * (N, F). The array may be longer than the shape needs (buffers are reused between batches).
 */
public final class Tensor {

  public final float[] data;
  public final int[] shape;

  public Tensor(float[] data, int... shape) {
    this.data = data;
    this.shape = shape.clone();
    if (data.length < size()) {
      throw new IllegalArgumentException("array of " + data.length + " floats for shape "
          + Arrays.toString(shape));
    }
  }

  public int size() {
    long n = 1;
    for (int s : shape) {
      n *= s;
    }
    return Math.toIntExact(n);
  }

  public int dim(int i) {
    return shape[i];
  }

  /** A buffer of exactly {@code size} floats: {@code old} when it already has that size. */
  static float[] reuse(float[] old, int size) {
    return old != null && old.length == size ? old : new float[size];
  }

  @Override
  public String toString() {
    return "Tensor" + Arrays.toString(shape);
  }
}
