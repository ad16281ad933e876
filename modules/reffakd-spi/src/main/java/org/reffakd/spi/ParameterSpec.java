package org.reffakd.spi;

import java.util.List;

/**
 * One parameter of a strategy: a number with a default and a valid range, or a choice among
 * named values. The platform validates user input against it before training starts.
 *
 * @param name         parameter name ({@code alpha}, {@code temperature}, ...); also the
 *                     command-line key ({@code --alpha} or {@code --param name=value})
 * @param description  one line
 * @param defaultValue default, a {@link Double} for numbers, a {@link String} for choices
 * @param min          lower bound (numbers only)
 * @param minInclusive whether min itself is valid
 * @param max          upper bound (numbers only; {@code Double.POSITIVE_INFINITY} for none)
 * @param maxInclusive whether max itself is valid
 * @param choices      the valid values of a choice parameter, empty for numbers
 */
public record ParameterSpec(String name, String description, Object defaultValue, double min,
                            boolean minInclusive, double max, boolean maxInclusive,
                            List<String> choices) {

  public ParameterSpec {
    choices = List.copyOf(choices);
  }

  /** A number in [min, max] (use {@link #range} for open bounds). */
  public static ParameterSpec number(String name, double defaultValue, double min, double max,
                                     String description) {
    return new ParameterSpec(name, description, defaultValue, min, true, max, true, List.of());
  }

  /** A number with explicit bound inclusivity, e.g. temperature in (0, inf). */
  public static ParameterSpec range(String name, double defaultValue, double min,
                                    boolean minInclusive, double max, boolean maxInclusive,
                                    String description) {
    return new ParameterSpec(name, description, defaultValue, min, minInclusive, max,
        maxInclusive, List.of());
  }

  public static ParameterSpec choice(String name, String defaultValue, List<String> choices,
                                     String description) {
    return new ParameterSpec(name, description, defaultValue, Double.NaN, false, Double.NaN,
        false, choices);
  }

  public boolean isChoice() {
    return !choices.isEmpty();
  }

  /** The valid range in interval notation, e.g. {@code [0, 1]} or {@code (0, inf)}. */
  public String rangeText() {
    if (isChoice()) {
      return String.join(" | ", choices);
    }
    return (minInclusive ? "[" : "(") + fmt(min) + ", " + fmt(max) + (maxInclusive ? "]" : ")");
  }

  private static String fmt(double v) {
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  /** Parses and checks a value; the message names the strategy, parameter and range. */
  public Object parse(String strategy, String text) {
    if (isChoice()) {
      if (!choices.contains(text)) {
        throw new IllegalArgumentException(strategy + ": parameter " + name + " must be one of "
            + rangeText() + ", got '" + text + "'");
      }
      return text;
    }
    double v;
    try {
      v = Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(strategy + ": parameter " + name + " must be a number in "
          + rangeText() + ", got '" + text + "'");
    }
    check(strategy, v);
    return v;
  }

  /** Checks a number against the range. */
  public void check(String strategy, double v) {
    boolean ok = !Double.isNaN(v)
        && (minInclusive ? v >= min : v > min)
        && (maxInclusive ? v <= max : v < max);
    if (!ok) {
      throw new IllegalArgumentException(strategy + ": parameter " + name + " must be in "
          + rangeText() + ", got " + v);
    }
  }
}
