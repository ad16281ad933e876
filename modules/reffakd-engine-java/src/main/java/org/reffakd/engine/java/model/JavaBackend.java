package org.reffakd.engine.java.model;

import java.util.List;
import org.reffakd.backend.AutoencoderModel;
import org.reffakd.backend.Backend;
import org.reffakd.backend.Classifier;
import org.reffakd.backend.ImageBatch;
import org.reffakd.engine.java.Kernels;
import org.reffakd.engine.java.Parallel;
import org.reffakd.engine.java.Tensor;
import org.reffakd.engine.java.VectorWidth;

/**
 * The pure-Java engine as a backend ("java", the default): Vector API kernels on a small
 * compute pool; results do not depend on the thread count.
 */
public final class JavaBackend implements Backend {

  public static final String NAME = "java";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String describe() {
    return "java engine (Vector API " + vectorBits() + "-bit, " + Parallel.threads() + " compute threads), "
        + System.getProperty("java.vm.name") + " " + System.getProperty("java.version");
  }

  @Override
  public int vectorBits() {
    return VectorWidth.bits();
  }

  @Override
  public List<String> architectures() {
    return Models.NAMES;
  }

  @Override
  public Classifier classifier(String arch, int channels, int side, int classes, long seed) {
    return Models.create(arch, channels, side, classes, seed);
  }

  @Override
  public float[] gram(float[] rows, int n, int dim) {
    float[] out = new float[n * n];
    Kernels.gemmNT(n, n, dim, rows, 0, dim, rows, 0, dim, out, 0, n, false);
    return out;
  }

  @Override
  public AutoencoderModel autoencoder(int channels, long seed) {
    return new Autoencoder(channels, seed);
  }

  @Override
  public void threads(int threads) {
    Parallel.setThreads(threads);
  }

  /** The engine's (C, N, H, W) tensor of a batch: no copy when it is already CNHW. */
  static Tensor tensor(ImageBatch x) {
    ImageBatch b = x.to(ImageBatch.Layout.CNHW);
    return new Tensor(b.data(), b.channels(), b.n(), b.height(), b.width());
  }

  /** A (C, N, H, W) feature map's values in the given layout. */
  static float[] inLayout(Tensor y, ImageBatch.Layout layout) {
    ImageBatch b = new ImageBatch(y.data, ImageBatch.Layout.CNHW, y.dim(1), y.dim(0), y.dim(2),
        y.dim(3));
    return b.to(layout).data();
  }
}
