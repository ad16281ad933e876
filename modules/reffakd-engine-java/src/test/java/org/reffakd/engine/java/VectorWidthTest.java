package org.reffakd.engine.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.reffakd.engine.java.model.JavaBackend;

/** REFFAKD_VECTOR_BITS: parsing, bounds, and that the kernels and the backend use it. */
class VectorWidthTest {

  @Test
  void theKernelsAndTheBackendUseTheChosenWidth() {
    String requested = System.getProperty(VectorWidth.PROPERTY) != null
        ? System.getProperty(VectorWidth.PROPERTY) : System.getenv(VectorWidth.ENV);
    int expected = requested == null || requested.isBlank()
        ? FloatVector.SPECIES_PREFERRED.vectorBitSize() : Integer.parseInt(requested.trim());
    assertEquals(expected, VectorWidth.bits());
    assertEquals(expected, Kernels.S.vectorBitSize());
    assertEquals(expected / 32, Kernels.L);
    assertEquals(expected, new JavaBackend().vectorBits());
    assertTrue(new JavaBackend().describe().contains(expected + "-bit"));
  }

  @Test
  void choosesNarrowerWidthsAndRefusesBadOnes() {
    assertEquals(128, VectorWidth.choose("128", "X", 512).vectorBitSize());
    assertEquals(256, VectorWidth.choose(" 256 ", "X", 256).vectorBitSize());
    assertEquals(128, VectorWidth.choose(null, "X", 128).vectorBitSize());
    assertEquals(256, VectorWidth.choose("", "X", 256).vectorBitSize());
    IllegalArgumentException wide = assertThrows(IllegalArgumentException.class,
        () -> VectorWidth.choose("512", "REFFAKD_VECTOR_BITS", 256));
    assertEquals("REFFAKD_VECTOR_BITS=512: wider than this CPU's 256-bit vectors; use 256 or"
        + " less", wide.getMessage());
    for (String bad : new String[] {"64", "1024", "abc", "256.0", "-128"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> VectorWidth.choose(bad, "REFFAKD_VECTOR_BITS", 512), bad);
      assertEquals("REFFAKD_VECTOR_BITS=" + bad + ": the vector width must be 128, 256 or 512"
          + " (bits)", e.getMessage());
    }
  }
}
