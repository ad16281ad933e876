package org.reffakd.nn.loss;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code reffakd}: (1-a) CE(z, y) + a T^2 KL(soft[y] || softmax(z/T)), the target the
 * autoencoder soft label of the true class, not temperature-scaled (as the reference code).
 *
 * <p>The KL reduction is named: {@link Reduction#REFERENCE} is PyTorch's KLDivLoss default
 * (mean over all n*C elements, so the term is further divided by C), as the authors' notebooks
 * use it; {@link Reduction#BATCHMEAN} is the textbook sum over classes, mean over the batch.
 */
public final class ReffakdLoss implements LossStrategy {

  /** How the KL term is reduced over the batch. */
  public enum Reduction {
    REFERENCE("reference"), BATCHMEAN("batchmean");

    public final String id;

    Reduction(String id) {
      this.id = id;
    }

    public static Reduction parse(String s) {
      for (Reduction r : values()) {
        if (r.id.equals(s)) {
          return r;
        }
      }
      throw new IllegalArgumentException("reffakd: unknown KL reduction '" + s
          + "' (valid: reference, batchmean)");
    }
  }

  private final double alpha;
  private final double temperature;
  private final Reduction reduction;

  public ReffakdLoss(double alpha, double temperature, Reduction reduction) {
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new IllegalArgumentException("reffakd: alpha must be in [0, 1], got " + alpha);
    }
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("reffakd: temperature must be > 0, got " + temperature);
    }
    this.alpha = alpha;
    this.temperature = temperature;
    this.reduction = reduction;
  }

  @Override
  public String name() {
    return "reffakd";
  }

  @Override
  public boolean needsSoftLabels() {
    return true;
  }

  @Override
  public LossResult compute(LossInput in) {
    if (in.softTargets() == null) {
      throw new IllegalArgumentException("reffakd needs soft labels");
    }
    int n = in.n();
    int c = in.classes();
    double[] grad = new double[n * c];
    double ce = LossMath.crossEntropy(in.logits(), n, c, in.labels(), 1 - alpha, grad);
    double t = temperature;
    double[] logq = new double[n * c];
    LossMath.logSoftmax(in.logits(), n, c, t, logq);
    double denom = reduction == Reduction.REFERENCE ? (double) n * c : n;
    double kl = 0;
    double[] p = in.softTargets();
    double gscale = alpha * t * t / denom / t; // d/dz KL = (q - p) / T
    for (int i = 0; i < n; i++) {
      int o = i * c;
      kl += LossMath.klRow(p, logq, o, c);
      for (int j = 0; j < c; j++) {
        grad[o + j] += gscale * (Math.exp(logq[o + j]) - p[o + j]);
      }
    }
    Map<String, Double> terms = new LinkedHashMap<>();
    terms.put("ce", (1 - alpha) * ce);
    terms.put("kd", alpha * t * t * kl / denom);
    return new LossResult(terms, grad);
  }
}
