package org.reffakd.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reffakd.backend.ExportSource;

/** The metadata_props an exported model carries (string keys and values, as ONNX has them). */
final class ModelMeta {

  static final String CLASS_NAMES = "class_names";

  private ModelMeta() {}

  static Map<String, String> of(ExportSource s, String format) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("format", format);
    m.put("arch", s.arch());
    m.put(CLASS_NAMES, json(s.classNames()));
    m.put("input", ClassifierGraph.INPUT + ": float32 [N," + s.channels() + "," + s.side() + ","
        + s.side() + "], NCHW, pixels in [0,1] (8-bit values / 255)");
    m.put("input_size", s.side() + "x" + s.side());
    m.put("normalisation", "inside the graph: (x - mean) / std per channel, mean "
        + Arrays.toString(s.mean()) + " std " + Arrays.toString(s.std()));
    m.put("output", ClassifierGraph.OUTPUT + ": float32 [N," + s.classes() + "], no softmax");
    m.putAll(s.metadata());
    return m;
  }

  static String codeVersion(Map<String, String> meta) {
    return meta.getOrDefault("code_version", "unknown");
  }

  /** A JSON array of strings. */
  static String json(List<String> names) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < names.size(); i++) {
      b.append(i == 0 ? "" : ", ").append('"');
      for (char c : names.get(i).toCharArray()) {
        if (c == '"' || c == '\\') {
          b.append('\\').append(c);
        } else if (c < 0x20) {
          b.append(String.format("\\u%04x", (int) c));
        } else {
          b.append(c);
        }
      }
      b.append('"');
    }
    return b.append(']').toString();
  }

  /** Reads {@link #json}'s output back; an empty list for null or a malformed value. */
  static List<String> classNames(String json) {
    List<String> out = new ArrayList<>();
    if (json == null) {
      return out;
    }
    String s = json.trim();
    if (!s.startsWith("[") || !s.endsWith("]")) {
      return List.of();
    }
    int i = 1;
    while (i < s.length() - 1) {
      char c = s.charAt(i);
      if (c == '"') {
        StringBuilder b = new StringBuilder();
        i++;
        while (i < s.length() && s.charAt(i) != '"') {
          if (s.charAt(i) == '\\' && i + 1 < s.length()) {
            i++;
            if (s.charAt(i) == 'u' && i + 4 < s.length()) {
              b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
              i += 4;
            } else {
              b.append(s.charAt(i));
            }
          } else {
            b.append(s.charAt(i));
          }
          i++;
        }
        out.add(b.toString());
      }
      i++;
    }
    return out;
  }
}
