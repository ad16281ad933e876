package org.reffakd.backend;

/**
 * A batch of images as one float array that states its layout: {@link Layout#CNHW}
 * (channel-major over the whole batch, the java engine's layout) or {@link Layout#NCHW}
 * (image-major, Deeplearning4j's and PyTorch's). The array may be longer than the batch needs
 * (loaders reuse buffers); only the first {@link #size()} values count.
 */
public record ImageBatch(float[] data, Layout layout, int n, int channels, int height,
                         int width) {

  /** Where each value of the batch lives in the array. */
  public enum Layout {
    /** value (c, i, y, x) at ((c * n + i) * h + y) * w + x. */
    CNHW,
    /** value (i, c, y, x) at ((i * c + c) * h + y) * w + x. */
    NCHW
  }

  public ImageBatch {
    if (data == null || layout == null) {
      throw new IllegalArgumentException("an image batch needs data and a layout");
    }
    if (n < 0 || channels < 1 || height < 1 || width < 1) {
      throw new IllegalArgumentException("bad image batch shape n=" + n + " c=" + channels
          + " h=" + height + " w=" + width);
    }
    if ((long) n * channels * height * width > data.length) {
      throw new IllegalArgumentException("image batch of " + n + "x" + channels + "x" + height
          + "x" + width + " needs " + (long) n * channels * height * width
          + " floats, the array has " + data.length);
    }
  }

  /** Number of values of the batch. */
  public int size() {
    return n * channels * height * width;
  }

  /** This batch in the given layout: itself when it already is, otherwise a new array. */
  public ImageBatch to(Layout target) {
    if (target == layout) {
      return this;
    }
    int plane = height * width;
    float[] out = new float[size()];
    for (int c = 0; c < channels; c++) {
      for (int i = 0; i < n; i++) {
        int cnhw = (c * n + i) * plane;
        int nchw = (i * channels + c) * plane;
        if (layout == Layout.CNHW) {
          System.arraycopy(data, cnhw, out, nchw, plane);
        } else {
          System.arraycopy(data, nchw, out, cnhw, plane);
        }
      }
    }
    return new ImageBatch(out, target, n, channels, height, width);
  }
}
