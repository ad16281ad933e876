package org.reffakd.nn.prep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.reffakd.nn.data.ImageDataset;

/**
 * Images kept as bytes and resized when read are bitwise the floats of resizing each image up
 * front (the plane in [0, 1], then the bilinear plan), through subsets of subsets, and the
 * statistics are the same sums in the same order.
 */
class PreparedImagesTest {

  @Test
  void resizedOnReadEqualsResizedUpFront() {
    int n = 7;
    int c = 3;
    int h = 5;
    int w = 6;
    int side = 8;
    Random r = new Random(1);
    byte[] px = new byte[n * c * h * w];
    r.nextBytes(px);
    int[] labels = {0, 1, 2, 0, 1, 2, 0};
    ImageDataset ds = new ImageDataset("t", "train", c, h, w, px, labels,
        List.of("a", "b", "c"), "sha");
    PreparedImages all = PreparedImages.of(ds, side);
    Resize.Plan plan = Resize.plan(h, w, side, side);
    float[][] upFront = new float[n][c * side * side];
    for (int i = 0; i < n; i++) {
      for (int ch = 0; ch < c; ch++) {
        float[] plane = new float[h * w];
        for (int p = 0; p < h * w; p++) {
          plane[p] = (px[(i * c + ch) * h * w + p] & 0xff) / 255f;
        }
        plan.apply(plane, upFront[i], ch * side * side);
      }
      assertArrayEquals(upFront[i], all.image(i), "image " + i);
    }
    PreparedImages sub = all.subset(new int[] {6, 2, 4}).subset(new int[] {2, 0});
    assertEquals(2, sub.count());
    assertArrayEquals(new int[] {labels[4], labels[6]}, sub.labels());
    assertArrayEquals(upFront[4], sub.image(0));
    assertArrayEquals(upFront[6], sub.image(1));

    double[] mean = new double[c];
    double[] sq = new double[c];
    for (int ch = 0; ch < c; ch++) {
      for (int i = 0; i < n; i++) {
        for (int p = 0; p < side * side; p++) {
          double v = upFront[i][ch * side * side + p];
          mean[ch] += v;
          sq[ch] += v * v;
        }
      }
    }
    Normalization norm = all.statistics();
    for (int ch = 0; ch < c; ch++) {
      double m = mean[ch] / (n * side * side);
      assertEquals(m, norm.mean()[ch], 0.0);
      assertEquals(Math.sqrt(sq[ch] / (n * side * side) - m * m), norm.std()[ch], 0.0);
    }
  }
}
