package org.reffakd.nn.prep;

import java.util.SplittableRandom;
import org.reffakd.backend.ImageBatch;

/**
 * Builds training batches: picks images by index, augments them (seeded per epoch and
 * image position, so a resumed run sees the same stream), normalises per channel and lays
 * the batch out as (C, N, H, W) ({@link ImageBatch.Layout#CNHW}).
 */
public final class BatchAssembler {

  private final PreparedImages images;
  private final Normalization norm;
  private final Augmentation augmentation;
  private final float[] resized;
  private final float[] srcPlane;
  private final float[] scratch;

  /** One assembler per thread: it owns its scratch buffers. */
  public BatchAssembler(PreparedImages images, Normalization norm, Augmentation augmentation) {
    this.images = images;
    this.norm = norm;
    this.augmentation = augmentation;
    this.resized = new float[images.imageSize()];
    this.srcPlane = images.planeScratch();
    this.scratch = new float[images.imageSize()];
  }

  public PreparedImages images() {
    return images;
  }

  /**
   * A batch of the images order[from .. to), augmented with a generator derived from
   * (seed, epoch, from). labelsOut receives their labels. out is reused when large enough.
   */
  public ImageBatch batch(int[] order, int from, int to, long seed, int epoch, float[] out,
                      int[] labelsOut) {
    int n = to - from;
    int c = images.channels();
    int s = images.side();
    int plane = s * s;
    int size = images.imageSize();
    float[] buf = out != null && out.length >= n * size ? out : new float[n * size];
    SplittableRandom rng = new SplittableRandom(mix(seed, epoch, from));
    for (int b = 0; b < n; b++) {
      int idx = order[from + b];
      labelsOut[b] = images.labels()[idx];
      images.image(idx, resized, 0, srcPlane);
      float[] img = resized;
      int off = 0;
      if (augmentation.enabled()) {
        augmentation.apply(resized, 0, c, s, scratch, 0, rng);
        img = scratch;
      }
      for (int ch = 0; ch < c; ch++) {
        float m = (float) norm.mean()[ch];
        float inv = (float) (1.0 / norm.std()[ch]);
        int dst = (ch * n + b) * plane;
        int so = off + ch * plane;
        for (int p = 0; p < plane; p++) {
          buf[dst + p] = (img[so + p] - m) * inv;
        }
      }
    }
    return new ImageBatch(buf, ImageBatch.Layout.CNHW, n, c, s, s);
  }

  static long mix(long seed, int epoch, int from) {
    long z = seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + from * 0x94D049BB133111EBL;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A seeded permutation of 0..n-1 for an epoch. */
  public static int[] permutation(int n, long seed, int epoch) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    SplittableRandom r = new SplittableRandom(mix(seed, epoch, -1));
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
