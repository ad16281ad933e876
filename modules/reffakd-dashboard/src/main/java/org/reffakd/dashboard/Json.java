package org.reffakd.dashboard;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** JSON helpers: strict JSON out (no NaN or Infinity: they become null). */
final class Json {

  private Json() {}

  /** A copy of {@code o} where every non-finite number is null. */
  static JsonObject finite(JsonObject o) {
    JsonObject out = new JsonObject();
    o.forEach(e -> out.put(e.getKey(), finiteValue(e.getValue())));
    return out;
  }

  static JsonArray finite(JsonArray a) {
    JsonArray out = new JsonArray();
    a.forEach(v -> out.add(finiteValue(v)));
    return out;
  }

  @SuppressWarnings("unchecked")
  static Object finiteValue(Object v) {
    if (v instanceof Double d) {
      return Double.isFinite(d) ? d : null;
    }
    if (v instanceof Float f) {
      return Float.isFinite(f) ? f : null;
    }
    if (v instanceof JsonObject o) {
      return finite(o);
    }
    if (v instanceof JsonArray a) {
      return finite(a);
    }
    if (v instanceof Map<?, ?> m) {
      return finite(new JsonObject((Map<String, Object>) m));
    }
    if (v instanceof List<?> l) {
      return finite(new JsonArray(new ArrayList<>(l)));
    }
    return v;
  }
}
