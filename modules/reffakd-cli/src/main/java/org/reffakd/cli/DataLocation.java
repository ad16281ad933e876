package org.reffakd.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where a dataset is looked for when --data is not given. */
final class DataLocation {

  static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

  private DataLocation() {}

  static Path resolve(String dataset, String data) {
    if (data != null) {
      return Path.of(data);
    }
    if (dataset.equals("fashion-mnist")) {
      if (!Files.isDirectory(FASHION_MNIST)) {
        throw new IllegalArgumentException("Fashion-MNIST not found in " + FASHION_MNIST
            + ": install it with 'apt-get install dataset-fashion-mnist' (as root), or pass "
            + "--data DIR with the four IDX files (train-images-idx3-ubyte.gz, "
            + "train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz)");
      }
      return FASHION_MNIST;
    }
    throw new IllegalArgumentException("--data DIR is required for dataset " + dataset);
  }
}
