package org.reffakd.engine.java;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Unfolds (C, N, H, W) feature maps into a (C*k*k, N*OH*OW) matrix and folds it back
 * (adding), for square kernels with equal stride and padding on both axes. The image-range
 * forms do so for images [n0, n0 + nb) of the N only, into or from a (C*k*k, nb*OH*OW) matrix:
 * the same copies and additions as the whole batch's for those images.
 */
final class Im2col {

  private static final VectorSpecies<Float> S = Kernels.S;
  private static final int L = Kernels.L;
  /** 0, 1, 2, ...: lane indexes, compared with a count to mask a row's tail. */
  private static final float[] IOTA = new float[L];

  static {
    for (int i = 0; i < L; i++) {
      IOTA[i] = i;
    }
  }

  private Im2col() {}

  static int outSize(int in, int k, int stride, int pad) {
    return (in + 2 * pad - k) / stride + 1;
  }

  static void im2col(float[] x, int c, int n, int h, int w, int k, int stride, int pad,
                     float[] col) {
    im2col(x, c, n, 0, n, h, w, k, stride, pad, col);
  }

  /** Images [n0, n0 + nb) of the n in x into col (C*k*k, nb*OH*OW). */
  static void im2col(float[] x, int c, int n, int n0, int nb, int h, int w, int k, int stride,
                     int pad, float[] col) {
    int np = nb * outSize(h, k, stride, pad) * outSize(w, k, stride, pad);
    if (k == 4 && stride == 2) {
      Parallel.forRange(c, (long) k * k * np,
          (c0, c1) -> im2col4s2(x, c0, c1, n, n0, nb, h, w, pad, col));
      return;
    }
    // split over (channel, ky) pairs, each writing its own k rows of col: a single-channel
    // input (a first convolution) splits too
    Parallel.forRange(c * k, (long) k * np,
        (r0, r1) -> im2col(x, r0, r1, n, n0, nb, h, w, k, stride, pad, col));
  }

  /** The rows of the (channel, ky) pairs [r0, r1), pair r = ci * k + ky. */
  private static void im2col(float[] x, int r0, int r1, int nAll, int n0, int n, int h, int w,
                             int k, int stride, int pad, float[] col) {
    int oh = outSize(h, k, stride, pad);
    int ow = outSize(w, k, stride, pad);
    int np = n * oh * ow;
    // this range's rows of col end here: a vector copy may spill past its row only below it
    // (into positions this loop writes later, in order)
    int colEnd = r1 * k * np;
    for (int r = r0; r < r1; r++) {
      int ci = r / k;
      int ky = r % k;
      for (int kx = 0; kx < k; kx++) {
        int row = ((ci * k + ky) * k + kx) * np;
        // valid ox range: 0 <= ox*stride - pad + kx < w
        int oxLo = Math.max(0, ceilDiv(pad - kx, stride));
        int oxHi = Math.min(ow, ceilDiv(w + pad - kx, stride));
        int len = oxHi - oxLo;
        for (int ni = 0; ni < n; ni++) {
          int src = (ci * nAll + n0 + ni) * h * w;
          int dst = row + ni * oh * ow;
          for (int oy = 0; oy < oh; oy++, dst += ow) {
            int iy = oy * stride - pad + ky;
            if (iy < 0 || iy >= h || len <= 0) {
              Arrays.fill(col, dst, dst + ow, 0f);
              continue;
            }
            int s = src + iy * w + oxLo * stride - pad + kx;
            if (stride == 1) {
              copyRow(x, s, col, dst + oxLo, len, colEnd);
            } else {
              for (int ox = oxLo; ox < oxHi; ox++, s += stride) {
                col[dst + ox] = x[s];
              }
            }
            // after the copy, whose vectors may have filled these
            if (oxLo > 0) {
              Arrays.fill(col, dst, dst + oxLo, 0f);
            }
            if (oxHi < ow) {
              Arrays.fill(col, dst + oxHi, dst + ow, 0f);
            }
          }
        }
      }
    }
  }

  /** x += fold(col): the adjoint of {@link #im2col}. x must be zeroed by the caller. */
  static void col2im(float[] col, int c, int n, int h, int w, int k, int stride, int pad,
                     float[] x) {
    col2im(col, c, n, 0, n, h, w, k, stride, pad, x);
  }

  /** x's images [n0, n0 + nb) of the n += fold(col), col (C*k*k, nb*OH*OW). */
  static void col2im(float[] col, int c, int n, int n0, int nb, int h, int w, int k,
                     int stride, int pad, float[] x) {
    int np = nb * outSize(h, k, stride, pad) * outSize(w, k, stride, pad);
    Parallel.forRange(c, (long) k * k * np,
        (c0, c1) -> col2im(col, c0, c1, n, n0, nb, h, w, k, stride, pad, x));
  }

