package org.reffakd.nn.prep;

import org.reffakd.nn.data.ImageDataset;

/**
 * A dataset split at the training resolution: images in [0, 1], each C x S x S, with their
 * labels. Built once per run; augmentation and normalisation are applied per batch by
 * {@link BatchAssembler}.
 *
 * <p>The pixels stay as the dataset's bytes at their own size, shared by every subset (a
 * subset is a list of indices, not a copy), and each image is resized when it is read
 * ({@link #image}): bilinear with half-pixel centres, the same arithmetic in the same order as
 * resizing everything up front, so the floats are bitwise those of a resized copy. Fashion-MNIST
 * then takes 47 MB instead of 245 MB of floats per copy, and the pool, the validation split and
 * the student's subset add only their indices.
 */
public final class PreparedImages {

  private final byte[] pixels;
  private final int srcHeight;
  private final int srcWidth;
  private final int[] index;
  private final int[] labels;
  private final int channels;
  private final int side;
  private final int classes;
  private final Resize.Plan plan;

  private PreparedImages(byte[] pixels, int srcHeight, int srcWidth, int[] index, int[] labels,
                         int channels, int side, int classes, Resize.Plan plan) {
    this.pixels = pixels;
    this.srcHeight = srcHeight;
    this.srcWidth = srcWidth;
    this.index = index;
    this.labels = labels;
    this.channels = channels;
    this.side = side;
    this.classes = classes;
    this.plan = plan;
  }

  /** The split's images, each resized to side x side when read. */
  public static PreparedImages of(ImageDataset ds, int side) {
    int n = ds.size();
    int[] index = new int[n];
    for (int i = 0; i < n; i++) {
      index[i] = i;
    }
    return new PreparedImages(ds.pixels(), ds.height(), ds.width(), index, ds.labels().clone(),
        ds.channels(), side, ds.numClasses(),
        Resize.plan(ds.height(), ds.width(), side, side));
  }

  public int count() {
    return index.length;
  }

  public int channels() {
    return channels;
  }

  public int side() {
    return side;
  }

  public int classes() {
    return classes;
  }

  /** Labels of the images, in order (the caller must not change them). */
  public int[] labels() {
    return labels;
  }

  public int imageSize() {
    return channels * side * side;
  }

  /** A scratch plane for {@link #image(int, float[], int, float[])}: one per thread. */
  public float[] planeScratch() {
    return new float[srcHeight * srcWidth];
  }

  /**
   * Image i (C x S x S floats in [0, 1]) into out at off; plane is a scratch of
   * {@link #planeScratch()}'s size, owned by the calling thread.
   */
  public void image(int i, float[] out, int off, float[] plane) {
    int in = channels * srcHeight * srcWidth;
    int src = index[i] * in;
    int hw = srcHeight * srcWidth;
    for (int ch = 0; ch < channels; ch++) {
      int s = src + ch * hw;
      for (int p = 0; p < hw; p++) {
        plane[p] = (pixels[s + p] & 0xff) / 255f;
      }
      plan.apply(plane, out, off + ch * side * side);
    }
  }

  /** Image i as a new array (for the few callers outside a batch loop). */
  public float[] image(int i) {
    float[] out = new float[imageSize()];
    image(i, out, 0, planeScratch());
    return out;
  }

  /**
   * Images from .. from+count, resized, one after another (each C x S x S floats in [0, 1]): a
   * copy, for the few callers that need a block of them as one array (export, predict).
   */
  public float[] images(int from, int count) {
    int size = imageSize();
    float[] out = new float[Math.multiplyExact(count, size)];
    float[] scratch = planeScratch();
    for (int i = 0; i < count; i++) {
      image(from + i, out, i * size, scratch);
    }
    return out;
  }

  /** Per-channel mean and standard deviation over all pixels (population std). */
  public Normalization statistics() {
    double[] mean = new double[channels];
    double[] std = new double[channels];
    double[] s = new double[channels];
    double[] ss = new double[channels];
    int plane = side * side;
    float[] img = new float[imageSize()];
    float[] scratch = planeScratch();
    // the same sums in the same order (per channel: image after image, pixel after pixel)
    for (int i = 0; i < count(); i++) {
      image(i, img, 0, scratch);
      for (int ch = 0; ch < channels; ch++) {
        double a = s[ch];
        double b = ss[ch];
        for (int p = ch * plane, end = p + plane; p < end; p++) {
          double v = img[p];
          a += v;
          b += v * v;
        }
        s[ch] = a;
        ss[ch] = b;
      }
    }
    for (int ch = 0; ch < channels; ch++) {
      double m = (double) count() * plane;
      mean[ch] = s[ch] / m;
      std[ch] = Math.sqrt(Math.max(ss[ch] / m - mean[ch] * mean[ch], 1e-12));
    }
    return new Normalization(mean, std);
  }

  /** The images at the given indices, in that order (sharing the pixels). */
  public PreparedImages subset(int[] indices) {
    int[] ix = new int[indices.length];
    int[] lb = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      ix[i] = index[indices[i]];
      lb[i] = labels[indices[i]];
    }
    return new PreparedImages(pixels, srcHeight, srcWidth, ix, lb, channels, side, classes,
        plan);
  }
}
