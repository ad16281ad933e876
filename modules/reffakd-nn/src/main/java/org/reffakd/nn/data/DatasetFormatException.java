package org.reffakd.nn.data;

import java.nio.file.Path;

/**
 * A dataset file is missing, truncated or not in the expected format. The message always names
 * the file and what is wrong with it, and the record index where one applies, so that it can be
 * shown to the user as is.
 */
public class DatasetFormatException extends RuntimeException {

  private final Path file;

  public DatasetFormatException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  public DatasetFormatException(Path file, long record, String problem) {
    super(file + ": record " + record + ": " + problem);
    this.file = file;
  }

  public DatasetFormatException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  /** The offending file (or directory). */
  public Path file() {
    return file;
  }
}
