package org.reffakd.losses;

import java.util.List;
import java.util.Set;
import org.reffakd.spi.LossFunction;
import org.reffakd.spi.LossInput;
import org.reffakd.spi.LossMath;
import org.reffakd.spi.LossOutput;
import org.reffakd.spi.ParameterSpec;
import org.reffakd.spi.Parameters;

/**
 * {@code kd}: vanilla knowledge distillation (Hinton, Vinyals &amp; Dean, 2015), with
 * mdistiller's defaults and reduction: {@code ce_weight * CE(z, y)
 * + kd_weight * T^2 * KL(softmax(t/T) || softmax(z/T))}, the KL summed over classes and
 * averaged over the batch, t the teacher logits.
 */
public final class KdLoss extends BuiltInLoss {

  static final String NAME = "kd";

  /** The pure loss. Terms: {@code ce}, {@code kd}. */
  static LossOutput kd(LossInput in, double ceWeight, double kdWeight, double t) {
    double[] p = LossMath.softmax(teacherLogits(NAME, in), in.n(), in.classes(), t);
    return ceAndKl(in, ceWeight, p, t, kdWeight * t * t, in.n(), "kd");
  }

  public KdLoss() {
    super(NAME, "vanilla KD: CE + T^2 KL to the teacher's softened output (Hinton et al., 2015)",
        Set.of(Need.TEACHER));
  }

  @Override
  public List<ParameterSpec> parameters() {
    return List.of(
        ParameterSpec.range("ce_weight", 0.1, 0, true, Double.POSITIVE_INFINITY, false,
            "weight of the cross-entropy on hard labels"),
        ParameterSpec.range("kd_weight", 0.9, 0, true, Double.POSITIVE_INFINITY, false,
            "weight of the T^2-scaled KL to the teacher"),
        ParameterSpec.range("temperature", 4, 0, false, Double.POSITIVE_INFINITY, false,
            "softmax temperature of teacher and student in the KL term"));
  }

  @Override
  public LossFunction create(Parameters p) {
    double ceWeight = p.number("ce_weight");
    double kdWeight = p.number("kd_weight");
    double t = p.number("temperature");
    return in -> kd(in, ceWeight, kdWeight, t);
  }
}
