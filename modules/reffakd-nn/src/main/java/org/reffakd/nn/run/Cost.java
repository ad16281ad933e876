package org.reffakd.nn.run;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/**
 * The cost of one piece of work (a student, an autoencoder, a teacher): the one record that
 * result.json, teacher.json, the stages' outputs and the study read and write. NaN means
 * unknown; for {@code parameters}, which is a count, a negative value means unknown.
 *
 * <p>{@code parameters}, {@code macsPerImage} and {@code trainingFlops} are <b>computed</b> from
 * the architecture and the schedule; {@code wallSeconds}, {@code cpuSeconds} and {@code
 * peakRssMb} are <b>measured</b> on the machine that ran the work (the process's, for the
 * invocation that did it). In JSON: {@code {computed: {parameters, macs_per_image,
 * training_flops}, measured: {wall_seconds, cpu_seconds, peak_rss_mb}, note}}; unknown: {@code {}}.
 */
public record Cost(long parameters, double macsPerImage, double trainingFlops,
    double wallSeconds, double cpuSeconds, double peakRssMb) {

  /** Every figure unknown. */
  public static final Cost UNKNOWN = new Cost(-1, Double.NaN, Double.NaN, Double.NaN,
      Double.NaN, Double.NaN);

  private static final String NOTE = "computed: from the architecture; measured: this process "
      + "(CPU time and peak RSS are the process's, shared with whatever else it ran)";

  /** The JSON form: {@code {computed, measured, note}}, every part absent when unknown. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Json(Computed computed, Measured measured, String note) {}

  /** What is computed from the architecture and the schedule. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Computed(long parameters, Number macsPerImage, double trainingFlops) {}

  /** What was measured on the machine that did the work. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Measured(double wallSeconds, double cpuSeconds, double peakRssMb) {}

  /** The JSON object (see the class comment); {@code {}} for {@link #UNKNOWN}. */
  @JsonValue
  public Json toJson() {
    if (equals(UNKNOWN)) {
      return new Json(null, null, null);
    }
    return new Json(new Computed(parameters, whole(macsPerImage), trainingFlops),
        new Measured(wallSeconds, cpuSeconds, peakRssMb), NOTE);
  }

  /**
   * Reads {@link #toJson}'s object; also the flat cost of teacher.json files written before the
   * teachers wrote this record (their {@code training_seconds} is the wall time), so studies
   * resumed on old teachers report them as before. Null or {@code {}}: {@link #UNKNOWN}.
   */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  @SuppressWarnings("unchecked")
  public static Cost fromJson(Map<String, ?> c) {
    if (c == null || c.isEmpty()) {
      return UNKNOWN;
    }
    if (c.get("computed") instanceof Map<?, ?> comp) {
      Map<String, ?> meas = c.get("measured") instanceof Map<?, ?> m ? (Map<String, ?>) m
          : Map.of();
      return new Cost(count(comp.get("parameters")), num(comp.get("macs_per_image")),
          num(comp.get("training_flops")), num(meas.get("wall_seconds")),
          num(meas.get("cpu_seconds")), num(meas.get("peak_rss_mb")));
    }
    return new Cost(count(c.get("parameters")), num(c.get("macs_per_image")),
        num(c.get("training_flops")), num(c.get("training_seconds")),
        num(c.get("cpu_seconds_this_invocation")), num(c.get("peak_rss_mb")));
  }

  /** This cost with its parameter count (a teacher.json before this record kept it outside). */
  public Cost withParameters(long p) {
    return new Cost(p, macsPerImage, trainingFlops, wallSeconds, cpuSeconds, peakRssMb);
  }

  private static Number whole(double v) {
    return Double.isFinite(v) && v == Math.rint(v) && Math.abs(v) < 9e15 ? (Number) (long) v
        : (Number) v;
  }

  private static long count(Object o) {
    return o instanceof Number n ? n.longValue() : -1;
  }

  private static double num(Object o) {
    return o instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
