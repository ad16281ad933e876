package org.reffakd.losses;

import java.util.List;
import java.util.Set;
import org.reffakd.spi.LossFunction;
import org.reffakd.spi.LossInput;
import org.reffakd.spi.LossOutput;
import org.reffakd.spi.ParameterSpec;
import org.reffakd.spi.Parameters;

/**
 * {@code reffakd}: (1-a) CE(z, y) + a T^2 KL(soft[y] || softmax(z/T)), the target the
 * autoencoder soft label of the true class, not temperature-scaled (as the reference code).
 *
 * <p>The KL reduction is named: {@code reference} is PyTorch's KLDivLoss default (mean over all
 * n*C elements, so the term is further divided by C), as the authors' notebooks use it;
 * {@code batchmean} is the textbook sum over classes, mean over the batch.
 */
public final class ReffakdLoss extends BuiltInLoss {

  static final String NAME = "reffakd";

  /** The pure loss. Terms: {@code ce}, {@code kd}. */
  static LossOutput reffakd(LossInput in, double alpha, double t, boolean batchmean) {
    double[] p = softTargets(NAME, in);
    double denom = batchmean ? in.n() : (double) in.n() * in.classes();
    return ceAndKl(in, 1 - alpha, p, t, alpha * t * t, denom, "kd");
  }

  public ReffakdLoss() {
    super(NAME, "ReffAKD: CE + KL to the autoencoder soft label (Doshi & Kim, 2023)",
        Set.of(Need.SOFT_LABELS));
  }

  @Override
  public List<ParameterSpec> parameters() {
    return List.of(
        ParameterSpec.number("alpha", 0.5, 0, 1, "weight of the soft-label term"),
        ParameterSpec.range("temperature", 5, 0, false, Double.POSITIVE_INFINITY, false,
            "softmax temperature of the student in the KL term"),
        ParameterSpec.choice("reduction", "reference", List.of("reference", "batchmean"),
            "KL reduction: reference = PyTorch KLDivLoss default (mean over n*C, the authors' "
                + "code); batchmean = sum over classes, mean over the batch"));
  }

  @Override
  public LossFunction create(Parameters p) {
    double alpha = p.number("alpha");
    double t = p.number("temperature");
    boolean batchmean = p.choice("reduction").equals("batchmean");
    return in -> reffakd(in, alpha, t, batchmean);
  }
}
