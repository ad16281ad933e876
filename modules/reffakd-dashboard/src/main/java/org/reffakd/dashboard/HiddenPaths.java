package org.reffakd.dashboard;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a dashboard bound beyond loopback says about the server's files: no absolute path
 * leaves it. A path under the runs root becomes relative to it ({@code RUN/config.json}), any
 * other absolute path {@value #HIDDEN}. On loopback ({@link #NONE}) everything is shown as is.
 */
final class HiddenPaths {

  static final String HIDDEN = "<hidden>";

  /** Shows every path (a dashboard on loopback). */
  static final HiddenPaths NONE = new HiddenPaths(null);

  /** An absolute path inside a message: Unix ({@code /a/b}) or Windows ({@code C:\a}). */
  private static final Pattern IN_TEXT = Pattern.compile(
      "(?<![\\w.:/\\\\])(?:/|[A-Za-z]:[\\\\/])[^\\s'\"()\\[\\],;]*");

  private final Path root;

  private HiddenPaths(Path root) {
    this.root = root;
  }

  /** Hides absolute paths; {@code root} (absolute, normalised) is the runs root. */
  static HiddenPaths under(Path root) {
    return new HiddenPaths(root.toAbsolutePath().normalize());
  }

  boolean hides() {
    return root != null;
  }

  /** A copy of {@code o} where every string that is an absolute path is hidden. */
  JsonObject json(JsonObject o) {
    if (root == null || o == null) {
      return o;
    }
    JsonObject out = new JsonObject();
    o.forEach(e -> out.put(e.getKey(), value(e.getValue())));
    return out;
  }

  private Object value(Object v) {
    if (v instanceof String s) {
      return absolute(s) ? path(s) : text(s, null);
    }
    if (v instanceof JsonObject o) {
      return json(o);
    }
    if (v instanceof JsonArray a) {
      JsonArray out = new JsonArray();
      a.forEach(x -> out.add(value(x)));
      return out;
    }
    if (v instanceof java.util.Map<?, ?> || v instanceof java.util.List<?>) {
      return value(Json.finiteValue(v));
    }
    return v;
  }

  /**
   * {@code text} with every absolute path in it hidden, except {@code keep} (the request's own
   * path, which an error message may quote).
   */
  String text(String text, String keep) {
    if (root == null || text == null) {
      return text;
    }
    Matcher m = IN_TEXT.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String p = m.group();
      // the dashboard's own login route in a hint is a URL, not a file of the server
      boolean route = p.startsWith("/login?");
      m.appendReplacement(sb, Matcher.quoteReplacement(p.equals(keep) || route ? p : path(p)));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static boolean absolute(String s) {
    return s.startsWith("/") || s.startsWith("\\") || s.matches("(?s)[A-Za-z]:[\\\\/].*");
  }

  /** A path relative to the runs root when it is under it, else {@value #HIDDEN}. */
  private String path(String s) {
    try {
      Path p = Path.of(s).normalize();
      if (p.isAbsolute() && p.startsWith(root)) {
        String rel = root.relativize(p).toString();
        return rel.isEmpty() ? "." : rel;
      }
    } catch (InvalidPathException ignored) {
      // not a path this system can read: hidden
    }
    return HIDDEN;
  }
}
