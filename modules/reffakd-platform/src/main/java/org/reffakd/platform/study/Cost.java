package org.reffakd.platform.study;

/**
 * Cost figures of one piece of work (a student, an autoencoder, a teacher). NaN means unknown;
 * for {@code parameters}, which is a count, a negative value means unknown.
 *
 * <p>{@code parameters}, {@code macsPerImage} and {@code trainingFlops} are <b>computed</b> from
 * the architecture and the schedule; {@code wallSeconds}, {@code cpuSeconds} and {@code
 * peakRssMb} are <b>measured</b> on the machine that ran the work.
 */
public record Cost(long parameters, double macsPerImage, double trainingFlops,
    double wallSeconds, double cpuSeconds, double peakRssMb) {

  /** Every figure unknown. */
  public static final Cost UNKNOWN = new Cost(-1, Double.NaN, Double.NaN, Double.NaN,
      Double.NaN, Double.NaN);
}
