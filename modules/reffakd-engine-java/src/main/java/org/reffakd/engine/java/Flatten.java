package org.reffakd.engine.java;

/**
 * (C, N, H, W) maps to (N, C*H*W) rows, each row in PyTorch's flatten order (c, y, x).
 */
public final class Flatten implements Layer {

  private int[] inShape;
  private float[] out;
  private float[] dx;

  /** Copies one batch of (C, N, H, W) maps into (N, C*H*W) rows. */
  public static void toRows(float[] x, int c, int n, int hw, float[] rows) {
    for (int ci = 0; ci < c; ci++) {
      for (int ni = 0; ni < n; ni++) {
        System.arraycopy(x, (ci * n + ni) * hw, rows, (ni * c + ci) * hw, hw);
      }
    }
  }

  @Override
  public Tensor forward(Tensor x, boolean training) {
    inShape = x.shape;
    int c = x.dim(0);
    int n = x.dim(1);
    int hw = x.dim(2) * x.dim(3);
    out = Tensor.reuse(out, c * n * hw);
    toRows(x.data, c, n, hw, out);
    return new Tensor(out, n, c * hw);
  }

  @Override
  public Tensor backward(Tensor gradOut) {
    int c = inShape[0];
    int n = inShape[1];
    int hw = inShape[2] * inShape[3];
    dx = Tensor.reuse(dx, c * n * hw);
    float[] g = gradOut.data;
    for (int ci = 0; ci < c; ci++) {
      for (int ni = 0; ni < n; ni++) {
        System.arraycopy(g, (ni * c + ci) * hw, dx, (ci * n + ni) * hw, hw);
      }
    }
    return new Tensor(dx, inShape);
  }
}
