package org.reffakd.engine.java.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.reffakd.engine.java.Activation;
import org.reffakd.engine.java.BatchNorm2d;
import org.reffakd.engine.java.Conv2d;
import org.reffakd.engine.java.Flatten;
import org.reffakd.engine.java.GlobalAvgPool;
import org.reffakd.engine.java.Layer;
import org.reffakd.engine.java.Linear;
import org.reffakd.engine.java.MaxPool2d;
import org.reffakd.engine.java.ResidualBlock;
import org.reffakd.engine.java.Sequential;

/** The student (and teacher) architectures of the reference. */
public final class Models {

  /** Architecture names accepted by {@link #create}. */
  public static final List<String> NAMES = List.of("lenet5bn", "lenet5bn-wide", "resnet18",
      "resnet18-w16");

  private Models() {}

  public static Network create(String arch, int channels, int size, int classes, long seed) {
    return switch (arch) {
      case "lenet5bn" -> lenet5bn(channels, size, classes, seed);
      case "lenet5bn-wide" -> lenet5bnWide(channels, size, classes, seed);
      case "resnet18" -> resnet18(channels, classes, 64, seed);
      case "resnet18-w16" -> resnet18(channels, classes, 16, seed);
      default -> throw new IllegalArgumentException("unknown architecture '" + arch
          + "' (known: " + String.join(", ", NAMES) + ")");
    };
  }

  /**
   * LeNet-5 with batch norm: conv 6@5x5, BN, ReLU, maxpool 2; conv 16@5x5, BN, ReLU, maxpool
   * 2; FC 16*s*s-120-84-classes (s = 5 at 32x32 input).
   */
  public static Network lenet5bn(int channels, int size, int classes, long seed) {
    Random rng = new Random(seed);
    int s = ((size - 4) / 2 - 4) / 2;
    if (s < 1) {
      throw new IllegalArgumentException("lenet5bn needs images of at least 16x16, got " + size);
    }
    return new Network("lenet5bn", classes, new Sequential(
        new Conv2d(channels, 6, 5, 1, 0, true, rng), new BatchNorm2d(6), Activation.relu(),
        new MaxPool2d(2),
        new Conv2d(6, 16, 5, 1, 0, true, rng), new BatchNorm2d(16), Activation.relu(),
        new MaxPool2d(2),
        new Flatten(),
        new Linear(16 * s * s, 120, rng), Activation.relu(),
        new Linear(120, 84, rng), Activation.relu(),
        new Linear(84, classes, rng)));
  }

  /**
   * A wider LeNet-5-BN for a teacher that trains in about a minute per Fashion-MNIST epoch on
   * 2 cores: conv 32@5x5 and 64@5x5 (BN, ReLU, maxpool 2 each), FC 64*s*s-256-classes.
   */
  public static Network lenet5bnWide(int channels, int size, int classes, long seed) {
    Random rng = new Random(seed);
    int s = ((size - 4) / 2 - 4) / 2;
    if (s < 1) {
      throw new IllegalArgumentException("lenet5bn-wide needs images of at least 16x16, got "
          + size);
    }
    return new Network("lenet5bn-wide", classes, new Sequential(
        new Conv2d(channels, 32, 5, 1, 0, true, rng), new BatchNorm2d(32), Activation.relu(),
        new MaxPool2d(2),
        new Conv2d(32, 64, 5, 1, 0, true, rng), new BatchNorm2d(64), Activation.relu(),
        new MaxPool2d(2),
        new Flatten(),
        new Linear(64 * s * s, 256, rng), Activation.relu(),
        new Linear(256, classes, rng)));
  }

  /**
   * CIFAR-style ResNet-18 (3x3 stem, no max pool; stages of 2 basic blocks at widths w, 2w,
   * 4w, 8w; global average pool; FC). w = 64 is the standard network.
   */
  public static Network resnet18(int channels, int classes, int width, long seed) {
    Random rng = new Random(seed);
    List<Layer> layers = new ArrayList<>();
    layers.add(new Conv2d(channels, width, 3, 1, 1, false, rng));
    // in place (same results, fewer arrays): the batch norm keeps its normalised input in the
    // convolution's output, the ReLU its output in the batch norm's; their backward overwrites
    // the first block's input gradient, which nothing reads afterwards
    layers.add(new BatchNorm2d(width).overwriting(true, true));
    layers.add(Activation.relu().overwriting(true, true));
    int in = width;
    int[] widths = {width, 2 * width, 4 * width, 8 * width};
    // the blocks run one after another: they share their gradient arrays (same results)
    ResidualBlock.Shared shared = new ResidualBlock.Shared();
    for (int st = 0; st < 4; st++) {
      int stride = st == 0 ? 1 : 2;
      layers.add(new ResidualBlock(in, widths[st], stride, rng, shared));
      layers.add(new ResidualBlock(widths[st], widths[st], 1, rng, shared));
      in = widths[st];
    }
    layers.add(new GlobalAvgPool());
    layers.add(new Linear(in, classes, rng));
    return new Network(width == 64 ? "resnet18" : "resnet18-w" + width, classes,
        new Sequential(layers));
  }
}
