package org.reffakd.backend;

import java.util.List;

/**
 * A training backend, found with {@link java.util.ServiceLoader} (see {@link Backends}). It
 * builds the students, teachers and the autoencoder; the trainers, the soft-label generator and
 * the dashboard use only these interfaces.
 *
 * <p>Seeds: a model built with the same architecture, sizes and seed has the same initial
 * weights in every backend (backends other than the java engine copy the java engine's
 * initialisation), so backends can be compared run for run.
 */
public interface Backend {

  /** The name {@code --engine} selects ("java", "dl4j"). */
  String name();

  /** One line for logs and provenance: library, version, device. */
  String describe();

  /** Architectures {@link #classifier} builds. */
  List<String> architectures();

  /**
   * A classifier for images of channels x side x side.
   *
   * @throws IllegalArgumentException for an unknown architecture or a size it cannot take
   */
  Classifier classifier(String arch, int channels, int side, int classes, long seed);

  AutoencoderModel autoencoder(int channels, long seed);

  /**
   * The SIMD width its kernels use, in bits (the java engine: 128, 256 or 512, see
   * {@code REFFAKD_VECTOR_BITS}); 0 when the backend does not say (its native libraries
   * choose). Results recorded with it (result.json, bench) say which code paths ran.
   */
  default int vectorBits() {
    return 0;
  }

  /**
   * The Gram matrix of n rows of length dim (row-major): {@code out[i * n + j]} is the dot
   * product of rows i and j, for the soft labels' cosines. This default sums in float, in index
   * order; a backend may use its own kernels (the java engine does), so the last bits depend on
   * the backend and, for the java engine, on its vector width.
   */
  default float[] gram(float[] rows, int n, int dim) {
    float[] out = new float[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        float s = 0;
        for (int d = 0; d < dim; d++) {
          s += rows[i * dim + d] * rows[j * dim + d];
        }
        out[i * n + j] = s;
      }
    }
    return out;
  }

  /** Compute threads for training (the java engine's pool; the dl4j backend's OpenBLAS threads). */
  void threads(int threads);

  /**
   * A classifier from a model file in this backend's own format (Deeplearning4j: a
   * ModelSerializer zip), for a teacher; empty when this backend does not read such files.
   *
   * @throws IllegalArgumentException naming the file when it is one of this backend's kind
   *     but cannot be read
   */
  default java.util.Optional<Classifier> open(java.nio.file.Path file) {
    return java.util.Optional.empty();
  }
}
