package org.reffakd.nn.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a generic image folder: {@code root/<class-name>/*.png|jpg|jpeg}. Classes are the
 * non-hidden subdirectories sorted by name (an empty one still takes a label, so that splits
 * agree); files are read in name order. All images must have the same size; the dataset has one
 * channel if every image is grayscale, else three (grayscale images are replicated). The
 * checksum is the SHA-256 of the image files in order, as stored.
 */
public final class ClassFolderReader {

  private static final List<String> SPLIT_NAMES = List.of("train", "test", "val");

  private ClassFolderReader() {
  }

  /**
   * The class root for a split: {@code dir/<split>} if that directory exists; otherwise
   * {@code dir} itself, unless {@code dir} holds other split directories (train, test, val), in
   * which case the requested split is missing.
   */
  public static Path splitRoot(Path dir, String split) {
    DataFiles.requireDirectory(dir, "image folder");
    if (split != null && !split.isEmpty() && Files.isDirectory(dir.resolve(split))) {
      return dir.resolve(split);
    }
    List<String> present = SPLIT_NAMES.stream()
        .filter(s -> Files.isDirectory(dir.resolve(s))).toList();
    if (!present.isEmpty()) {
      throw new DatasetFormatException(dir, "no '" + split + "' subdirectory (found split"
          + " directories " + String.join(", ", present) + ")");
    }
    return dir;
  }

  /** Reads every image under {@code root}, labelled by its class subdirectory. */
  public static ImageDataset read(Path root, String datasetName, String split) {
    DataFiles.requireDirectory(root, "image folder");
    List<Path> classDirs = DataFiles.listDirectories(root);
    if (classDirs.isEmpty()) {
      throw new DatasetFormatException(root, "no class subdirectories (expected"
          + " <root>/<class-name>/*.png|jpg|jpeg)");
    }
    List<String> classes = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (Path dir : classDirs) {
      for (Path f : DataFiles.listFiles(dir, DataFiles::isImageName)) {
        files.add(f);
        labels.add(classes.size());
      }
      classes.add(DataFiles.name(dir));
    }
    if (files.isEmpty()) {
      throw new DatasetFormatException(root, "no .png/.jpg/.jpeg images in any of the "
          + classes.size() + " class directories");
    }
    MessageDigest sha = DataFiles.sha256();
    Collector c = new Collector(root, files.size());
    ImageFiles.decodeAll(files, sha, c);
    int[] lb = labels.stream().mapToInt(Integer::intValue).toArray();
    return new ImageDataset(datasetName, split, c.allGray ? 1 : 3, c.height, c.width,
        c.pixels(), lb, classes, DataFiles.hex(sha));
  }

  /** Checks sizes against the first image and stores every image as 3 planes. */
  private static final class Collector implements ImageFiles.Sink {
    private final Path root;
    private final int count;
    private Path first;
    private int width;
    private int height;
    private boolean allGray = true;
    private byte[] rgb;

    Collector(Path root, int count) {
      this.root = root;
      this.count = count;
    }

    @Override
    public void accept(int index, Path file, ImageFiles.Decoded img) {
      if (first == null) {
        first = file;
        width = img.width();
        height = img.height();
        long bytes = 3L * count * width * height;
        if (bytes > Integer.MAX_VALUE - 16) {
          throw new DatasetFormatException(root, count + " images of " + width + "x" + height
              + " are too many to hold in memory");
        }
        rgb = new byte[(int) bytes];
      } else if (img.width() != width || img.height() != height) {
        throw new DatasetFormatException(file, "image is " + img.width() + "x" + img.height()
            + " but the first image " + root.relativize(first) + " is " + width + "x" + height
            + "; all images must have the same size");
      }
      allGray &= img.gray();
      img.writeChw(rgb, index * 3 * width * height, 3);
    }

    /** The pixels, reduced to one plane per image when every image was grayscale. */
    byte[] pixels() {
      if (!allGray) {
        return rgb;
      }
      int plane = width * height;
      byte[] gray = new byte[count * plane];
      for (int i = 0; i < count; i++) {
        System.arraycopy(rgb, i * 3 * plane, gray, i * plane, plane);
      }
      return gray;
    }
  }
}
