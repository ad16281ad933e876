package org.reffakd.losses;

import java.util.LinkedHashMap;
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
 * {@code dkd}: Decoupled Knowledge Distillation (Zhao et al., CVPR 2022), exactly as
 * mdistiller's {@code DKD} / {@code dkd_loss}.
 *
 * <p>With {@code ps = softmax(z/T)}, {@code pt = softmax(t/T)} and g the true class:
 * <ul>
 *   <li>TCKD = KL(b_t || b_s) * T^2, with the binary distributions
 *       {@code b = (p_g, sum_{j != g} p_j)}, summed over the batch and divided by n;</li>
 *   <li>NCKD = KL(pt_hat || ps_hat) * T^2, batch mean, where {@code p_hat} is the softmax of
 *       the logits / T over the non-target classes only. mdistiller subtracts 1000 from the
 *       target logit; here the target is masked out exactly, so the gradient of NCKD with
 *       respect to the target logit is exactly 0;</li>
 *   <li>terms: {@code ce = ce_weight * CE(z, y)}, {@code tckd = w * alpha * TCKD},
 *       {@code nckd = w * beta * NCKD}, with the linear warm-up
 *       {@code w = min((epoch + 1) / warmup, 1)} ({@code w = 1} when {@code warmup = 0}).</li>
 * </ul>
 *
 * <p><b>Epochs.</b> {@link LossInput#epoch()} is 0-based, mdistiller's epochs are 1-based
 * ({@code min(epoch / warmup, 1)}), hence the {@code + 1}: the first epoch gets
 * {@code 1 / warmup}, and with the default 20 the full weight is reached at 0-based epoch 19.
 *
 * <p>Gradients are the exact analytic ones. For TCKD, through {@code p_g} (and
 * {@code p_o = 1 - p_g}), with respect to s = z/T:
 * {@code d/ds = (b_t,o p_g - b_t,g p_o) (e_g - ps_hat)} (ps_hat zero at g); for NCKD:
 * {@code d/ds_j = ps_hat_j - pt_hat_j} for j != g, 0 at g.
 */
public final class DkdLoss extends BuiltInLoss {

  static final String NAME = "dkd";

  /** The pure loss. Terms: {@code ce}, {@code tckd}, {@code nckd}. */
  static LossOutput dkd(LossInput in, double alpha, double beta, double t, double ceWeight,
                        double warmup) {
    double[] teacher = teacherLogits(NAME, in);
    double[] teacherLogP = new double[teacher.length];
    LossMath.logSoftmax(teacher, in.n(), in.classes(), t, teacherLogP);
    return decoupled(in, teacherLogP, alpha, beta, t, ceWeight, warmupFactor(in.epoch(), warmup));
  }

  /**
   * The warm-up factor {@code min((epoch + 1) / warmup, 1)} for a 0-based epoch (mdistiller's
   * {@code min(epoch / warmup, 1)} with its 1-based epoch); 1 when {@code warmup} is 0.
   * Clamped below at 0.
   */
  static double warmupFactor(int epoch, double warmup) {
    if (warmup == 0) {
      return 1.0;
    }
    return Math.max(0.0, Math.min((epoch + 1) / warmup, 1.0));
  }

  /**
   * The decoupled loss against any teacher distribution, shared by {@code dkd} and
   * {@code reffakd-dkd}.
   *
   * @param teacherLogP row-wise log of the teacher distribution (n, classes), used as given
   *                    (not re-normalized, not temperature-scaled); {@code -inf} for a zero
   *                    probability. The binary teacher is {@code (p_g, sum_{j != g} p_j)}, the
   *                    non-target teacher {@code p_j / sum_{k != g} p_k}. A row with no
   *                    non-target mass has an undefined NCKD and contributes 0 to it.
   * @param w           warm-up factor applied to both KD terms
   */
  static LossOutput decoupled(LossInput in, double[] teacherLogP, double alpha, double beta,
                              double t, double ceWeight, double w) {
    int n = in.n();
    int c = in.classes();
    double[] z = in.logits();
    double[] grad = new double[n * c];
    double ce = LossMath.crossEntropy(z, n, c, in.labels(), ceWeight, grad);
    double tckd = 0;
    double nckd = 0;
    double tScale = w * alpha * t / n; // d/dz = (1/T) d/ds, the term carries T^2 / n
    double nScale = w * beta * t / n;
    double[] psHat = new double[c];
    for (int i = 0; i < n; i++) {
      int o = i * c;
      int g = in.labels()[i];
      // student: s = z / T, log-sum-exp over all classes and over the non-target ones
      double lseAll = LossMath.logSumExp(z, o, c, -1, t);
      double lseOther = LossMath.logSumExp(z, o, c, g, t);
      double logPsG = z[o + g] / t - lseAll;
      double logPsO = lseOther - lseAll;
      double psG = Math.exp(logPsG);
      double psO = Math.exp(logPsO);
      for (int j = 0; j < c; j++) {
        psHat[j] = j == g ? 0 : Math.exp(z[o + j] / t - lseOther);
      }
      // teacher, used as given
      double logPtG = teacherLogP[o + g];
      double logPtO = LossMath.logSumExp(teacherLogP, o, c, g, 1.0);
      double ptG = Math.exp(logPtG);
      double ptO = Math.exp(logPtO);
      // TCKD: KL((ptG, ptO) || (psG, psO)), 0 log 0 = 0; a NaN teacher propagates (!= 0)
      double kl = 0;
      if (ptG != 0) {
        kl += ptG * (logPtG - logPsG);
      }
      if (ptO != 0) {
        kl += ptO * (logPtO - logPsO);
      }
      tckd += kl;
      double a = tScale * (ptO * psG - ptG * psO);
      for (int j = 0; j < c; j++) {
        grad[o + j] += a * ((j == g ? 1 : 0) - psHat[j]);
      }
      // NCKD: KL(pt_hat || ps_hat) over j != g
      if (ptO != 0) {
        double klN = 0;
        for (int j = 0; j < c; j++) {
          if (j == g) {
            continue;
          }
          double logPtHat = teacherLogP[o + j] - logPtO;
          double ptHat = Math.exp(logPtHat);
          if (ptHat != 0) {
            klN += ptHat * (logPtHat - (z[o + j] / t - lseOther));
          }
          grad[o + j] += nScale * (psHat[j] - ptHat);
        }
        nckd += klN;
      }
    }
    Map<String, Double> terms = new LinkedHashMap<>();
    terms.put("ce", ceWeight * ce);
    terms.put("tckd", w * alpha * t * t * tckd / n);
    terms.put("nckd", w * beta * t * t * nckd / n);
    return new LossOutput(terms, grad);
  }

  /** The parameter schema shared with {@code reffakd-dkd}. */
  static List<ParameterSpec> schema(String target) {
    return List.of(
        ParameterSpec.range("alpha", 1, 0, true, Double.POSITIVE_INFINITY, false,
            "weight of TCKD, the target-class (binary) KL to the " + target),
        ParameterSpec.range("beta", 8, 0, true, Double.POSITIVE_INFINITY, false,
            "weight of NCKD, the KL over the non-target classes of the " + target),
        ParameterSpec.range("temperature", 4, 0, false, Double.POSITIVE_INFINITY, false,
            "softmax temperature of the student" + (target.equals("teacher")
                ? " and the teacher" : " (the soft label is used as given)")),
        ParameterSpec.range("ce_weight", 1, 0, true, Double.POSITIVE_INFINITY, false,
            "weight of the cross-entropy on hard labels"),
        ParameterSpec.range("warmup", 20, 0, true, Double.POSITIVE_INFINITY, false,
            "epochs of linear warm-up of the KD terms, min((epoch+1)/warmup, 1) with 0-based"
                + " epochs; 0 = none"));
  }

  public DkdLoss() {
    super(NAME, "Decoupled KD: CE + alpha TCKD + beta NCKD to the teacher (Zhao et al., CVPR 2022)",
        Set.of(Need.TEACHER));
  }

  @Override
  public List<ParameterSpec> parameters() {
    return schema("teacher");
  }

  @Override
  public LossFunction create(Parameters p) {
    return create(p, DkdLoss::dkd);
  }

  /** A decoupled loss ({@code dkd} or {@code reffakd-dkd}) with the parameters of the schema. */
  interface Decoupled {
    LossOutput apply(LossInput in, double alpha, double beta, double t, double ceWeight,
                     double warmup);
  }

  /** {@code loss} with the parameters of {@link #schema} read from {@code p}. */
  static LossFunction create(Parameters p, Decoupled loss) {
    double alpha = p.number("alpha");
    double beta = p.number("beta");
    double t = p.number("temperature");
    double ceWeight = p.number("ce_weight");
    double warmup = p.number("warmup");
    return in -> loss.apply(in, alpha, beta, t, ceWeight, warmup);
  }
}
