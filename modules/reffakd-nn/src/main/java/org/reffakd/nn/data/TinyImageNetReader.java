package org.reffakd.nn.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code tiny-imagenet-200} layout: {@code wnids.txt} (class order),
 * optional {@code words.txt} (wnid TAB names; the first comma-separated name is used, else the
 * wnid), {@code train/<wnid>/images/*.JPEG}, and {@code val/images/*.JPEG} labelled by
 * {@code val/val_annotations.txt} (filename TAB wnid TAB bounding box).
 *
 * <p>Every image must be 64x64; grayscale images are replicated to 3 channels. {@code dir} may
 * also be the parent of {@code tiny-imagenet-200}. The checksum is the SHA-256 of
 * {@code wnids.txt}, then (for val) {@code val_annotations.txt}, then the image files in order,
 * as stored.
 */
public final class TinyImageNetReader {

  /** Image side in pixels. */
  public static final int SIZE = 64;

  private TinyImageNetReader() {
  }

  /** Reads split {@code train} or {@code val} (the test split has no labels). */
  public static ImageDataset read(Path dir, String split) {
    if ("test".equals(split)) {
      throw new IllegalArgumentException("tiny-imagenet split 'test' has no labels; use train"
          + " or val");
    }
    DataFiles.requireSplit("tiny-imagenet", split, "train", "val");
    Path root = locate(dir);
    Path wnidsFile = root.resolve("wnids.txt");
    byte[] wnidsBytes = DataFiles.readAll(wnidsFile);
    List<String> wnids = parseWnids(wnidsFile, wnidsBytes);
    MessageDigest sha = DataFiles.sha256();
    sha.update(wnidsBytes);
    List<Path> files = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    if (split.equals("train")) {
      listTrain(root, wnids, files, labels);
    } else {
      listVal(root, wnids, sha, files, labels);
    }
    long bytes = (long) files.size() * 3 * SIZE * SIZE;
    if (bytes > Integer.MAX_VALUE - 16) {
      throw new DatasetFormatException(root, files.size() + " images are too many to hold");
    }
    byte[] pixels = new byte[(int) bytes];
    ImageFiles.decodeAll(files, sha, (i, file, img) -> {
      if (img.width() != SIZE || img.height() != SIZE) {
        throw new DatasetFormatException(file, "image is " + img.width() + "x" + img.height()
            + ", expected " + SIZE + "x" + SIZE);
      }
      img.writeChw(pixels, i * 3 * SIZE * SIZE, 3);
    });
    int[] lb = labels.stream().mapToInt(Integer::intValue).toArray();
    return new ImageDataset("tiny-imagenet", split, 3, SIZE, SIZE, pixels, lb,
        classNames(root.resolve("words.txt"), wnids), DataFiles.hex(sha));
  }

  private static Path locate(Path dir) {
    DataFiles.requireDirectory(dir, "tiny-imagenet directory");
    if (Files.isRegularFile(dir.resolve("wnids.txt"))) {
      return dir;
    }
    Path nested = dir.resolve("tiny-imagenet-200");
    if (Files.isRegularFile(nested.resolve("wnids.txt"))) {
      return nested;
    }
    throw new DatasetFormatException(dir, "not a tiny-imagenet-200 directory: looked for"
        + " wnids.txt and tiny-imagenet-200/wnids.txt");
  }

  private static List<String> parseWnids(Path file, byte[] content) {
    List<String> lines = DataFiles.readLines(content);
    List<String> wnids = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      String w = lines.get(i);
      if (w.isEmpty()) {
        continue;
      }
      if (w.contains("/") || w.contains("\\") || w.chars().anyMatch(Character::isWhitespace)) {
        throw new DatasetFormatException(file, "line " + (i + 1) + ": invalid wnid '" + w + "'");
      }
      if (!seen.add(w)) {
        throw new DatasetFormatException(file, "line " + (i + 1) + ": duplicate wnid " + w);
      }
      wnids.add(w);
    }
    if (wnids.isEmpty()) {
      throw new DatasetFormatException(file, "no wnids (empty file)");
    }
    return wnids;
  }

  private static void listTrain(Path root, List<String> wnids, List<Path> files,
                                List<Integer> labels) {
    Path train = DataFiles.requireDirectory(root.resolve("train"), "train directory");
    for (int c = 0; c < wnids.size(); c++) {
      Path images = DataFiles.requireDirectory(train.resolve(wnids.get(c)).resolve("images"),
          "image directory of class " + wnids.get(c));
      List<Path> found = DataFiles.listFiles(images, DataFiles::isImageName);
      if (found.isEmpty()) {
        throw new DatasetFormatException(images, "no .JPEG images for class " + wnids.get(c));
      }
      for (Path f : found) {
        files.add(f);
        labels.add(c);
      }
    }
  }

  private static void listVal(Path root, List<String> wnids, MessageDigest sha,
                              List<Path> files, List<Integer> labels) {
    Path val = DataFiles.requireDirectory(root.resolve("val"), "val directory");
    Path annotations = val.resolve("val_annotations.txt");
    byte[] content = DataFiles.readAll(annotations);
    sha.update(content);
    Map<String, Integer> index = new HashMap<>();
    for (int c = 0; c < wnids.size(); c++) {
      index.put(wnids.get(c), c);
    }
    Set<String> seen = new HashSet<>();
    List<String> lines = DataFiles.readLines(content);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isEmpty()) {
        continue;
      }
      String where = "line " + (i + 1) + ": ";
      String[] f = line.split("\\s+");
      if (f.length < 2) {
        throw new DatasetFormatException(annotations, where + "expected 'filename TAB wnid"
            + " ...', got '" + line + "'");
      }
      Integer label = index.get(f[1]);
      if (label == null) {
        throw new DatasetFormatException(annotations, where + "unknown wnid " + f[1]
            + " (not in wnids.txt)");
      }
      if (f[0].contains("/") || f[0].contains("\\")) {
        throw new DatasetFormatException(annotations, where + "invalid image name " + f[0]);
      }
      if (!seen.add(f[0])) {
        throw new DatasetFormatException(annotations, where + "duplicate image name " + f[0]);
      }
      Path image = val.resolve("images").resolve(f[0]);
      if (!Files.isRegularFile(image)) {
        throw new DatasetFormatException(annotations, where + "image file " + image
            + " does not exist");
      }
      files.add(image);
      labels.add(label);
    }
    if (files.isEmpty()) {
      throw new DatasetFormatException(annotations, "no annotations (empty file)");
    }
  }

  /** Names from words.txt (first comma-separated name), falling back to the wnid. */
  private static List<String> classNames(Path wordsFile, List<String> wnids) {
    Map<String, String> words = new HashMap<>();
    if (Files.isRegularFile(wordsFile)) {
      Set<String> wanted = new HashSet<>(wnids);
      for (String line : DataFiles.readLines(DataFiles.readAll(wordsFile))) {
        int tab = line.indexOf('\t');
        if (tab > 0 && wanted.contains(line.substring(0, tab))) {
          String name = line.substring(tab + 1).split(",")[0].strip();
          if (!name.isEmpty()) {
            words.put(line.substring(0, tab), name);
          }
        }
      }
    }
    return wnids.stream().map(w -> words.getOrDefault(w, w)).toList();
  }
}
