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
 *
 * <p>The blocks of one network may also share their gradient arrays ({@link Shared}): a block's
 * backward runs after the next block's has returned and before the previous block's starts, so
 * the arrays a block uses only inside its backward can be the same for all blocks; so can the
 * one it returns, which only the previous block's first step (its ReLU's backward) reads.
 */
public final class ResidualBlock implements Layer {

  private final Sequential main;
  private final Sequential shortcut; // null = identity
  // its gradient (the block's own array) feeds both paths: main must leave it intact
  private final Activation relu;

  /**
   * Gradient arrays shared by the residual blocks of one stack. The blocks must be applied one
   * after another, as a {@link Sequential} applies its layers, with no use of a block's input
   * gradient but the previous layer's backward; each array grows to the largest block's need.
   */
  public static final class Shared {
    private final SharedArray relu = new SharedArray();   // the block's own gradient
    private final SharedArray second = new SharedArray(); // main's last batch norm, shortcut
    private final SharedArray conv2 = new SharedArray();  // main's second convolution
    private final SharedArray input = new SharedArray();  // the block's input gradient
  }

  public ResidualBlock(int inC, int outC, int stride, Random rng) {
    this(inC, outC, stride, rng, true);
  }

  /** A block that takes its gradient arrays from {@code shared} (see {@link Shared}). */
  public ResidualBlock(int inC, int outC, int stride, Random rng, Shared shared) {
    this(inC, outC, stride, rng, true);
    // main: relu -> second (bn2) -> conv2 (relu and bn1 in place) -> input (conv1); shortcut:
    // bn in place on relu's array (main is done with it), its convolution into second (conv2
    // has read it); the sum goes into input
    relu.gradientInto(shared.relu);
    conv1.gradientInto(shared.input);
    bn2.gradientInto(shared.second);
    conv2.gradientInto(shared.conv2);
    if (shortcutConv != null) {
      shortcutConv.gradientInto(shared.second);
    }
  }

  /** For the tests: {@code inPlace} false gives the plain stack (each layer its own arrays). */
  ResidualBlock(int inC, int outC, int stride, Random rng, boolean inPlace) {
    this.conv1 = new Conv2d(inC, outC, 3, stride, 1, false, rng);
    this.conv2 = new Conv2d(outC, outC, 3, 1, 1, false, rng);
    this.bn2 = new BatchNorm2d(outC).overwriting(inPlace, false); // its gradOut: shortcut's too
    this.main = new Sequential(conv1, new BatchNorm2d(outC).overwriting(inPlace, inPlace),
        Activation.relu().overwriting(inPlace, inPlace), conv2, bn2);
    this.shortcutConv = stride != 1 || inC != outC
        ? new Conv2d(inC, outC, 1, stride, 0, false, rng) : null;
    this.shortcut = shortcutConv != null
        // runs after main's backward: the block's gradient has no reader left
        ? new Sequential(shortcutConv, new BatchNorm2d(outC).overwriting(inPlace, inPlace))
        : null;
    this.relu = Activation.relu().overwriting(inPlace, false);
    this.inPlace = inPlace;
  }

  private final boolean inPlace;
  private final Conv2d conv1;
  private final Conv2d conv2;
  private final BatchNorm2d bn2;
  private final Conv2d shortcutConv; // null = identity
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
