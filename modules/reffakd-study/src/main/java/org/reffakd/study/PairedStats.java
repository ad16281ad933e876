package org.reffakd.study;

import java.util.Arrays;

/**
 * The few statistics of a study: mean and sample standard deviation over seeds, and the paired
 * difference of two routes over the seeds they share with its two-sided 95% Student-t interval,
 * and the minimum detectable effect of such a comparison (80% power, two-sided 5%).
 * The t quantile is computed here (the regularized incomplete beta function, inverted by
 * bisection), so no statistics library is needed.
 */
public final class PairedStats {

  private PairedStats() {}

  /** n values, their mean and sample standard deviation (n-1; NaN for n &lt; 2). */
  public record Summary(int n, double mean, double std) {}

  /**
   * The paired differences d_i = route - baseline: n pairs, mean, sample std and the 95%
   * interval mean ± t(0.975, n-1) sd/sqrt(n); low and high are NaN when n &lt; 2.
   */
  public record Interval(int n, double mean, double std, double low, double high) {

    /** Whether the interval exists (n &gt;= 2). */
    public boolean defined() {
      return !Double.isNaN(low) && !Double.isNaN(high);
    }

    /**
     * The minimum detectable effect of this comparison ({@link PairedStats#mde}): the true
     * difference it would detect with 80% power at two-sided 5%, given its observed spread.
     */
    public double mde() {
      return PairedStats.mde(n, std);
    }

    /** The seeds needed to detect an effect of this size ({@link PairedStats#seedsToDetect}). */
    public int seedsToDetect(double effect) {
      return PairedStats.seedsToDetect(effect, std);
    }
  }

  /** Power of the minimum detectable effect. */
  public static final double POWER = 0.8;
  /** The effect the published studies aim to see: 0.3 accuracy points (0.003 as a fraction). */
  public static final double TARGET_EFFECT = 0.003;
  /** seedsToDetect's answer when no number of seeds up to this one suffices. */
  public static final int MAX_SEEDS = 10_000;

  /**
   * The minimum detectable effect of a paired comparison at 80% power, two-sided 5% (METHOD.md
   * section 6): (t(0.975, n-1) + t(0.8, n-1)) * sd / sqrt(n), in the units of sd; NaN for
   * n &lt; 2 or an unknown sd.
   */
  public static double mde(int n, double sd) {
    if (n < 2 || Double.isNaN(sd)) {
      return Double.NaN;
    }
    return (t975(n - 1) + tQuantile(POWER, n - 1)) * sd / Math.sqrt(n);
  }

  /**
   * The smallest number of paired seeds n &gt;= 2 whose {@link #mde} with this spread is at most
   * {@code effect}, taking the observed sd as the true one; -1 when sd is unknown, and
   * {@link #MAX_SEEDS} when none up to it suffices.
   */
  public static int seedsToDetect(double effect, double sd) {
    if (Double.isNaN(sd) || !(effect > 0)) {
      return -1;
    }
    if (mde(2, sd) <= effect) {
      return 2;
    }
    // mde falls as n grows: find a bracket by doubling, then bisect
    int lo = 2;
    int hi = 4;
    while (mde(hi, sd) > effect) {
      if (hi >= MAX_SEEDS) {
        return MAX_SEEDS;
      }
      lo = hi;
      hi = Math.min(MAX_SEEDS, hi * 2);
    }
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      if (mde(mid, sd) <= effect) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return hi;
  }

