package org.reffakd.engine.java;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * ResNet basic block: relu(bn(conv3x3(relu(bn(conv3x3(x))))) + shortcut(x)), the shortcut a
 * strided 1x1 convolution with batch norm when the shape changes, identity otherwise.
 */
public final class ResidualBlock implements Layer {

  private final Sequential main;
  private final Sequential shortcut; // null = identity
  private final Activation relu = Activation.relu();
  private float[] sum;
  private float[] dx;

  public ResidualBlock(int inC, int outC, int stride, Random rng) {
    this.main = new Sequential(
        new Conv2d(inC, outC, 3, stride, 1, false, rng), new BatchNorm2d(outC),
        Activation.relu(),
        new Conv2d(outC, outC, 3, 1, 1, false, rng), new BatchNorm2d(outC));
    this.shortcut = stride != 1 || inC != outC
        ? new Sequential(new Conv2d(inC, outC, 1, stride, 0, false, rng), new BatchNorm2d(outC))
        : null;
  }

  @Override
  public Tensor forward(Tensor x, boolean training) {
    Tensor a = main.forward(x, training);
    Tensor b = shortcut == null ? x : shortcut.forward(x, training);
    int size = a.size();
    sum = Tensor.reuse(sum, size);
    for (int i = 0; i < size; i++) {
      sum[i] = a.data[i] + b.data[i];
    }
    return relu.forward(new Tensor(sum, a.shape), training);
  }

  @Override
  public Tensor backward(Tensor gradOut) {
    Tensor g = relu.backward(gradOut);
    Tensor da = main.backward(g);
    Tensor db = shortcut == null ? g : shortcut.backward(g);
    int size = da.size();
    dx = Tensor.reuse(dx, size);
    for (int i = 0; i < size; i++) {
      dx[i] = da.data[i] + db.data[i];
    }
    return new Tensor(dx, da.shape);
  }

  @Override
  public long macsPerSample() {
    return main.macsPerSample() + (shortcut == null ? 0 : shortcut.macsPerSample());
  }

  @Override
  public List<Param> params() {
    List<Param> ps = new ArrayList<>(main.params());
    if (shortcut != null) {
      ps.addAll(shortcut.params());
    }
    return ps;
  }

  @Override
  public void collect(String prefix, java.util.Map<String, Param> params,
                      java.util.Map<String, float[]> buffers) {
    main.collect(prefix + "main.", params, buffers);
    if (shortcut != null) {
      shortcut.collect(prefix + "shortcut.", params, buffers);
    }
  }

  @Override
  public List<float[]> buffers() {
    List<float[]> bs = new ArrayList<>(main.buffers());
    if (shortcut != null) {
      bs.addAll(shortcut.buffers());
    }
    return bs;
  }
}
