package org.reffakd.nn.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The one home of the split rules.
 * <ul>
 *   <li>The held-out split a run reports on is the dataset's {@code test} split
 *       ({@code val} for Tiny ImageNet, whose test labels are not public): {@link #testSplit}.
 *   <li>The student's validation split is carved from the training images: seeded, stratified
 *       by class, {@code val_size} images, never trained on; it selects the epoch
 *       ({@link #validation}).
 *   <li>What remains is the training pool. The autoencoder and the soft-label draw use the pool;
 *       the student trains on a stratified, seeded {@code train_fraction} of it
 *       ({@link #fraction}), drawn after the validation split is set aside.
 * </ul>
 * Both draws depend only on the labels, the sizes and the seed, so every route of a study with
 * the same seed sees the same images.
 */
public final class Splits {

  private Splits() {}

  /** Indices of a split of the training images: the validation part and the pool. */
  public record Partition(int[] validation, int[] pool) {}

  /** The name of the split a dataset's runs are tested on. */
  public static String testSplit(String dataset) {
    return "tiny-imagenet".equals(dataset) ? "val" : "test";
  }

  /**
   * A stratified, seeded validation split of {@code size} images (each class gets its share,
   * largest remainders first); the pool is everything else. Both in increasing index order.
   */
  public static Partition validation(int[] labels, int classes, int size, long seed) {
    if (size < 0 || size >= labels.length) {
      throw new IllegalArgumentException("val_size " + size + " must be in [0, "
          + labels.length + ") for " + labels.length + " training images");
    }
    List<int[]> byClass = byClass(labels, classes);
    int[] quota = quotas(byClass, labels.length, size);
    boolean[] inVal = new boolean[labels.length];
    for (int c = 0; c < classes; c++) {
      int[] idx = shuffled(byClass.get(c), seed ^ 0x7A11D5L, c);
      for (int i = 0; i < quota[c]; i++) {
        inVal[idx[i]] = true;
      }
    }
    int[] val = new int[size];
    int[] pool = new int[labels.length - size];
    int v = 0;
    int p = 0;
    for (int i = 0; i < labels.length; i++) {
      if (inVal[i]) {
        val[v++] = i;
      } else {
        pool[p++] = i;
      }
    }
    return new Partition(val, pool);
  }

  /**
   * A stratified, seeded subset of {@code pool} (indices into labels): {@code fraction} of each
   * class, at least one image per class present. fraction 1 returns the pool itself.
   */
  public static int[] fraction(int[] pool, int[] labels, int classes, double fraction,
                               long seed) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("train_fraction must be in (0, 1], got " + fraction);
    }
    if (fraction == 1.0) {
      return pool;
    }
    List<List<Integer>> groups = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      groups.add(new ArrayList<>());
    }
    for (int i : pool) {
      groups.get(labels[i]).add(i);
    }
    List<Integer> out = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      int[] members = groups.get(c).stream().mapToInt(Integer::intValue).toArray();
      if (members.length == 0) {
        continue;
      }
      int take = Math.max(1, (int) Math.round(members.length * fraction));
      int[] idx = shuffled(members, seed ^ 0xF4AC7L, c);
      for (int i = 0; i < take; i++) {
        out.add(idx[i]);
      }
    }
    int[] r = out.stream().mapToInt(Integer::intValue).toArray();
    Arrays.sort(r);
    return r;
  }

  private static List<int[]> byClass(int[] labels, int classes) {
    int[] counts = new int[classes];
    for (int l : labels) {
      counts[l]++;
    }
    List<int[]> out = new ArrayList<>();
    int[] fill = new int[classes];
    for (int c = 0; c < classes; c++) {
      out.add(new int[counts[c]]);
    }
    for (int i = 0; i < labels.length; i++) {
      out.get(labels[i])[fill[labels[i]]++] = i;
    }
    return out;
  }

  private static int[] quotas(List<int[]> byClass, int n, int size) {
    int classes = byClass.size();
    int[] q = new int[classes];
    double[] rem = new double[classes];
    int given = 0;
    for (int c = 0; c < classes; c++) {
      double exact = (double) size * byClass.get(c).length / n;
      q[c] = (int) Math.floor(exact);
      rem[c] = exact - q[c];
      given += q[c];
    }
    while (given < size) {
      int best = -1;
      for (int c = 0; c < classes; c++) {
        if (q[c] < byClass.get(c).length && (best < 0 || rem[c] > rem[best])) {
          best = c;
        }
      }
      q[best]++;
      rem[best] = -1;
      given++;
    }
    return q;
  }

  private static int[] shuffled(int[] members, long seed, int cls) {
    int[] a = members.clone();
    SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + cls);
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}
