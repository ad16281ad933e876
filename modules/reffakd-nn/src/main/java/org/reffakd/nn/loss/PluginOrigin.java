package org.reffakd.nn.loss;

import java.nio.file.Path;

/** Where a strategy came from: built in (the application classpath) or a plugin jar. */
public record PluginOrigin(Path jar) {

  public static final PluginOrigin BUILT_IN = new PluginOrigin(null);

  public boolean builtIn() {
    return jar == null;
  }

  @Override
  public String toString() {
    return jar == null ? "built-in" : jar.toString();
  }
}
