package org.reffakd.nn.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** File helpers shared by the readers: every I/O failure becomes a {@link DatasetFormatException}. */
final class DataFiles {

  private DataFiles() {
  }

  /** Fails unless {@code dir} is an existing directory. */
  static Path requireDirectory(Path dir, String what) {
    if (!Files.isDirectory(dir)) {
      throw new DatasetFormatException(dir, Files.exists(dir)
          ? what + " is not a directory" : what + " does not exist");
    }
    return dir;
  }

  /** The whole file as stored on disk. */
  static byte[] readAll(Path file) {
    if (Files.isDirectory(file)) {
      throw new DatasetFormatException(file, "is a directory, expected a file");
    }
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new DatasetFormatException(file, "file not found", e);
    } catch (IOException e) {
      throw new DatasetFormatException(file, "cannot read file: " + e, e);
    }
  }

  /** Lines of a UTF-8 text file (malformed bytes replaced), trimmed; blank lines kept. */
  static List<String> readLines(byte[] content) {
    String text = new String(content, StandardCharsets.UTF_8);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    return Arrays.stream(text.split("\\R", -1)).map(String::strip).toList();
  }

  /** Regular files directly in {@code dir} whose names pass the filter, sorted by name. */
  static List<Path> listFiles(Path dir, Predicate<String> nameFilter) {
    return list(dir, p -> Files.isRegularFile(p) && nameFilter.test(p.getFileName().toString()));
  }

  /** Non-hidden subdirectories of {@code dir}, sorted by name. */
  static List<Path> listDirectories(Path dir) {
    return list(dir, p -> Files.isDirectory(p) && !p.getFileName().toString().startsWith("."));
  }

  private static List<Path> list(Path dir, Predicate<Path> filter) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(filter)
          .sorted(Comparator.comparing(p -> p.getFileName().toString()))
          .toList();
    } catch (IOException e) {
      throw new DatasetFormatException(dir, "cannot list directory: " + e, e);
    }
  }

  /** True for names ending in .png, .jpg or .jpeg (any case). */
  static boolean isImageName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
  }

  /** Returns {@code split} if it is one of {@code allowed}, else throws IllegalArgumentException. */
  static String requireSplit(String dataset, String split, String... allowed) {
    for (String a : allowed) {
      if (a.equals(split)) {
        return split;
      }
    }
    throw new IllegalArgumentException("unknown split '" + split + "' for " + dataset
        + "; expected one of " + String.join(", ", allowed));
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 not available", e);
    }
  }

  static String hex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The file name only, for messages that mention a second file. */
  static String name(Path file) {
    Path n = file.getFileName();
    return n == null ? file.toString() : n.toString();
  }
}
