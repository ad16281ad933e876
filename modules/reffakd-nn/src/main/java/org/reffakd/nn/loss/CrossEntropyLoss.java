package org.reffakd.nn.loss;

import java.util.Map;

/** {@code ce}: cross-entropy on the hard labels, the no-distillation baseline. */
public final class CrossEntropyLoss implements LossStrategy {

  @Override
  public String name() {
    return "ce";
  }

  @Override
  public boolean needsSoftLabels() {
    return false;
  }

  @Override
  public LossResult compute(LossInput in) {
    double[] grad = new double[in.logits().length];
    double ce = LossMath.crossEntropy(in.logits(), in.n(), in.classes(), in.labels(), 1.0, grad);
    return new LossResult(Map.of("ce", ce), grad);
  }
}
