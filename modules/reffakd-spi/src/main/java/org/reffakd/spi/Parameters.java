package org.reffakd.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validated parameter values of one strategy: every parameter of the schema is present
 * (user value or default), numbers within range, choices among their values.
 */
public final class Parameters {

  private final String strategy;
  private final Map<String, Object> values;

  private Parameters(String strategy, Map<String, Object> values) {
    this.strategy = strategy;
    this.values = Collections.unmodifiableMap(values);
  }

  /**
   * Validates user values (as text) against a schema and fills in defaults. An unknown key is
   * refused with the list of known ones.
   */
  public static Parameters validate(String strategy, List<ParameterSpec> schema,
                                    Map<String, String> given) {
    Map<String, ParameterSpec> byName = new LinkedHashMap<>();
    for (ParameterSpec p : schema) {
      byName.put(p.name(), p);
    }
    for (String k : given.keySet()) {
      if (!byName.containsKey(k)) {
        throw new IllegalArgumentException(strategy + ": unknown parameter '" + k + "' (known: "
            + (byName.isEmpty() ? "none" : String.join(", ", byName.keySet())) + ")");
      }
    }
    Map<String, Object> v = new LinkedHashMap<>();
    for (ParameterSpec p : schema) {
      String text = given.get(p.name());
      if (text != null) {
        v.put(p.name(), p.parse(strategy, text));
      } else {
        Object d = p.defaultValue();
        if (d instanceof Number num) {
          p.check(strategy, num.doubleValue());
          d = num.doubleValue();
        }
        v.put(p.name(), d);
      }
    }
    return new Parameters(strategy, v);
  }

  /** All parameters with defaults, no user values. */
  public static Parameters defaults(String strategy, List<ParameterSpec> schema) {
    return validate(strategy, schema, Map.of());
  }

  public String strategy() {
    return strategy;
  }

  public double number(String name) {
    Object v = values.get(name);
    if (!(v instanceof Double d)) {
      throw new IllegalArgumentException(strategy + ": no numeric parameter " + name);
    }
    return d;
  }

  public String choice(String name) {
    Object v = values.get(name);
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException(strategy + ": no choice parameter " + name);
    }
    return s;
  }

  public Map<String, Object> asMap() {
    return values;
  }

  @Override
  public String toString() {
    return strategy + values;
  }
}