  private static void col2im(float[] col, int c0, int c1, int nAll, int n0, int n, int h,
                             int w, int k, int stride, int pad, float[] x) {
    if (k == 4 && stride == 2) {
      col2im4s2(col, c0, c1, nAll, n0, n, h, w, pad, x);
      return;
    }
    int oh = outSize(h, k, stride, pad);
    int ow = outSize(w, k, stride, pad);
    int np = n * oh * ow;
    for (int ci = c0; ci < c1; ci++) {
      for (int ky = 0; ky < k; ky++) {
        for (int kx = 0; kx < k; kx++) {
          int row = ((ci * k + ky) * k + kx) * np;
          int oxLo = Math.max(0, ceilDiv(pad - kx, stride));
          int oxHi = Math.min(ow, ceilDiv(w + pad - kx, stride));
          if (oxLo >= oxHi) {
            continue;
          }
          int len = oxHi - oxLo;
          for (int ni = 0; ni < n; ni++) {
            int dstImg = (ci * nAll + n0 + ni) * h * w;
            int src = row + ni * oh * ow;
            for (int oy = 0; oy < oh; oy++, src += ow) {
              int iy = oy * stride - pad + ky;
              if (iy < 0 || iy >= h) {
                continue;
              }
              int d = dstImg + iy * w + oxLo * stride - pad + kx;
              if (stride == 1) {
                addRow(col, src + oxLo, x, d, len, dstImg + h * w);
              } else {
                for (int ox = oxLo; ox < oxHi; ox++, d += stride) {
                  x[d] += col[src + ox];
                }
              }
            }
          }
        }
      }
    }
  }

  /**
   * col[d .. d+len) = x[s .. s+len), in whole vectors when they stay below colEnd (the rows past
   * this one that the vectors also fill are written again afterwards, by the same thread, with
   * their own values); short rows (LeNet's 8 to 28) cost a call to arraycopy each otherwise.
   */
  private static void copyRow(float[] x, int s, float[] col, int d, int len, int colEnd) {
    int vecLen = (len + L - 1) / L * L;
    if (d + vecLen > colEnd || s + vecLen > x.length) {
      System.arraycopy(x, s, col, d, len);
      return;
    }
    for (int t = 0; t < len; t += L) {
      FloatVector.fromArray(S, x, s + t).intoArray(col, d + t);
    }
  }

  /**
   * x[d .. d+len) += col[s .. s+len), each element receiving the same single addition as in a
   * scalar loop, in whole vectors where they stay below xEnd (the end of this image plane, which
   * only this thread writes): lanes past the row add +0, which leaves x unchanged (x is a sum
   * started from +0, so never -0).
   */
  private static void addRow(float[] col, int s, float[] x, int d, int len, int xEnd) {
    int t = 0;
    for (; t < len && d + t + L <= xEnd && s + t + L <= col.length; t += L) {
      FloatVector cv = FloatVector.fromArray(S, col, s + t);
      if (len - t < L) {
        cv = cv.blend(0f,
            FloatVector.fromArray(S, IOTA, 0).compare(VectorOperators.GE, len - t));
      }
      FloatVector.fromArray(S, x, d + t).add(cv).intoArray(x, d + t);
    }
    for (; t < len; t++) {
      x[d + t] += col[s + t];
    }
  }

  /*
   * 4x4 kernels with stride 2 (the autoencoder): rows are only 4-16 values long, so instead of
   * one bounds-checked, edge-filled row per (ci, ky, kx, ni, oy), each image plane is first
   * copied into a zero-bordered scratch plane (the padding made explicit), and one branch-free
   * pass per (ky, oy) then serves all four kx rows. Only copies, so the values are those of the
   * general loop.
   */

  /** Rows of the bordered plane that the kernel windows read: (oh - 1) * 2 + 4. */
  private static int paddedSize(int out) {
    return (out - 1) * 2 + 4;
  }

  /**
   * xp (hp x wp) = plane (h x w) at offset (pad, pad), zeros around it; plane rows or columns
   * that no window reads are left out.
   */
  private static void padPlane(float[] x, int src, int h, int w, int pad, float[] xp, int hp,
                               int wp) {
    int len = Math.min(w, wp - pad);
    for (int py = 0; py < hp; py++) {
      int iy = py - pad;
      int d = py * wp;
      if (iy < 0 || iy >= h || len <= 0) {
        Arrays.fill(xp, d, d + wp, 0f);
        continue;
      }
      Arrays.fill(xp, d, d + pad, 0f);
      System.arraycopy(x, src + iy * w, xp, d + pad, len);
      Arrays.fill(xp, d + pad + len, d + wp, 0f);
    }
  }

