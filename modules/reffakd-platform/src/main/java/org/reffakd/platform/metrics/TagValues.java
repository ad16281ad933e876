package org.reffakd.platform.metrics;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Keeps a tag's values bounded: each tag key accepts at most {@code max} distinct values, and
 * any value beyond those becomes {@value #OTHER}. Values are trimmed to a safe character set and
 * length. Why: a tag value that slipped in per run or per sample would grow the registry (and
 * Prometheus) without limit; this is the guard in one place. Thread-safe.
 */
final class TagValues {

  static final String OTHER = "other";
  static final String UNKNOWN = "unknown";
  private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9_.:,/+-]");
  private static final int MAX_LENGTH = 80;

  private final int max;
  private final Map<String, Set<String>> seen = new ConcurrentHashMap<>();

  TagValues(int max) {
    this.max = max;
  }

  /** The value to use for {@code key}: the cleaned value, or {@value #OTHER} past the cap. */
  String bound(String key, String value) {
    String v = clean(value);
    Set<String> values = seen.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet());
    if (values.contains(v)) {
      return v;
    }
    synchronized (values) {
      if (values.contains(v) || values.size() < max) {
        values.add(v);
        return v;
      }
    }
    return OTHER;
  }

  static String clean(String value) {
    if (value == null || value.isBlank()) {
      return UNKNOWN;
    }
    String v = UNSAFE.matcher(value.trim()).replaceAll("_");
    return v.length() > MAX_LENGTH ? v.substring(0, MAX_LENGTH) : v;
  }
}
