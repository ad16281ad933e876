package org.reffakd.nn.prep;

import org.reffakd.nn.data.ImageDataset;

/**
 * A dataset split resized to the training resolution, as floats in [0, 1], image after image
 * (each C x S x S), with its labels. Built once per run; augmentation and normalisation are
 * applied per batch by {@link BatchAssembler}.
 */
public record PreparedImages(float[] data, int[] labels, int count, int channels, int side,
                             int classes) {

  public int imageSize() {
    return channels * side * side;
  }

  /** Resizes every image of the split to side x side (bilinear, half-pixel centres). */
  public static PreparedImages of(ImageDataset ds, int side) {
    int c = ds.channels();
    int h = ds.height();
    int w = ds.width();
    int n = ds.size();
    int in = c * h * w;
    int out = c * side * side;
    float[] data = new float[Math.multiplyExact(n, out)];
    byte[] px = ds.pixels();
    float[] plane = new float[h * w];
    Resize.Plan plan = Resize.plan(h, w, side, side);
    for (int i = 0; i < n; i++) {
      for (int ch = 0; ch < c; ch++) {
        int src = i * in + ch * h * w;
        for (int p = 0; p < h * w; p++) {
          plane[p] = (px[src + p] & 0xff) / 255f;
        }
        plan.apply(plane, data, i * out + ch * side * side);
      }
    }
    return new PreparedImages(data, ds.labels().clone(), n, c, side, ds.numClasses());
  }

  /** Per-channel mean and standard deviation over all pixels (population std). */
  public Normalization statistics() {
    double[] mean = new double[channels];
    double[] std = new double[channels];
    int plane = side * side;
    for (int ch = 0; ch < channels; ch++) {
      double s = 0;
      double ss = 0;
      for (int i = 0; i < count; i++) {
        int off = i * imageSize() + ch * plane;
        for (int p = 0; p < plane; p++) {
          double v = data[off + p];
          s += v;
          ss += v * v;
        }
      }
      double m = (double) count * plane;
      mean[ch] = s / m;
      std[ch] = Math.sqrt(Math.max(ss / m - mean[ch] * mean[ch], 1e-12));
    }
    return new Normalization(mean, std);
  }

  /** The images at the given indices, in that order. */
  public PreparedImages subset(int[] indices) {
    int sz = imageSize();
    float[] d = new float[indices.length * sz];
    int[] lb = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      System.arraycopy(data, indices[i] * sz, d, i * sz, sz);
      lb[i] = labels[indices[i]];
    }
    return new PreparedImages(d, lb, indices.length, channels, side, classes);
  }
}
