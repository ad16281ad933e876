package org.reffakd.onnx;

/** Linear int8 quantisation: symmetric per-channel weights, asymmetric uint8 activations. */
final class Quant {

  private Quant() {}

  /** int8 values in [-127, 127] and one scale per channel: w ~ value * scale. */
  record PerChannel(byte[] values, float[] scales) {}

  /** uint8 activations: x ~ (q - zeroPoint) * scale. */
  record Affine(float scale, int zeroPoint) {}

  /**
   * Quantises a row-major tensor of shape {@code dims} per slice along {@code axis}, each slice
   * with scale max|w| / 127 (symmetric, zero point 0, as ONNX Runtime's int8 weights).
   */
  static PerChannel perChannel(float[] w, long[] dims, int axis) {
    int channels = (int) dims[axis];
    long inner = 1;
    for (int d = axis + 1; d < dims.length; d++) {
      inner *= dims[d];
    }
    float[] max = new float[channels];
    for (int i = 0; i < w.length; i++) {
      int c = (int) ((i / inner) % channels);
      max[c] = Math.max(max[c], Math.abs(w[i]));
    }
    float[] scales = new float[channels];
    for (int c = 0; c < channels; c++) {
      scales[c] = max[c] > 0 ? max[c] / 127f : 1f; // a scale must be positive
    }
    byte[] q = new byte[w.length];
    for (int i = 0; i < w.length; i++) {
      int c = (int) ((i / inner) % channels);
      q[i] = (byte) Math.max(-127, Math.min(127, Math.round(w[i] / scales[c])));
    }
    return new PerChannel(q, scales);
  }

  /** The uint8 scale and zero point of a calibrated range, widened to contain 0. */
  static Affine affine(float min, float max) {
    double lo = Math.min(0, min);
    double hi = Math.max(0, max);
    if (hi - lo < 1e-8) {
      hi = lo + 1e-8;
    }
    double scale = (hi - lo) / 255;
    int zero = (int) Math.max(0, Math.min(255, Math.round(-lo / scale)));
    return new Affine((float) scale, zero);
  }
}
