package org.reffakd.losses;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.reffakd.spi.LossFunction;
import org.reffakd.spi.LossInput;
import org.reffakd.spi.LossMath;
import org.reffakd.spi.LossOutput;
import org.reffakd.spi.ParameterSpec;
import org.reffakd.spi.Parameters;

/** {@code ce}: cross-entropy on the hard labels, the no-distillation baseline. */
public final class CrossEntropyLoss extends BuiltInLoss {

  /** Mean cross-entropy and its gradient. */
  static LossOutput ce(LossInput in) {
    double[] grad = new double[in.logits().length];
    double ce = LossMath.crossEntropy(in.logits(), in.n(), in.classes(), in.labels(), 1.0, grad);
    return new LossOutput(Map.of("ce", ce), grad);
  }

  public CrossEntropyLoss() {
    super("ce", "cross-entropy on hard labels (no distillation baseline)",
        Set.of());
  }

  @Override
  public List<ParameterSpec> parameters() {
    return List.of();
  }

  @Override
  public LossFunction create(Parameters params) {
    return CrossEntropyLoss::ce;
  }
}
