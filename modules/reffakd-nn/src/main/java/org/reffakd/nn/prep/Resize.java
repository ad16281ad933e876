package org.reffakd.nn.prep;

/**
 * Bilinear resize of one plane with half-pixel centres and edge clamping (the convention of
 * PIL's and torchvision's bilinear resize when enlarging, as 28x28 -> 32x32 does).
 */
final class Resize {

  private Resize() {}

  static Plan plan(int h, int w, int oh, int ow) {
    return new Plan(h, w, oh, ow);
  }

  static final class Plan {
    final int w;
    final int oh;
    final int ow;
    final int[] y0;
    final int[] y1;
    final float[] fy;
    final int[] x0;
    final int[] x1;
    final float[] fx;

    Plan(int h, int w, int oh, int ow) {
      this.w = w;
      this.oh = oh;
      this.ow = ow;
      y0 = new int[oh];
      y1 = new int[oh];
      fy = new float[oh];
      x0 = new int[ow];
      x1 = new int[ow];
      fx = new float[ow];
      axis(h, oh, y0, y1, fy);
      axis(w, ow, x0, x1, fx);
    }

    private static void axis(int in, int out, int[] i0, int[] i1, float[] f) {
      double scale = (double) in / out;
      for (int o = 0; o < out; o++) {
        double src = (o + 0.5) * scale - 0.5;
        src = Math.max(0, Math.min(in - 1, src));
        int lo = (int) Math.floor(src);
        int hi = Math.min(in - 1, lo + 1);
        i0[o] = lo;
        i1[o] = hi;
        f[o] = (float) (src - lo);
      }
    }

    void apply(float[] plane, float[] out, int off) {
      for (int y = 0; y < oh; y++) {
        int r0 = y0[y] * w;
        int r1 = y1[y] * w;
        float wy = fy[y];
        for (int x = 0; x < ow; x++) {
          float wx = fx[x];
          float top = plane[r0 + x0[x]] * (1 - wx) + plane[r0 + x1[x]] * wx;
          float bot = plane[r1 + x0[x]] * (1 - wx) + plane[r1 + x1[x]] * wx;
          out[off + y * ow + x] = top * (1 - wy) + bot * wy;
        }
      }
    }
  }
}
