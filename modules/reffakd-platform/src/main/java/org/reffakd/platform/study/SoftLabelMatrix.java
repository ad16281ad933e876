package org.reffakd.platform.study;

import java.util.List;

/**
 * A soft-label matrix kept by the study, drawn as heat maps: {@code similarity} is the C x C
 * class similarity, {@code soft} the soft labels (row = true class); {@code soft} may be null.
 */
public record SoftLabelMatrix(String variant, long seed, List<String> classes,
    double[][] similarity, double[][] soft) {

  public SoftLabelMatrix {
    classes = classes == null ? List.of() : List.copyOf(classes);
  }
}
