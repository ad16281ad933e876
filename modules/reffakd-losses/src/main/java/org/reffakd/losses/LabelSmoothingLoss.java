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

/**
 * {@code label-smoothing}: cross-entropy against the smoothed target {@code 1 - eps} on the
 * true class and {@code eps / (C - 1)} on each wrong class (Szegedy et al., 2016, with the
 * mass spread over the wrong classes only; note PyTorch's {@code label_smoothing} spreads
 * {@code eps / C} over all classes instead).
 */
public final class LabelSmoothingLoss extends BuiltInLoss {

  /** The pure loss. Term: {@code ce}. */
  static LossOutput labelSmoothing(LossInput in, double epsilon) {
    int n = in.n();
    int c = in.classes();
    double[] logp = new double[n * c];
    LossMath.logSoftmax(in.logits(), n, c, 1.0, logp);
    double off = epsilon / (c - 1);
    double on = 1 - epsilon;
    double[] grad = new double[n * c];
    double loss = 0;
    for (int i = 0; i < n; i++) {
      int o = i * c;
      for (int j = 0; j < c; j++) {
        double target = j == in.labels()[i] ? on : off;
        if (target > 0) {
          loss -= target * logp[o + j];
        }
        grad[o + j] = (Math.exp(logp[o + j]) - target) / n;
      }
    }
    return new LossOutput(Map.of("ce", loss / n), grad);
  }

  public LabelSmoothingLoss() {
    super("label-smoothing", "label smoothing over the wrong classes (Szegedy et al., CVPR 2016)",
        Set.of());
  }

  @Override
  public List<ParameterSpec> parameters() {
    return List.of(ParameterSpec.range("epsilon", 0.1, 0, true, 1, false,
        "probability mass moved from the true class, spread evenly over the wrong classes"));
  }

  @Override
  public LossFunction create(Parameters p) {
    double epsilon = p.number("epsilon");
    return in -> labelSmoothing(in, epsilon);
  }
}
