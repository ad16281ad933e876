package org.reffakd.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The exporters on the class path, by format. */
public final class Exporters {

  /** The format {@code reffakd export} writes when none is named. */
  public static final String DEFAULT = "dl4j";

  private Exporters() {}

  /** Every exporter found, sorted by format. */
  public static List<Exporter> all() {
    TreeMap<String, Exporter> found = new TreeMap<>();
    for (Exporter e : ServiceLoader.load(Exporter.class, Exporters.class.getClassLoader())) {
      found.putIfAbsent(e.format(), e);
    }
    return new ArrayList<>(found.values());
  }

  public static List<String> formats() {
    return all().stream().map(Exporter::format).toList();
  }

  /**
   * The exporter of that format.
   *
   * @throws IllegalArgumentException naming the known formats when there is none
   */
  public static Exporter get(String format) {
    for (Exporter e : all()) {
      if (e.format().equals(format)) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown export format '" + format + "' (available: "
        + String.join(", ", formats()) + ")");
  }
}
