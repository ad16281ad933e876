package org.reffakd.nn.run;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.reffakd.nn.data.FashionMnistReader;
import org.reffakd.nn.data.ImageDataset;

/**
 * Real Fashion-MNIST images for tests: the first n of each split of the Debian package
 * (dataset-fashion-mnist; .ci/run installs it), optionally re-written as raw IDX files.
 */
public final class FashionSubset {

  public static final Path DIR = Path.of(System.getProperty("reffakd.fashion",
      "/usr/share/datasets/fashion-mnist"));

  private FashionSubset() {}

  public static ImageDataset read(String split, int n) {
    if (!Files.isDirectory(DIR)) {
      throw new IllegalStateException("tests need the real Fashion-MNIST in " + DIR
          + ": apt-get install dataset-fashion-mnist");
    }
    ImageDataset ds = FashionMnistReader.read(DIR, split);
    return ds.subset(java.util.stream.IntStream.range(0, n).toArray(), split);
  }

  /**
   * The tests' small run on a subset written by {@link #writeIdx}: the default config with one
   * autoencoder epoch, {@code epochs} student epochs, batch 64, learning rate 0.05, one
   * thread and a validation split of {@code valSize} images; tests change what they vary.
   */
  public static RunConfig tinyConfig(Path data, int epochs, int valSize) {
    RunConfig d = RunConfig.defaults("fashion-mnist");
    RunConfig.StudentSpec s = d.student();
    return d.withInput(new RunConfig.DataSpec("fashion-mnist", data.toString(),
            d.input().imageSize(), valSize, d.trainFraction()))
        .withAutoencoder(d.autoencoder().withEpochs(1))
        .withStudent(new RunConfig.StudentSpec(s.arch(), epochs, 64, 0.05, s.momentum(),
            s.weightDecay(), s.schedule(), s.augment()))
        .withThreads(1);
  }

  /** Writes the first nTrain / nTest images as raw IDX files into dir. */
  public static void writeIdx(Path dir, int nTrain, int nTest) throws IOException {
    write(dir, "train", read("train", nTrain));
    write(dir, "t10k", read("test", nTest));
  }

  private static void write(Path dir, String prefix, ImageDataset ds) throws IOException {
    Files.createDirectories(dir);
    try (DataOutputStream o = new DataOutputStream(Files.newOutputStream(
        dir.resolve(prefix + "-images-idx3-ubyte")))) {
      o.writeInt(0x803);
      o.writeInt(ds.size());
      o.writeInt(ds.height());
      o.writeInt(ds.width());
      o.write(ds.pixels());
    }
    try (DataOutputStream o = new DataOutputStream(Files.newOutputStream(
        dir.resolve(prefix + "-labels-idx1-ubyte")))) {
      o.writeInt(0x801);
      o.writeInt(ds.size());
      for (int l : ds.labels()) {
        o.writeByte(l);
      }
    }
  }
}