  /** Mean and sample standard deviation of the values that are not NaN. */
  public static Summary summarize(double... values) {
    double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).toArray();
    int n = v.length;
    if (n == 0) {
      return new Summary(0, Double.NaN, Double.NaN);
    }
    double mean = Arrays.stream(v).sum() / n;
    if (n < 2) {
      return new Summary(n, mean, Double.NaN);
    }
    double ss = 0;
    for (double x : v) {
      ss += (x - mean) * (x - mean);
    }
    return new Summary(n, mean, Math.sqrt(ss / (n - 1)));
  }

  /** The 95% interval of the mean of these paired differences (NaN values are dropped). */
  public static Interval ofDifferences(double... differences) {
    Summary s = summarize(differences);
    if (s.n() < 2) {
      return new Interval(s.n(), s.mean(), s.std(), Double.NaN, Double.NaN);
    }
    double half = t975(s.n() - 1) * s.std() / Math.sqrt(s.n());
    return new Interval(s.n(), s.mean(), s.std(), s.mean() - half, s.mean() + half);
  }

  /** The interval of route[i] - baseline[i]: the arrays are paired by index (same seed). */
  public static Interval paired(double[] route, double[] baseline) {
    if (route.length != baseline.length) {
      throw new IllegalArgumentException("paired arrays differ in length: " + route.length
          + " vs " + baseline.length);
    }
    double[] d = new double[route.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = route[i] - baseline[i];
    }
    return ofDifferences(d);
  }

  /**
   * What the interval allows one to say, and no more: "better than b" when it lies entirely
   * above 0, "worse than b" entirely below, "no difference detected at this budget" when it
   * contains 0, and "too few paired seeds for an interval (n=k)" when it is undefined.
   */
  public static String verdict(Interval i, String baseline) {
    if (i == null || !i.defined()) {
      return "too few paired seeds for an interval (n=" + (i == null ? 0 : i.n()) + ")";
    }
    if (i.low() > 0) {
      return "better than " + baseline;
    }
    if (i.high() < 0) {
      return "worse than " + baseline;
    }
    return "no difference detected at this budget";
  }

  /** t(0.975, df): the quantile of a two-sided 95% interval. */
  public static double t975(int df) {
    return tQuantile(0.975, df);
  }

  /** The p-quantile of Student's t distribution with df degrees of freedom (0 &lt; p &lt; 1). */
  public static double tQuantile(double p, int df) {
    if (df < 1) {
      throw new IllegalArgumentException("degrees of freedom must be >= 1: " + df);
    }
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("p must be in (0, 1): " + p);
    }
    if (p == 0.5) {
      return 0;
    }
    if (p < 0.5) {
      return -tQuantile(1 - p, df);
    }
    double lo = 0;
    double hi = 1;
    while (tCdf(hi, df) < p) {
      lo = hi;
      hi *= 2;
      if (hi > 1e300) {
        return Double.POSITIVE_INFINITY;
      }
    }
    for (int it = 0; it < 200 && hi - lo > 1e-14 * Math.max(1, hi); it++) {
      double mid = 0.5 * (lo + hi);
      if (tCdf(mid, df) < p) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return 0.5 * (lo + hi);
  }

  /** P(T &lt;= t) for Student's t with df degrees of freedom. */
  public static double tCdf(double t, int df) {
    double x = df / (df + t * t);
    double tail = 0.5 * regularizedBeta(x, df / 2.0, 0.5);
    return t >= 0 ? 1 - tail : tail;
  }

  /** I_x(a, b), by the continued fraction (Numerical Recipes, betai/betacf). */
  static double regularizedBeta(double x, double a, double b) {
    if (x <= 0) {
      return 0;
    }
    if (x >= 1) {
      return 1;
    }
    double front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b)
        + a * Math.log(x) + b * Math.log(1 - x));
    if (x < (a + 1) / (a + b + 2)) {
      return front * betaContinuedFraction(x, a, b) / a;
    }
    return 1 - front * betaContinuedFraction(1 - x, b, a) / b;
  }

  /** The incomplete beta function's continued fraction, by the modified Lentz method. */
  private static double betaContinuedFraction(double x, double a, double b) {
    double qab = a + b;
    double qap = a + 1;
    double qam = a - 1;
    double c = 1;
    double d = 1 / awayFromZero(1 - qab * x / qap);
    double h = d;
    for (int m = 1; m <= 1000; m++) {
      int m2 = 2 * m;
      double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
      d = 1 / awayFromZero(1 + aa * d);
      c = awayFromZero(1 + aa / c);
      h *= d * c;
      aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
      d = 1 / awayFromZero(1 + aa * d);
      c = awayFromZero(1 + aa / c);
      double del = d * c;
      h *= del;
      if (Math.abs(del - 1) < 1e-15) {
        break;
      }
    }
    return h;
  }

  /** {@code v}, or 1e-300 when it is closer to 0 than that: Lentz's guard against dividing by 0. */
  private static double awayFromZero(double v) {
    return Math.abs(v) < 1e-300 ? 1e-300 : v;
  }

  /** ln Γ(x) for x &gt; 0 (Lanczos, g = 7, n = 9). */
  static double lnGamma(double x) {
    if (x < 0.5) {
      return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
    }
    final double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028,
        771.32342877765313, -176.61502916214059, 12.507343278686905,
        -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
    x -= 1;
    double a = c[0];
    double t = x + 7.5;
    for (int i = 1; i < 9; i++) {
      a += c[i] / (x + i);
    }
    return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
  }
}
