package org.reffakd.nn.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Loads a dataset split by name; see the individual readers for layouts and checks. */
public final class Datasets {

  /** The dataset names {@link #load} accepts. */
  public static final List<String> NAMES =
      List.of("fashion-mnist", "mnist", "cifar10", "cifar100", "tiny-imagenet", "folder");

  private Datasets() {
  }

  /**
   * Reads one split of the named dataset from {@code dir}.
   *
   * @param datasetName one of {@link #NAMES} (case-insensitive)
   * @param dir         the dataset directory
   * @param split       {@code train} or {@code test} ({@code train} or {@code val} for
   *                    tiny-imagenet; for folder, the subdirectory {@code dir/<split>} if present)
   * @throws IllegalArgumentException for an unknown dataset name or split
   * @throws DatasetFormatException   for missing or malformed files
   */
  public static ImageDataset load(String datasetName, Path dir, String split) {
    String name = datasetName == null ? "" : datasetName.toLowerCase(Locale.ROOT);
    return switch (name) {
      case "fashion-mnist", "mnist" -> FashionMnistReader.read(dir, split, name);
      case "cifar10" -> CifarBinaryReader.readCifar10(dir, split);
      case "cifar100" -> CifarBinaryReader.readCifar100(dir, split);
      case "tiny-imagenet" -> TinyImageNetReader.read(dir, split);
      case "folder" -> ClassFolderReader.read(ClassFolderReader.splitRoot(dir, split), "folder",
          split);
      default -> throw new IllegalArgumentException("unknown dataset '" + datasetName
          + "'; known: " + String.join(", ", NAMES));
    };
  }
}