  private static void im2col4s2(float[] x, int c0, int c1, int nAll, int n0, int n, int h,
                                int w, int pad, float[] col) {
    int oh = outSize(h, 4, 2, pad);
    int ow = outSize(w, 4, 2, pad);
    int hp = paddedSize(oh);
    int wp = paddedSize(ow);
    int np = n * oh * ow;
    float[] xp = new float[hp * wp];
    int ohow = oh * ow;
    // gather path: window offsets (2 oy) * wp + 2 ox of a whole output plane, L at a time
    int vec = ohow - ohow % L;
    int[] idx = null;
    if (vec > 0) {
      idx = new int[vec];
      for (int j = 0; j < vec; j++) {
        idx[j] = (j / ow) * 2 * wp + 2 * (j % ow);
      }
    }
    for (int ci = c0; ci < c1; ci++) {
      for (int ni = 0; ni < n; ni++) {
        padPlane(x, (ci * nAll + n0 + ni) * h * w, h, w, pad, xp, hp, wp);
        if (vec == ohow) {
          for (int ky = 0; ky < 4; ky++) {
            for (int kx = 0; kx < 4; kx++) {
              int r = ((ci * 4 + ky) * 4 + kx) * np + ni * ohow;
              int src = ky * wp + kx;
              for (int j = 0; j < vec; j += L) {
                FloatVector.fromArray(S, xp, src, idx, j).intoArray(col, r + j);
              }
            }
          }
          continue;
        }
        for (int ky = 0; ky < 4; ky++) {
          int r0 = (ci * 4 + ky) * 4 * np + ni * oh * ow;
          int r1 = r0 + np;
          int r2 = r1 + np;
          int r3 = r2 + np;
          for (int oy = 0; oy < oh; oy++) {
            int b = (oy * 2 + ky) * wp;
            int o = oy * ow;
            for (int ox = 0; ox < ow; ox++) {
              int p = b + 2 * ox;
              col[r0 + o + ox] = xp[p];
              col[r1 + o + ox] = xp[p + 1];
              col[r2 + o + ox] = xp[p + 2];
              col[r3 + o + ox] = xp[p + 3];
            }
          }
        }
      }
    }
  }

  /**
   * The adjoint of {@link #im2col4s2}: the plane is copied into the bordered scratch, the columns
   * are added there, and the interior is copied back. Each element receives its additions in the
   * general loop's order, ky then kx ascending: within a (ky, oy) pass, position 2 * ox + kx gets
   * kx = 0/1 from column ox and kx = 2/3 from column ox - 1, so columns are walked downwards.
   */
  private static void col2im4s2(float[] col, int c0, int c1, int nAll, int n0, int n, int h,
                                int w, int pad, float[] x) {
    int oh = outSize(h, 4, 2, pad);
    int ow = outSize(w, 4, 2, pad);
    int hp = paddedSize(oh);
    int wp = paddedSize(ow);
    int np = n * oh * ow;
    int rowsIn = Math.min(h, hp - pad);
    int len = Math.min(w, wp - pad);
    float[] xp = new float[hp * wp];
    for (int ci = c0; ci < c1; ci++) {
      for (int ni = 0; ni < n; ni++) {
        int plane = (ci * nAll + n0 + ni) * h * w;
        padPlane(x, plane, h, w, pad, xp, hp, wp);
        for (int ky = 0; ky < 4; ky++) {
          int r0 = (ci * 4 + ky) * 4 * np + ni * oh * ow;
          int r1 = r0 + np;
          int r2 = r1 + np;
          int r3 = r2 + np;
          for (int oy = 0; oy < oh; oy++) {
            int b = (oy * 2 + ky) * wp;
            int o = oy * ow;
            for (int ox = ow - 1; ox >= 0; ox--) {
              int p = b + 2 * ox;
              xp[p] += col[r0 + o + ox];
              xp[p + 1] += col[r1 + o + ox];
              xp[p + 2] += col[r2 + o + ox];
              xp[p + 3] += col[r3 + o + ox];
            }
          }
        }
        if (len > 0) {
          for (int iy = 0; iy < rowsIn; iy++) {
            System.arraycopy(xp, (iy + pad) * wp + pad, x, plane + iy * w, len);
          }
        }
      }
    }
  }

  private static int ceilDiv(int a, int b) {
    return -Math.floorDiv(-a, b);
  }
}
