package org.reffakd.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The implementations of a service found on the class path, by name: the one lookup behind
 * {@link Backends} and {@link Exporters}.
 */
final class ByName<T> {

  private final Class<T> service;
  private final Function<T, String> name;
  private final String kind;

  /** {@code kind} names what is looked up in the error for an unknown name ("engine"). */
  ByName(Class<T> service, Function<T, String> name, String kind) {
    this.service = service;
    this.name = name;
    this.kind = kind;
  }

  /** Every implementation found, sorted by name; the first found of a name wins. */
  List<T> all() {
    TreeMap<String, T> found = new TreeMap<>();
    for (T t : ServiceLoader.load(service, ByName.class.getClassLoader())) {
      found.putIfAbsent(name.apply(t), t);
    }
    return new ArrayList<>(found.values());
  }

  List<String> names() {
    return all().stream().map(name).toList();
  }

  /**
   * The implementation of that name.
   *
   * @throws IllegalArgumentException naming the known ones when there is none
   */
  T get(String wanted) {
    for (T t : all()) {
      if (name.apply(t).equals(wanted)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown " + kind + " '" + wanted + "' (available: "
        + String.join(", ", names()) + ")");
  }
}
