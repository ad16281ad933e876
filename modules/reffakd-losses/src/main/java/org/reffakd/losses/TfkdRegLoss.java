package org.reffakd.losses;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.reffakd.spi.LossFunction;
import org.reffakd.spi.LossInput;
import org.reffakd.spi.LossMath;
import org.reffakd.spi.LossOutput;
import org.reffakd.spi.ParameterSpec;
import org.reffakd.spi.Parameters;

/**
 * {@code tfkd-reg}: teacher-free KD with a manually designed teacher, Tf-KD<sub>reg</sub>
 * (Yuan et al., "Revisiting Knowledge Distillation via Label Smoothing Regularization",
 * CVPR 2020), exactly as {@code loss_kd_regularization} of the authors' code.
 *
 * <p>The manual teacher puts {@code correct_prob} on the true class and
 * {@code (1 - correct_prob) / (C - 1)} on each other class; that vector is divided by T and
 * softmaxed into the target q. The student is <em>not</em> temperature-scaled, and the KL uses
 * PyTorch's {@code KLDivLoss()} default reduction (mean over all n*C elements):
 * {@code (1 - alpha) CE(z, y) + alpha * multiplier * sum KL(q || softmax(z)) / (n C)}.
 */
public final class TfkdRegLoss extends BuiltInLoss {

  /** The pure loss. Terms: {@code ce}, {@code reg}. */
  static LossOutput tfkdReg(LossInput in, double alpha, double t, double correctProb,
                            double multiplier) {
    int n = in.n();
    int c = in.classes();
    double[] teacher = new double[n * c];
    Arrays.fill(teacher, (1 - correctProb) / (c - 1));
    for (int i = 0; i < n; i++) {
      teacher[i * c + in.labels()[i]] = correctProb;
    }
    double[] q = LossMath.softmax(teacher, n, c, t);
    return ceAndKl(in, 1 - alpha, q, 1.0, alpha * multiplier, (double) n * c, "reg");
  }

  public TfkdRegLoss() {
    super("tfkd-reg", "teacher-free KD with a manual teacher, Tf-KD_reg (Yuan et al., CVPR 2020)",
        Set.of());
  }

  @Override
  public List<ParameterSpec> parameters() {
    return List.of(
        ParameterSpec.number("alpha", 0.1, 0, 1,
            "weight of the regularization term; the cross-entropy gets 1 - alpha"),
        ParameterSpec.range("temperature", 20, 0, false, Double.POSITIVE_INFINITY, false,
            "temperature that softens the manual teacher (the student is not scaled)"),
        ParameterSpec.range("correct_prob", 0.99, 0, false, 1, false,
            "manual teacher's value on the true class, the rest spread over the others"),
        ParameterSpec.range("multiplier", 100, 0, true, Double.POSITIVE_INFINITY, false,
            "multiplier of the mean-reduced KL term"));
  }

  @Override
  public LossFunction create(Parameters p) {
    double alpha = p.number("alpha");
    double t = p.number("temperature");
    double correctProb = p.number("correct_prob");
    double multiplier = p.number("multiplier");
    return in -> tfkdReg(in, alpha, t, correctProb, multiplier);
  }
}
