package org.reffakd.backend;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes a trained classifier as a model file another runtime loads, found with
 * {@link java.util.ServiceLoader} by {@link #format()} (see {@link Exporters}), as backends are.
 * An exporter reads the model only through {@link ExportSource}: its state by name (the names
 * and layouts of {@link Trainable}) and its architecture name, never a backend's classes.
 *
 * <p>Stateless and thread-safe; each call writes one file.
 */
public interface Exporter {

  /** The name {@code reffakd export --format} selects ("dl4j", "onnx", "onnx-int8"). */
  String format();

  /** One line for --help: what the file is and what reads it. */
  String describe();

  /** The usual file name ending (".zip", ".onnx"). */
  String extension();

  /**
   * Writes the model to {@code out} (a new file; the caller moves it into place).
   *
   * @return what was written, with the figures measured on the way (sizes, accuracies)
   * @throws IllegalArgumentException for an architecture or source this format cannot take
   */
  ExportReport export(ExportSource source, Path out) throws IOException;
}
