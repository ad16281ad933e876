package org.reffakd.nn.loss;

import java.util.Map;

/**
 * Named loss terms (already weighted, so that they add up to {@link #total()}) and the
 * gradient of the total with respect to the logits, row-major (n, classes).
 */
public record LossResult(Map<String, Double> terms, double[] gradient) {

  public double total() {
    double t = 0;
    for (double v : terms.values()) {
      t += v;
    }
    return t;
  }
}
