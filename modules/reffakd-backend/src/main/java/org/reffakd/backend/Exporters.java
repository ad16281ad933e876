package org.reffakd.backend;

import java.util.List;

/** The exporters on the class path, by format. */
public final class Exporters {

  /** The format {@code reffakd export} writes when none is named. */
  public static final String DEFAULT = "dl4j";

  private static final ByName<Exporter> BY_FORMAT = new ByName<>(Exporter.class,
      Exporter::format, "export format");

  private Exporters() {}

  /** Every exporter found, sorted by format. */
  public static List<Exporter> all() {
    return BY_FORMAT.all();
  }

  public static List<String> formats() {
    return BY_FORMAT.names();
  }

  /**
   * The exporter of that format.
   *
   * @throws IllegalArgumentException naming the known formats when there is none
   */
  public static Exporter get(String format) {
    return BY_FORMAT.get(format);
  }
}
