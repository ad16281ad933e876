package org.reffakd.engine.java;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * ResNet basic block: relu(bn(conv3x3(relu(bn(conv3x3(x))))) + shortcut(x)), the shortcut a
 * strided 1x1 convolution with batch norm when the shape changes, identity otherwise.
 *
 * <p>Memory: inside the block, each batch norm keeps its normalised input in its convolution's
 * output array, each ReLU its output in the batch norm's output array, the sum goes into the
 * main path's output array, and the backward works in place where no other reader of a
 * gradient is left (see {@link BatchNorm2d#overwriting}, {@link Activation#overwriting}): the
 * same arithmetic on the same values, about half the float arrays of a plain stack. The block
 * neither writes into its input nor into the gradient it is given.
 */
public final class ResidualBlock implements Layer {

  private final Sequential main;
  private final Sequential shortcut; // null = identity
  // its gradient (the block's own array) feeds both paths: main must leave it intact
  private final Activation relu;

  public ResidualBlock(int inC, int outC, int stride, Random rng) {
    this(inC, outC, stride, rng, true);
  }

  /** For the tests: {@code inPlace} false gives the plain stack (each layer its own arrays). */
  ResidualBlock(int inC, int outC, int stride, Random rng, boolean inPlace) {
    this.main = new Sequential(
        new Conv2d(inC, outC, 3, stride, 1, false, rng),
        new BatchNorm2d(outC).overwriting(inPlace, inPlace),
        Activation.relu().overwriting(inPlace, inPlace),
        new Conv2d(outC, outC, 3, 1, 1, false, rng),
        new BatchNorm2d(outC).overwriting(inPlace, false)); // its gradOut is the shortcut's too
    this.shortcut = stride != 1 || inC != outC
        ? new Sequential(new Conv2d(inC, outC, 1, stride, 0, false, rng),
            // runs after main's backward: the block's gradient has no reader left
            new BatchNorm2d(outC).overwriting(inPlace, inPlace))
        : null;
    this.relu = Activation.relu().overwriting(inPlace, false);
    this.inPlace = inPlace;
  }

  private final boolean inPlace;
  private float[] sum;
  private float[] dx;

  @Override
  public Tensor forward(Tensor x, boolean training) {
    Tensor a = main.forward(x, training);
    Tensor b = shortcut == null ? x : shortcut.forward(x, training);
    int size = a.size();
    // in place: a is the last batch norm's output, which nothing else reads
    float[] s = inPlace ? a.data : (sum = Tensor.reuse(sum, size));
    float[] ad = a.data;
    float[] bd = b.data;
    for (int i = 0; i < size; i++) {
      s[i] = ad[i] + bd[i];
    }
    return relu.forward(new Tensor(s, a.shape), training);
  }

  @Override
  public Tensor backward(Tensor gradOut) {
    Tensor g = relu.backward(gradOut);
    Tensor da = main.backward(g);
    Tensor db = shortcut == null ? g : shortcut.backward(g);
    int size = da.size();
    // in place: da is the first convolution's input gradient, which it rewrites each backward
    float[] d = inPlace ? da.data : (dx = Tensor.reuse(dx, size));
    float[] ad = da.data;
    float[] bd = db.data;
    for (int i = 0; i < size; i++) {
      d[i] = ad[i] + bd[i];
    }
    return new Tensor(d, da.shape);
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
