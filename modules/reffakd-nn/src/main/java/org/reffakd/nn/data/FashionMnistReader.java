package org.reffakd.nn.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Reads Fashion-MNIST or MNIST from a directory holding the four IDX files
 * {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte}, each optionally with a
 * {@code .gz} suffix (content is gunzipped when it starts with the gzip magic, whatever the name).
 *
 * <p>The checksum is the SHA-256 of the image file followed by the label file, as stored.
 */
public final class FashionMnistReader {

  /** Fashion-MNIST class names, index = label. */
  public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser",
      "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
  /** MNIST class names "0".."9". */
  public static final List<String> MNIST_CLASSES =
      IntStream.range(0, 10).mapToObj(Integer::toString).toList();

  private FashionMnistReader() {
  }

  /** Reads a Fashion-MNIST split ({@code train} or {@code test}). */
  public static ImageDataset read(Path dir, String split) {
    return read(dir, split, "fashion-mnist");
  }

  /**
   * Reads a split ({@code train} or {@code test}) of {@code fashion-mnist} or {@code mnist}
   * (which only changes the class names).
   */
  public static ImageDataset read(Path dir, String split, String datasetName) {
    List<String> classes = switch (datasetName) {
      case "fashion-mnist" -> FASHION_MNIST_CLASSES;
      case "mnist" -> MNIST_CLASSES;
      default -> throw new IllegalArgumentException("unknown IDX dataset '" + datasetName
          + "'; expected fashion-mnist or mnist");
    };
    DataFiles.requireSplit(datasetName, split, "train", "test");
    DataFiles.requireDirectory(dir, datasetName + " directory");
    String prefix = split.equals("train") ? "train" : "t10k";
    String imagesBase = prefix + "-images-idx3-ubyte";
    String labelsBase = prefix + "-labels-idx1-ubyte";
    Path images = find(dir, imagesBase);
    Path labels = find(dir, labelsBase);
    List<String> missing = new ArrayList<>();
    if (images == null) {
      missing.add(imagesBase + " or " + imagesBase + ".gz");
    }
    if (labels == null) {
      missing.add(labelsBase + " or " + labelsBase + ".gz");
    }
    if (!missing.isEmpty()) {
      throw new DatasetFormatException(dir, "missing " + datasetName + " " + split
          + " files: looked for " + String.join(" and ", missing));
    }
    return read(images, labels, datasetName, split, classes);
  }

  /** Reads one image file and its label file, checking that their counts agree. */
  public static ImageDataset read(Path imagesFile, Path labelsFile, String datasetName,
                                  String split, List<String> classNames) {
    byte[] imagesStored = DataFiles.readAll(imagesFile);
    byte[] labelsStored = DataFiles.readAll(labelsFile);
    IdxReader.Images images = IdxReader.parseImages(imagesFile, imagesStored);
    int[] labels = IdxReader.parseLabels(labelsFile, labelsStored, classNames.size());
    if (labels.length != images.count()) {
      throw new DatasetFormatException(labelsFile, "has " + labels.length + " labels but "
          + DataFiles.name(imagesFile) + " has " + images.count() + " images");
    }
    MessageDigest sha = DataFiles.sha256();
    sha.update(imagesStored);
    sha.update(labelsStored);
    return new ImageDataset(datasetName, split, 1, images.rows(), images.cols(),
        images.pixels(), labels, classNames, DataFiles.hex(sha));
  }

  private static Path find(Path dir, String base) {
    for (String name : new String[] {base, base + ".gz"}) {
      Path p = dir.resolve(name);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }
}
