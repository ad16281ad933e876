package org.reffakd.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named loss terms, already weighted so that they add up to {@link #total()}, and the gradient
 * of the total with respect to the student logits, row-major (n, classes).
 */
public record LossOutput(Map<String, Double> terms, double[] gradient) {

  public LossOutput {
    terms = Collections.unmodifiableMap(new LinkedHashMap<>(terms));
  }

  public double total() {
    double t = 0;
    for (double v : terms.values()) {
      t += v;
    }
    return t;
  }
}
