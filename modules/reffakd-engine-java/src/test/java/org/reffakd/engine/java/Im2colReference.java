package org.reffakd.engine.java;

import java.util.Arrays;

/**
 * The im2col/col2im of before the vectorised copies (a verbatim copy), the bitwise reference of
 * {@link Im2colTest}. Unfolds (C, N, H, W) feature maps into a (C*k*k, N*OH*OW) matrix and folds it back
 * (adding), for square kernels with equal stride and padding on both axes.
 */
final class Im2colReference {

  private Im2colReference() {}

  static int outSize(int in, int k, int stride, int pad) {
    return (in + 2 * pad - k) / stride + 1;
  }

  static void im2col(float[] x, int c, int n, int h, int w, int k, int stride, int pad,
                     float[] col) {
    int np = n * outSize(h, k, stride, pad) * outSize(w, k, stride, pad);
    Parallel.forRange(c, (long) k * k * np,
        (c0, c1) -> im2col(x, c0, c1, n, h, w, k, stride, pad, col));
  }

  private static void im2col(float[] x, int c0, int c1, int n, int h, int w, int k, int stride,
                             int pad, float[] col) {
    int oh = outSize(h, k, stride, pad);
    int ow = outSize(w, k, stride, pad);
    int np = n * oh * ow;
    for (int ci = c0; ci < c1; ci++) {
      for (int ky = 0; ky < k; ky++) {
        for (int kx = 0; kx < k; kx++) {
          int row = ((ci * k + ky) * k + kx) * np;
          // valid ox range: 0 <= ox*stride - pad + kx < w
          int oxLo = Math.max(0, ceilDiv(pad - kx, stride));
          int oxHi = Math.min(ow, ceilDiv(w + pad - kx, stride));
          for (int ni = 0; ni < n; ni++) {
            int src = (ci * n + ni) * h * w;
            int dst = row + ni * oh * ow;
            for (int oy = 0; oy < oh; oy++, dst += ow) {
              int iy = oy * stride - pad + ky;
              if (iy < 0 || iy >= h || oxLo >= oxHi) {
                Arrays.fill(col, dst, dst + ow, 0f);
                continue;
              }
              if (oxLo > 0) {
                Arrays.fill(col, dst, dst + oxLo, 0f);
              }
              if (oxHi < ow) {
                Arrays.fill(col, dst + oxHi, dst + ow, 0f);
              }
              int s = src + iy * w + oxLo * stride - pad + kx;
              if (stride == 1) {
                System.arraycopy(x, s, col, dst + oxLo, oxHi - oxLo);
              } else {
                for (int ox = oxLo; ox < oxHi; ox++, s += stride) {
                  col[dst + ox] = x[s];
                }
              }
            }
          }
        }
      }
    }
  }

  /** x += fold(col): the adjoint of {@link #im2col}. x must be zeroed by the caller. */
  static void col2im(float[] col, int c, int n, int h, int w, int k, int stride, int pad,
                     float[] x) {
    int np = n * outSize(h, k, stride, pad) * outSize(w, k, stride, pad);
    Parallel.forRange(c, (long) k * k * np,
        (c0, c1) -> col2im(col, c0, c1, n, h, w, k, stride, pad, x));
  }

  private static void col2im(float[] col, int c0, int c1, int n, int h, int w, int k,
                             int stride, int pad, float[] x) {
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
          for (int ni = 0; ni < n; ni++) {
            int dstImg = (ci * n + ni) * h * w;
            int src = row + ni * oh * ow;
            for (int oy = 0; oy < oh; oy++, src += ow) {
              int iy = oy * stride - pad + ky;
              if (iy < 0 || iy >= h) {
                continue;
              }
              int d = dstImg + iy * w + oxLo * stride - pad + kx;
              if (stride == 1) {
                int len = oxHi - oxLo;
                int s0 = src + oxLo;
                for (int t = 0; t < len; t++) {
                  x[d + t] += col[s0 + t];
                }
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

  private static int ceilDiv(int a, int b) {
    return -Math.floorDiv(-a, b);
  }
}
