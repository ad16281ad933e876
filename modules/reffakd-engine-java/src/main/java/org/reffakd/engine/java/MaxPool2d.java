package org.reffakd.engine.java;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Max pooling with a k x k window and stride k (no padding) on (C, N, H, W) maps. */
public final class MaxPool2d implements Layer {

  private final int k;
  private int[] inShape;
  private int[] argmax;
  private float[] out;
  private float[] dx;
  /** Gather tables of {@link #forward2x2}, for the plane size they were built for. */
  private int tableH = -1;
  private int tableW = -1;
  private int[] winIdx;
  private float[] winIdxF;

  public MaxPool2d(int k) {
    this.k = k;
  }

  @Override
  public Tensor forward(Tensor x, boolean training) {
    inShape = x.shape;
    int planes = x.dim(0) * x.dim(1);
    int h = x.dim(2);
    int w = x.dim(3);
    int oh = h / k;
    int ow = w / k;
    out = Tensor.reuse(out, planes * oh * ow);
    argmax = argmax != null && argmax.length == out.length ? argmax : new int[out.length];
    float[] xs = x.data;
    if (k == 2 && h % 2 == 0 && w % 2 == 0) {
      Parallel.forRange(planes, 4L * h * w, (p0, p1) -> forward2x2(xs, p0, p1, h, w));
      return new Tensor(out, x.dim(0), x.dim(1), oh, ow);
    }
    int o = 0;
    for (int p = 0; p < planes; p++) {
      int base = p * h * w;
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++, o++) {
          int best = base + oy * k * w + ox * k;
          float bv = xs[best];
          for (int dy = 0; dy < k; dy++) {
            int row = base + (oy * k + dy) * w + ox * k;
            for (int dxi = 0; dxi < k; dxi++) {
              float v = xs[row + dxi];
              if (v > bv) {
                bv = v;
                best = row + dxi;
              }
            }
          }
          out[o] = bv;
          argmax[o] = best;
        }
      }
    }
    return new Tensor(out, x.dim(0), x.dim(1), oh, ow);
  }

  /**
   * The 2 x 2 window without data-dependent branches (the comparisons of random activations
   * are unpredictable): the same scan order and strict comparison as the general loop, so the
   * same maximum and the same (first) argmax.
   */
  private void forward2x2(float[] xs, int p0, int p1, int h, int w) {
    int p = forward2x2Vector(xs, p0, p1, h, w);
    forward2x2Scalar(xs, p, p1, h, w);
  }

  private static final VectorSpecies<Float> S = Kernels.S;
  private static final int L = Kernels.L;

  /**
   * Groups of G planes (G * outputs-per-plane a multiple of L) in whole vectors: L windows at a
   * time, their four values gathered through a table of window offsets and compared in the
   * scalar loop's order with the same strict comparison (so NaN and signed zeros resolve the
   * same way); the argmax is carried as the float 2^23 + index (exact while the index is below
   * 2^23), whose bits are 0x4B000000 + index: reinterpreted as ints rather than converted (the
   * float-to-int conversion has no intrinsic on JDK 17 and fell back to a per-lane loop).
   * Returns the first plane left to the scalar loop.
   */
  private int forward2x2Vector(float[] xs, int p0, int p1, int h, int w) {
    int ohow = (h / 2) * (w / 2);
    int g = L / gcd(ohow, L);
    int span = g * ohow;
    if (L < 4 || p1 - p0 < g || (long) g * h * w >= (1 << 23)) {
      return p0;
    }
    int[] idx;
    float[] idxF;
    synchronized (this) {
      if (tableH != h || tableW != w || winIdx.length != span) {
        int[] ti = new int[span];
        float[] tf = new float[span];
        int ow = w / 2;
        for (int j = 0; j < span; j++) {
          int q = j % ohow;
          ti[j] = (j / ohow) * h * w + (q / ow) * 2 * w + 2 * (q % ow);
          tf[j] = ti[j] + MAGIC; // exact: ti[j] < 2^23
        }
        winIdx = ti;
        winIdxF = tf;
        tableH = h;
        tableW = w;
      }
      idx = winIdx;
      idxF = winIdxF;
    }
    float one = 1f;
    float fw = w;
    float fw1 = w + 1;
    int p = p0;
    for (; p + g <= p1; p += g) {
      int base = p * h * w;
      int ob = p * ohow;
      for (int j = 0; j < span; j += L) {
        FloatVector bv = FloatVector.fromArray(S, xs, base, idx, j);
        FloatVector f0 = FloatVector.fromArray(S, idxF, j);
        FloatVector bi = f0;
        FloatVector v = FloatVector.fromArray(S, xs, base + 1, idx, j);
        VectorMask<Float> t = v.compare(VectorOperators.GT, bv);
        bv = bv.blend(v, t);
        bi = bi.blend(f0.add(one), t);
        v = FloatVector.fromArray(S, xs, base + w, idx, j);
        t = v.compare(VectorOperators.GT, bv);
        bv = bv.blend(v, t);
        bi = bi.blend(f0.add(fw), t);
        v = FloatVector.fromArray(S, xs, base + w + 1, idx, j);
        t = v.compare(VectorOperators.GT, bv);
        bv = bv.blend(v, t);
        bi = bi.blend(f0.add(fw1), t);
        bv.intoArray(out, ob + j);
        bi.reinterpretAsInts().add(base - MAGIC_BITS).intoArray(argmax, ob + j);
      }
    }
    return p;
  }

  /** 2^23 and its bits: 2^23 + i for an integer 0 <= i < 2^23 has the bits MAGIC_BITS + i. */
  private static final float MAGIC = 8388608f;
  private static final int MAGIC_BITS = 0x4B000000;

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  private void forward2x2Scalar(float[] xs, int p0, int p1, int h, int w) {
    int ow = w / 2;
    int o = p0 * (h / 2) * ow;
    for (int p = p0; p < p1; p++) {
      int base = p * h * w;
      for (int r0 = base; r0 < base + h * w; r0 += 2 * w) {
        int r1 = r0 + w;
        for (int ox = 0; ox < ow; ox++, o++) {
          int i0 = r0 + 2 * ox;
          int i1 = r1 + 2 * ox;
          float bv = xs[i0];
          int best = i0;
          float v = xs[i0 + 1];
          boolean t = v > bv;
          bv = t ? v : bv;
          best = t ? i0 + 1 : best;
          v = xs[i1];
          t = v > bv;
          bv = t ? v : bv;
          best = t ? i1 : best;
          v = xs[i1 + 1];
          t = v > bv;
          bv = t ? v : bv;
          best = t ? i1 + 1 : best;
          out[o] = bv;
          argmax[o] = best;
        }
      }
    }
  }

  @Override
  public Tensor backward(Tensor gradOut) {
    int size = inShape[0] * inShape[1] * inShape[2] * inShape[3];
    dx = Tensor.reuse(dx, size);
    float[] g = gradOut.data;
    // a window's argmax lies in its own plane: split over planes
    int planes = inShape[0] * inShape[1];
    int inPlane = inShape[2] * inShape[3];
    int outPlane = gradOut.size() / planes;
    Parallel.forRange(planes, 2L * inPlane, (p0, p1) -> {
      java.util.Arrays.fill(dx, p0 * inPlane, p1 * inPlane, 0f);
      for (int i = p0 * outPlane; i < p1 * outPlane; i++) {
        dx[argmax[i]] += g[i];
      }
    });
    return new Tensor(dx, inShape);
  }
}
