package org.reffakd.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Which dataset and where, declared once for the commands that read one (run, study and submit
 * through {@link ConfigOptions}, teacher, ingest). Null when not given: a config file or the
 * default (Fashion-MNIST in its Debian package's folder) decides.
 */
final class DataOptions {

  static final String DEFAULT_DATASET = "fashion-mnist";

  @Option(names = "--dataset", description = "fashion-mnist, mnist, cifar10, cifar100, "
      + "tiny-imagenet or folder (default: " + DEFAULT_DATASET + ")")
  String dataset;
  @Option(names = "--data", paramLabel = "DIR", description = "dataset folder (default for "
      + "fashion-mnist: /usr/share/datasets/fashion-mnist)")
  String data;

  String datasetOrDefault() {
    return dataset != null ? dataset : DEFAULT_DATASET;
  }

  /** The folder to read: --data, or where the dataset is installed (one line when it is not). */
  Path folder() {
    return DataLocation.resolve(datasetOrDefault(), data);
  }
}
