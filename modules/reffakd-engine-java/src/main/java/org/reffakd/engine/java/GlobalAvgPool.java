package org.reffakd.engine.java;

/** Average over H and W of (C, N, H, W) maps, giving (N, C) rows. */
public final class GlobalAvgPool implements Layer {

  private int[] inShape;
  private float[] out;
  private float[] dx;

  @Override
  public Tensor forward(Tensor x, boolean training) {
    inShape = x.shape;
    int c = x.dim(0);
    int n = x.dim(1);
    int hw = x.dim(2) * x.dim(3);
    out = Tensor.reuse(out, n * c);
    for (int ci = 0; ci < c; ci++) {
      for (int ni = 0; ni < n; ni++) {
        out[ni * c + ci] = (float) (Kernels.sum(x.data, (ci * n + ni) * hw, hw) / hw);
      }
    }
    return new Tensor(out, n, c);
  }

  @Override
  public Tensor backward(Tensor gradOut) {
    int c = inShape[0];
    int n = inShape[1];
    int hw = inShape[2] * inShape[3];
    dx = Tensor.reuse(dx, c * n * hw);
    for (int ci = 0; ci < c; ci++) {
      for (int ni = 0; ni < n; ni++) {
        float v = gradOut.data[ni * c + ci] / hw;
        java.util.Arrays.fill(dx, (ci * n + ni) * hw, (ci * n + ni + 1) * hw, v);
      }
    }
    return new Tensor(dx, inShape);
  }
}
