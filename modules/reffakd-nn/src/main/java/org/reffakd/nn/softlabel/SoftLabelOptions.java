package org.reffakd.nn.softlabel;

/**
 * How soft labels are made. {@link #paper} reproduces the reference exactly; the other knobs
 * are named options beyond the paper.
 *
 * @param perClass              images drawn per class (paper: 40)
 * @param diagonalBoost         added to avg[i][i] before the softmax (paper: 0.008 for
 *                              Fashion-MNIST, 0.0225 for CIFAR-100 and Tiny ImageNet)
 * @param similarityTemperature softmax(avg / t) per row; paper: 1 (no temperature)
 * @param centered              subtract the mean embedding before the cosines (paper: false)
 */
public record SoftLabelOptions(int perClass, double diagonalBoost, double similarityTemperature,
                               boolean centered) {

  public SoftLabelOptions {
    if (perClass < 2) {
      throw new IllegalArgumentException("soft labels: per-class sample count must be >= 2, got "
          + perClass);
    }
    if (!(similarityTemperature > 0)) {
      throw new IllegalArgumentException("soft labels: similarity temperature must be > 0, got "
          + similarityTemperature);
    }
  }

  /** The paper's diagonal boost for a dataset. */
  public static double paperBoost(String dataset) {
    return dataset.contains("mnist") ? 0.008 : 0.0225;
  }

  public static SoftLabelOptions paper(String dataset) {
    return new SoftLabelOptions(40, paperBoost(dataset), 1.0, false);
  }

  public boolean isPaperMode(String dataset) {
    return perClass == 40 && diagonalBoost == paperBoost(dataset) && similarityTemperature == 1.0
        && !centered;
  }
}
