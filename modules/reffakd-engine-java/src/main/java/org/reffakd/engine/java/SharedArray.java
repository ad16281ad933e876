package org.reffakd.engine.java;

/**
 * A float array that several layers take their input gradient in, one after the other (see
 * {@link ResidualBlock.Shared}): it grows to the largest size asked for and is never cleared,
 * so a layer using it must write every value it returns.
 */
final class SharedArray {

  private float[] a;

  /** The array, at least {@code size} floats long (its first {@code size} are used). */
  float[] atLeast(int size) {
    if (a == null || a.length < size) {
      a = new float[size];
    }
    return a;
  }
}
