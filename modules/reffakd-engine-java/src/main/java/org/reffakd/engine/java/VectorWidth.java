package org.reffakd.engine.java;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector width the kernels use: the CPU's preferred one (512 bits with AVX-512, 256 with
 * AVX2, 128 with NEON or SSE), or a narrower one chosen with the environment variable
 * {@value #ENV} or the system property {@value #PROPERTY} (128, 256 or 512; the property wins).
 * A narrower width lets one machine run the code paths another machine runs, and reproduce
 * its results: the engine's sums are grouped in lanes, so results are identical across thread
 * counts but depend on the width (see the engine module's README).
 */
public final class VectorWidth {

  public static final String ENV = "REFFAKD_VECTOR_BITS";
  public static final String PROPERTY = "reffakd.vector.bits";

  private static final VectorSpecies<Float> SPECIES = choose(
      System.getProperty(PROPERTY) != null ? System.getProperty(PROPERTY) : System.getenv(ENV),
      System.getProperty(PROPERTY) != null ? "-D" + PROPERTY : ENV,
      FloatVector.SPECIES_PREFERRED.vectorBitSize());

  private VectorWidth() {}

  /** The width in use, in bits. */
  public static int bits() {
    return SPECIES.vectorBitSize();
  }

  /** The species every kernel uses. */
  static VectorSpecies<Float> species() {
    return SPECIES;
  }

  /**
   * The species for a requested width ({@code value}, null or blank for the CPU's preferred),
   * never wider than {@code preferredBits}; a bad value is one clear error naming
   * {@code source}.
   */
  static VectorSpecies<Float> choose(String value, String source, int preferredBits) {
    if (value == null || value.isBlank()) {
      return FloatVector.SPECIES_PREFERRED.vectorBitSize() == preferredBits
          ? FloatVector.SPECIES_PREFERRED : of(preferredBits);
    }
    int bits;
    try {
      bits = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      bits = -1;
    }
    if (bits != 128 && bits != 256 && bits != 512) {
      throw new IllegalArgumentException(source + "=" + value
          + ": the vector width must be 128, 256 or 512 (bits)");
    }
    if (bits > preferredBits) {
      throw new IllegalArgumentException(source + "=" + value + ": wider than this CPU's "
          + preferredBits + "-bit vectors; use " + preferredBits + " or less");
    }
    return of(bits);
  }

  private static VectorSpecies<Float> of(int bits) {
    return FloatVector.SPECIES_PREFERRED.vectorBitSize() == bits
        ? FloatVector.SPECIES_PREFERRED
        : VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
  }
}
