package org.reffakd.nn.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Reads the binary versions of CIFAR-10 and CIFAR-100 (3x32x32 images, already channel-major).
 *
 * <ul>
 *   <li>CIFAR-10: {@code data_batch_1.bin}..{@code data_batch_5.bin} (train) and
 *       {@code test_batch.bin}; record = 1 label byte + 3072 pixel bytes; class names from
 *       {@code batches.meta.txt}.</li>
 *   <li>CIFAR-100: {@code train.bin} and {@code test.bin}; record = coarse label byte + fine
 *       label byte + 3072 pixel bytes; the fine label is used; names from
 *       {@code fine_label_names.txt}.</li>
 * </ul>
 *
 * <p>{@code dir} may also be the parent of {@code cifar-10-batches-bin} / {@code cifar-100-binary}.
 * A missing names file gives names {@code class0, class1, ...}. The checksum is the SHA-256 of
 * the data files in order, as stored.
 */
public final class CifarBinaryReader {

  /** Pixel bytes per image: 3 x 32 x 32. */
  public static final int IMAGE_BYTES = 3 * 32 * 32;

  private CifarBinaryReader() {
  }

  /** Reads a CIFAR-10 split ({@code train} or {@code test}). */
  public static ImageDataset readCifar10(Path dir, String split) {
    DataFiles.requireSplit("cifar10", split, "train", "test");
    List<String> files = split.equals("train")
        ? IntStream.rangeClosed(1, 5).mapToObj(i -> "data_batch_" + i + ".bin").toList()
        : List.of("test_batch.bin");
    Path root = locate(dir, "cifar-10-batches-bin", files.get(0), "cifar10");
    return read(root, "cifar10", split, files, 10, false, "batches.meta.txt");
  }

  /** Reads a CIFAR-100 split ({@code train} or {@code test}) with the 100 fine labels. */
  public static ImageDataset readCifar100(Path dir, String split) {
    DataFiles.requireSplit("cifar100", split, "train", "test");
    List<String> files = List.of(split + ".bin");
    Path root = locate(dir, "cifar-100-binary", files.get(0), "cifar100");
    return read(root, "cifar100", split, files, 100, true, "fine_label_names.txt");
  }

  private static Path locate(Path dir, String subdir, String probe, String dataset) {
    DataFiles.requireDirectory(dir, dataset + " directory");
    Path nested = dir.resolve(subdir);
    if (!Files.exists(dir.resolve(probe)) && Files.isDirectory(nested)) {
      return nested;
    }
    return dir;
  }

  private static ImageDataset read(Path root, String name, String split, List<String> fileNames,
                                   int numClasses, boolean coarse, String namesFile) {
    List<String> missing = fileNames.stream()
        .filter(f -> !Files.isRegularFile(root.resolve(f))).toList();
    if (!missing.isEmpty()) {
      throw new DatasetFormatException(root, "missing " + name + " " + split + " files: "
          + String.join(", ", missing) + " (looked for " + String.join(", ", fileNames) + ")");
    }
    int labelBytes = coarse ? 2 : 1;
    int record = labelBytes + IMAGE_BYTES;
    MessageDigest sha = DataFiles.sha256();
    List<byte[]> contents = new ArrayList<>();
    long total = 0;
    for (String f : fileNames) {
      Path file = root.resolve(f);
      byte[] data = DataFiles.readAll(file);
      if (data.length == 0) {
        throw new DatasetFormatException(file, "empty file");
      }
      if (data.length % record != 0) {
        long cut = data.length / record;
        throw new DatasetFormatException(file, cut, "truncated: file size " + data.length
            + " is not a multiple of the " + record + "-byte record; record " + cut
            + " has only " + data.length % record + " bytes");
      }
      checkLabels(file, data, record, numClasses, coarse);
      sha.update(data);
      contents.add(data);
      total += data.length / record;
    }
    if (total * IMAGE_BYTES > Integer.MAX_VALUE - 16) {
      throw new DatasetFormatException(root, total + " images are too many to hold in memory");
    }
    int n = (int) total;
    byte[] pixels = new byte[n * IMAGE_BYTES];
    int[] labels = new int[n];
    int i = 0;
    for (byte[] data : contents) {
      for (int off = 0; off < data.length; off += record, i++) {
        labels[i] = data[off + labelBytes - 1] & 0xff;
        System.arraycopy(data, off + labelBytes, pixels, i * IMAGE_BYTES, IMAGE_BYTES);
      }
    }
    List<String> classes = classNames(root.resolve(namesFile), numClasses);
    return new ImageDataset(name, split, 3, 32, 32, pixels, labels, classes, DataFiles.hex(sha));
  }

  private static void checkLabels(Path file, byte[] data, int record, int numClasses,
                                  boolean coarse) {
    for (int off = 0, r = 0; off < data.length; off += record, r++) {
      if (coarse && (data[off] & 0xff) >= 20) {
        throw new DatasetFormatException(file, r, "coarse label " + (data[off] & 0xff)
            + " outside 0..19");
      }
      int label = data[off + (coarse ? 1 : 0)] & 0xff;
      if (label >= numClasses) {
        throw new DatasetFormatException(file, r, (coarse ? "fine label " : "label ") + label
            + " outside 0.." + (numClasses - 1));
      }
    }
  }

  /** Non-blank lines of the names file, or class0.. when the file is absent. */
  private static List<String> classNames(Path file, int numClasses) {
    if (!Files.exists(file)) {
      return IntStream.range(0, numClasses).mapToObj(i -> "class" + i).toList();
    }
    List<String> names = DataFiles.readLines(DataFiles.readAll(file)).stream()
        .filter(s -> !s.isEmpty()).toList();
    if (names.size() != numClasses) {
      throw new DatasetFormatException(file, "has " + names.size() + " class names, expected "
          + numClasses);
    }
    return names;
  }
}
