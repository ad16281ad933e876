package org.reffakd.nn.run;

import java.nio.file.Path;
import java.util.List;

/**
 * The checks a run passes before anything trains, with one message naming the setting and the
 * option that changes it: {@link #run} once the data is loaded (the autoencoder stage calls it
 * first, so every route fails before the autoencoder trains), {@link #checkLabelled} from the
 * training labels alone (a study checks every seed and fraction with it up front).
 */
public final class Preflight {

  private Preflight() {}

  /**
   * Checks, once the data is loaded and before anything trains, everything that would make the
   * run fail later: the validation split fits the training images, every class keeps
   * soft_per_class images in the pool (the soft-label draw) and at least one in the student's
   * training subset (train_fraction), the autoencoder has images to train and select on, the
   * test split is not empty, and the teacher predicts the data's classes. {@link
   * AutoencoderStage#run} calls it first, so every route fails here rather than after the
   * autoencoder. The message names the setting and the option that changes it.
   */
  public static void run(RunConfig cfg, RunData data) {
    int n = data.trainImages().count();
    if (cfg.input().valSize() >= n) {
      throw new IllegalArgumentException("val_size " + cfg.input().valSize() + " leaves no training "
          + "images: the training split has " + n + " (use --val-size N, smaller)");
    }
    if (data.testImages().count() == 0) {
      throw new IllegalArgumentException("the " + Splits.testSplit(cfg.dataset())
          + " split of " + cfg.input().dir() + " has no images");
    }
    RunData.Parts parts = data.parts(cfg);
    List<String> names = data.train().classNames();
    checkLabelled(cfg, data.trainImages().labels(), names, true);
    org.reffakd.nn.prep.PreparedImages aePool = parts.autoencoderPool(cfg);
    int nVal = (int) Math.round(aePool.count() * cfg.autoencoder().valFraction());
    if (cfg.autoencoder().epochs() > 0 && (nVal < 1 || nVal >= aePool.count())) {
      throw new IllegalArgumentException("ae_val_fraction " + cfg.autoencoder().valFraction() + " of "
          + aePool.count() + " autoencoder images leaves the autoencoder " + nVal
          + " validation images: it needs at least one, and one to train on");
    }
    if (cfg.objective().teacher() != null) {
      Integer t = Teachers.describe(Path.of(cfg.objective().teacher())).classesCount();
      if (t != null && t != names.size()) {
        throw new IllegalArgumentException("--teacher " + cfg.objective().teacher() + " predicts "
            + t.intValue() + " classes, the dataset has " + names.size());
      }
    }
  }

  /**
   * Checks that the labelled images a config's route has (its train_fraction of the pool, the
   * validation split set aside) leave every class at least one image and, when the route uses
   * soft labels, at least soft_per_class images for the draw: it draws only from them. Needs only
   * the training labels (the splits depend on nothing else), so a study can check every seed and
   * fraction before anything trains. The message names the fraction and soft_per_class.
   */
  public static void checkLabelled(RunConfig cfg, int[] labels, List<String> names,
                                   boolean softLabels) {
    int classes = names.size();
    Splits.Partition p = Splits.validation(labels, classes, cfg.input().valSize(), cfg.seed());
    int[] sub = Splits.fraction(p.pool(), labels, classes, cfg.trainFraction(), cfg.seed());
    int[] count = new int[classes];
    for (int i : sub) {
      count[labels[i]]++;
    }
    String after = cfg.input().valSize() == 0 ? "" : " after the validation split of " + cfg.input().valSize()
        + " images";
    int min = java.util.Arrays.stream(count).min().orElse(0);
    for (int c = 0; c < classes; c++) {
      if (count[c] < 1) {
        throw new IllegalArgumentException("train_fraction " + cfg.trainFraction()
            + " leaves no training image of class '" + names.get(c) + "'" + after
            + " (use a larger --train-fraction)");
      }
      if (softLabels && count[c] < cfg.soft().perClass()) {
        throw new IllegalArgumentException(cfg.trainFraction() < 1
            ? "train_fraction " + cfg.trainFraction() + " leaves class '" + names.get(c) + "' "
                + count[c] + " labelled images" + after + ", fewer than soft_per_class "
                + cfg.soft().perClass() + " (the soft-label draw uses only the labelled images a "
                + "route has: use --soft-per-class " + Math.max(2, min) + " or a larger "
                + "--train-fraction)"
            : "soft_per_class " + cfg.soft().perClass() + " needs " + cfg.soft().perClass()
                + " training images of every class, but class '" + names.get(c) + "' has "
                + count[c] + after + " (use --soft-per-class " + Math.max(2, min)
                + (cfg.input().valSize() == 0 ? "" : ", or a smaller --val-size") + ")");
      }
    }
  }
}
