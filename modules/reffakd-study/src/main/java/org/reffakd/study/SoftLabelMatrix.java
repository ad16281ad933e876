package org.reffakd.study;

import java.util.List;

/**
 * A soft-label matrix kept by the study, drawn as heat maps: {@code similarity} is the C x C
 * class similarity, {@code soft} the soft labels (row = true class); {@code soft} may be null.
 * {@code fraction} is the training fraction whose labelled images it was drawn from.
 */
public record SoftLabelMatrix(String variant, long seed, List<String> classes,
    double[][] similarity, double[][] soft, double fraction) {

  public SoftLabelMatrix {
    classes = classes == null ? List.of() : List.copyOf(classes);
  }

  /** A matrix drawn from the whole pool (training fraction 1). */
  public SoftLabelMatrix(String variant, long seed, List<String> classes, double[][] similarity,
                         double[][] soft) {
    this(variant, seed, classes, similarity, soft, 1.0);
  }
}
