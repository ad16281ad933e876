package org.reffakd.nn.engine;

/** Max pooling with a k x k window and stride k (no padding) on (C, N, H, W) maps. */
public final class MaxPool2d implements Layer {

  private final int k;
  private int[] inShape;
  private int[] argmax;
  private float[] out;
  private float[] dx;

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

  @Override
  public Tensor backward(Tensor gradOut) {
    int size = inShape[0] * inShape[1] * inShape[2] * inShape[3];
    dx = Tensor.reuse(dx, size);
    java.util.Arrays.fill(dx, 0f);
    float[] g = gradOut.data;
    int n = gradOut.size();
    for (int i = 0; i < n; i++) {
      dx[argmax[i]] += g[i];
    }
    return new Tensor(dx, inShape);
  }
}
