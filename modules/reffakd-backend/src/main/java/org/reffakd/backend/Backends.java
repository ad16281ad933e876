package org.reffakd.backend;

import java.util.List;

/** The backends on the class path, by name. */
public final class Backends {

  /** The default engine: the pure-Java one, fastest on CPU for the models here. */
  public static final String DEFAULT = "java";

  private static final ByName<Backend> BY_NAME = new ByName<>(Backend.class, Backend::name,
      "engine");

  private Backends() {}

  /** Every backend found, sorted by name. */
  public static List<Backend> all() {
    return BY_NAME.all();
  }

  /**
   * The classifier of a model file, read by the first backend that reads its kind.
   *
   * @throws IllegalArgumentException naming the file when no backend reads it
   */
  public static Classifier open(java.nio.file.Path file) {
    for (Backend b : all()) {
      java.util.Optional<Classifier> c = b.open(file);
      if (c.isPresent()) {
        return c.get();
      }
    }
    throw new IllegalArgumentException(file + ": no engine reads this model file (engines: "
        + String.join(", ", names()) + "; a Deeplearning4j zip needs the dl4j engine)");
  }

  public static List<String> names() {
    return BY_NAME.names();
  }

  /**
   * The backend of that name.
   *
   * @throws IllegalArgumentException naming the known backends when there is none
   */
  public static Backend get(String name) {
    return BY_NAME.get(name);
  }
}
