package org.reffakd.losses;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.reffakd.spi.LossInput;
import org.reffakd.spi.LossMath;
import org.reffakd.spi.LossOutput;
import org.reffakd.spi.LossPlugin;

/** What every built-in strategy reports the same way: its name, description, needs, version. */
abstract class BuiltInLoss implements LossPlugin {

  private final String name;
  private final String description;
  private final Set<Need> needs;

  BuiltInLoss(String name, String description, Set<Need> needs) {
    this.name = name;
    this.description = description;
    this.needs = needs;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final String version() {
    return Version.BUILT_IN;
  }

  @Override
  public final String description() {
    return description;
  }

  @Override
  public final Set<Need> needs() {
    return needs;
  }

  /** The input's teacher logits; one line naming the loss when it has none. */
  static double[] teacherLogits(String loss, LossInput in) {
    return required(in.teacherLogits(), loss, "teacher logits", "teacherLogits");
  }

  /** The input's soft targets; one line naming the loss when it has none. */
  static double[] softTargets(String loss, LossInput in) {
    return required(in.softTargets(), loss, "soft labels", "softTargets");
  }

  private static double[] required(double[] v, String loss, String what, String accessor) {
    if (v == null) {
      throw new IllegalArgumentException(loss + ": needs " + what + ", but the input has none"
          + " (LossInput." + accessor + "() is null)");
    }
    return v;
  }

  /**
   * Cross-entropy on the hard labels plus a KL to the student's softmax, the shape of kd,
   * reffakd and tfkd-reg: {@code ce_weight * CE(z, y) + kl_weight * KL(target ||
   * softmax(z/T)) / denom}, the KL summed over the batch. Terms: {@code ce} and {@code klTerm}.
   *
   * @param target row-wise target distribution (n, classes), used as given
   */
  static LossOutput ceAndKl(LossInput in, double ceWeight, double[] target, double t,
                            double klWeight, double denom, String klTerm) {
    int n = in.n();
    int c = in.classes();
    double[] grad = new double[n * c];
    double ce = LossMath.crossEntropy(in.logits(), n, c, in.labels(), ceWeight, grad);
    double kl = LossMath.klToSoftmax(target, in.logits(), n, c, t, klWeight / denom, grad);
    Map<String, Double> terms = new LinkedHashMap<>();
    terms.put("ce", ceWeight * ce);
    terms.put(klTerm, klWeight * kl / denom);
    return new LossOutput(terms, grad);
  }
}
