package org.reffakd.examples.lskd;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.reffakd.spi.LossFunction;
import org.reffakd.spi.LossInput;
import org.reffakd.spi.LossMath;
import org.reffakd.spi.LossOutput;
import org.reffakd.spi.LossPlugin;
import org.reffakd.spi.ParameterSpec;
import org.reffakd.spi.Parameters;

/**
 * {@code lskd}: KD with logit standardization (Sun et al., "Logit Standardization in Knowledge
 * Distillation", CVPR 2024). Teacher and student logits are each z-scored per sample,
 * Z(x) = (x - mean(x)) / (std(x) + 1e-7) with the unbiased std as in the authors' code, before
 * the usual KD: ce_weight * CE(z, y) + kd_weight * T^2 * KL(softmax(Z(t)/T) || softmax(Z(z)/T)),
 * the KL summed over classes and averaged over the batch.
 */
public final class LogitStandardizedKd implements LossPlugin {

  static final double EPS = 1e-7;

  /** The pure loss. Terms: {@code ce}, {@code kd}. */
  static LossOutput lskd(LossInput in, double ceWeight, double kdWeight, double t) {
    if (in.teacherLogits() == null) {
      throw new IllegalArgumentException("lskd needs teacher logits");
    }
    int n = in.n();
    int c = in.classes();
    double[] z = in.logits();
    double[] grad = new double[n * c];
    // cross-entropy on the raw logits (the SPI's helper adds its weighted gradient)
    double ce = LossMath.crossEntropy(z, n, c, in.labels(), ceWeight, grad);
    // standardize every row of student and teacher, then the usual KD between them
    Standardized[] s = new Standardized[n];
    double[] ys = new double[n * c];
    double[] yt = new double[n * c];
    for (int i = 0; i < n; i++) {
      s[i] = standardize(z, i * c, c);
      System.arraycopy(s[i].y, 0, ys, i * c, c);
      System.arraycopy(standardize(in.teacherLogits(), i * c, c).y, 0, yt, i * c, c);
    }
    double[] p = LossMath.softmax(yt, n, c, t);
    double w = kdWeight * t * t / n;
    double[] gy = new double[n * c]; // d/dy of kd_weight * T^2 * KL / n
    double kl = LossMath.klToSoftmax(p, ys, n, c, t, w, gy);
    for (int i = 0; i < n; i++) {
      double[] gz = s[i].backward(Arrays.copyOfRange(gy, i * c, (i + 1) * c));
      for (int j = 0; j < c; j++) {
        grad[i * c + j] += gz[j];
      }
    }
    Map<String, Double> terms = new LinkedHashMap<>();
    terms.put("ce", ceWeight * ce);
    terms.put("kd", kdWeight * t * t * kl / n);
    return new LossOutput(terms, grad);
  }

  /** y = (x - mean) / (s + eps), s the unbiased standard deviation, with its Jacobian. */
  record Standardized(double[] y, double[] d, double s) {

    double[] backward(double[] gy) {
      int c = y.length;
      double denom = s + EPS;
      double meanG = 0;
      double gd = 0;
      for (int j = 0; j < c; j++) {
        meanG += gy[j] / c;
        gd += gy[j] * d[j];
      }
      double[] gz = new double[c];
      for (int j = 0; j < c; j++) {
        gz[j] = (gy[j] - meanG) / denom;
        if (s > 0) { // ds/dz_j = d_j / ((C-1) s)
          gz[j] -= gd / (denom * denom) * d[j] / ((c - 1) * s);
        }
      }
      return gz;
    }
  }

  static Standardized standardize(double[] x, int off, int c) {
    double mean = 0;
    for (int j = 0; j < c; j++) {
      mean += x[off + j] / c;
    }
    double[] d = new double[c];
    double ss = 0;
    for (int j = 0; j < c; j++) {
      d[j] = x[off + j] - mean;
      ss += d[j] * d[j];
    }
    double s = Math.sqrt(ss / (c - 1));
    double[] y = new double[c];
    for (int j = 0; j < c; j++) {
      y[j] = d[j] / (s + EPS);
    }
    return new Standardized(y, d, s);
  }

  @Override
  public String name() {
    return "lskd";
  }

  @Override
  public String version() {
    return "0.1.0";
  }

  @Override
  public String description() {
    return "KD with logit standardization (Sun et al., CVPR 2024) - example plugin";
  }

  @Override
  public Set<Need> needs() {
    return Set.of(Need.TEACHER);
  }

  @Override
  public List<ParameterSpec> parameters() {
    return List.of(
        ParameterSpec.number("ce_weight", 0.1, 0, Double.POSITIVE_INFINITY,
            "weight of the cross-entropy on hard labels"),
        ParameterSpec.number("kd_weight", 0.9, 0, Double.POSITIVE_INFINITY,
            "weight of the T^2-scaled KL between standardized logits"),
        ParameterSpec.range("temperature", 4, 0, false, Double.POSITIVE_INFINITY, false,
            "softmax temperature applied after standardization"));
  }

  @Override
  public LossFunction create(Parameters p) {
    double ce = p.number("ce_weight");
    double kd = p.number("kd_weight");
    double t = p.number("temperature");
    return in -> lskd(in, ce, kd, t);
  }
}
