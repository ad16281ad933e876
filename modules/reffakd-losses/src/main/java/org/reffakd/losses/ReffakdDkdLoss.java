package org.reffakd.losses;

import java.util.List;
import java.util.Set;
import org.reffakd.spi.LossFunction;
import org.reffakd.spi.LossInput;
import org.reffakd.spi.LossOutput;
import org.reffakd.spi.ParameterSpec;
import org.reffakd.spi.Parameters;

/**
 * {@code reffakd-dkd}: the hybrid of ReffAKD and DKD. Decoupled KD (see {@link DkdLoss}, same
 * parameters, terms and warm-up) with the teacher distribution replaced by the autoencoder
 * soft label of each sample's class, used as given: not re-softmaxed, not temperature-scaled.
 * The binary teacher is {@code (soft_g, sum_{j != g} soft_j)} and the non-target teacher the
 * soft label over the non-target classes renormalized; the student is {@code softmax(z/T)}.
 */
public final class ReffakdDkdLoss extends BuiltInLoss {

  static final String NAME = "reffakd-dkd";

  /** The pure loss. Terms: {@code ce}, {@code tckd}, {@code nckd}. */
  static LossOutput reffakdDkd(LossInput in, double alpha, double beta, double t,
                               double ceWeight, double warmup) {
    double[] soft = softTargets(NAME, in);
    double[] logSoft = new double[soft.length];
    for (int k = 0; k < soft.length; k++) {
      logSoft[k] = Math.log(soft[k]);
    }
    return DkdLoss.decoupled(in, logSoft, alpha, beta, t, ceWeight,
        DkdLoss.warmupFactor(in.epoch(), warmup));
  }

  public ReffakdDkdLoss() {
    super(NAME, "ReffAKD + DKD: decoupled KD to the autoencoder soft label (Doshi & Kim 2023;"
        + " Zhao et al. 2022)",
        Set.of(Need.SOFT_LABELS));
  }

  @Override
  public List<ParameterSpec> parameters() {
    return DkdLoss.schema("soft label");
  }

  @Override
  public LossFunction create(Parameters p) {
    return DkdLoss.create(p, ReffakdDkdLoss::reffakdDkd);
  }
}
