package org.reffakd.nn.loss;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.reffakd.spi.LossPlugin;

/**
 * Finds loss strategies: {@link ServiceLoader} on the application classpath (the built-ins),
 * then every {@code *.jar} in the plugin folders, each jar in its own class loader whose parent
 * is the application's (so a plugin shares the SPI with the platform and cannot shadow it).
 *
 * <p>A broken jar (a class that fails in its static initializer, a missing class, a bad services
 * file, an unreadable jar) is reported in {@link #problems()} and skipped; the others still
 * load. Two strategies with one name are both refused: asking for that name fails with a
 * message naming the two origins.
 */
public final class LossRegistry {

  /** One discovered strategy. {@code refusal} is non-null when it cannot be used. */
  public record Entry(LossPlugin plugin, PluginOrigin origin, String refusal) {}

  /** Environment variable naming the default plugin folder. */
  public static final String PLUGIN_DIR_ENV = "REFFAKD_PLUGINS";

  private final List<Entry> entries = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();

  private LossRegistry() {}

  /** Discoveries by what the folders hold (see {@link #discover}); a few, the latest kept. */
  private static final Map<List<String>, LossRegistry> FOUND = new LinkedHashMap<>(16, 0.75f,
      true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<List<String>, LossRegistry> eldest) {
      return size() > 16;
    }
  };

  /**
   * Built-ins plus the jars in the given folders (missing folders are reported). Found once
   * per process for what the folders hold: asked again while every folder lists the same jars
   * with the same sizes and modification times, it answers the same registry (the same
   * plugin class loaders, none left open per run or per job); a changed jar is found anew.
   */
  public static LossRegistry discover(List<Path> pluginDirs) {
    List<String> key = fingerprint(pluginDirs);
    synchronized (FOUND) {
      return FOUND.computeIfAbsent(key, k -> find(pluginDirs));
    }
  }

  /** The folders and, per folder, its jars with their sizes and modification times. */
  private static List<String> fingerprint(List<Path> dirs) {
    List<String> key = new ArrayList<>();
    for (Path dir : dirs) {
      key.add(dir.toAbsolutePath().normalize().toString());
      if (!Files.isDirectory(dir)) {
        key.add("-");
        continue;
      }
      try (Stream<Path> s = Files.list(dir)) {
        s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().forEach(j -> {
          try {
            key.add(j.getFileName() + ":" + Files.size(j) + ":"
                + Files.getLastModifiedTime(j).toMillis());
          } catch (IOException e) {
            key.add(j.getFileName() + ":?" + System.nanoTime()); // unreadable: never reused
          }
        });
      } catch (IOException e) {
        key.add("?" + System.nanoTime());
      }
    }
    return key;
  }

  private static LossRegistry find(List<Path> pluginDirs) {
    LossRegistry r = new LossRegistry();
    List<Entry> found = new ArrayList<>();
    ClassLoader app = LossRegistry.class.getClassLoader();
    r.load(ServiceLoader.load(LossPlugin.class, app), null, PluginOrigin.BUILT_IN, found);
    for (Path dir : pluginDirs) {
      if (!Files.isDirectory(dir)) {
        r.problems.add("plugin folder " + dir + " does not exist");
        continue;
      }
      List<Path> jars;
      try (Stream<Path> s = Files.list(dir)) {
        jars = s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
      } catch (IOException e) {
        r.problems.add("plugin folder " + dir + ": cannot list: " + e.getMessage());
        continue;
      }
      for (Path jar : jars) {
        String notAZip = notAZip(jar);
        if (notAZip != null) {
          r.problems.add(jar + ": " + notAZip);
          continue;
        }
        URLClassLoader cl;
        try {
          cl = new URLClassLoader("plugin:" + jar.getFileName(),
              new URL[] {jar.toUri().toURL()}, app);
        } catch (MalformedURLException e) {
          r.problems.add(jar + ": " + e.getMessage());
          continue;
        }
        int before = found.size();
        r.load(ServiceLoader.load(LossPlugin.class, cl), cl, new PluginOrigin(jar), found);
        if (found.size() == before && r.problems.stream().noneMatch(p -> p.startsWith(
            jar.toString()))) {
          r.problems.add(jar + ": no loss strategy (no META-INF/services/"
              + LossPlugin.class.getName() + " entry)");
        }
      }
    }
    // duplicate names: refuse all holders, naming every origin
    Map<String, List<Entry>> byName = new LinkedHashMap<>();
    for (Entry e : found) {
      byName.computeIfAbsent(e.plugin().name(), k -> new ArrayList<>()).add(e);
    }
    for (Map.Entry<String, List<Entry>> n : byName.entrySet()) {
      List<Entry> es = n.getValue();
      if (es.size() == 1) {
        r.entries.add(es.get(0));
      } else {
        String origins = String.join(" and ", es.stream().map(e -> e.origin().toString())
            .toList());
        for (Entry e : es) {
          r.entries.add(new Entry(e.plugin(), e.origin(), "loss name '" + n.getKey()
              + "' is defined twice, by " + origins + "; both are refused"));
        }
      }
    }
    return r;
  }

  /** Why a .jar file is not a jar (a zip), or null when it opens as one. */
  private static String notAZip(Path jar) {
    try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(jar.toFile())) {
      return null;
    } catch (IOException e) {
      return "not a jar (not a readable zip file: " + e.getMessage() + ")";
    }
  }

  /**
   * The plugin folders to search: the given ones plus $REFFAKD_PLUGINS or ~/.reffakd/plugins.
   * A folder given explicitly must exist (a typo would otherwise silently drop the plugins it
   * was meant to supply); the default folder is searched only when it exists.
   *
   * @throws IllegalArgumentException a given folder does not exist or is not a folder
   */
  public static List<Path> pluginDirs(List<Path> given) {
    for (Path dir : given) {
      if (!Files.exists(dir)) {
        throw new IllegalArgumentException("plugin folder " + dir + " does not exist");
      }
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException("plugin folder " + dir + " is not a folder");
      }
    }
    List<Path> dirs = new ArrayList<>(given);
    String env = System.getenv(PLUGIN_DIR_ENV);
    Path def = env != null && !env.isBlank() ? Path.of(env)
        : Path.of(System.getProperty("user.home"), ".reffakd", "plugins");
    if (Files.isDirectory(def) && !dirs.contains(def)) {
      dirs.add(def);
    }
    return dirs;
  }

  private void load(ServiceLoader<LossPlugin> loader, ClassLoader only, PluginOrigin origin,
                    List<Entry> found) {
    Iterator<ServiceLoader.Provider<LossPlugin>> it = loader.stream().iterator();
    for (int guard = 0; guard < 10_000; guard++) {
      ServiceLoader.Provider<LossPlugin> p;
      try {
        if (!it.hasNext()) {
          return;
        }
        p = it.next();
      } catch (ServiceConfigurationError | LinkageError e) {
        problems.add(origin + ": " + describe(e) + " (skipped)");
        continue;
      }
      try {
        if (only != null && p.type().getClassLoader() != only) {
          continue; // a built-in seen again through the parent loader
        }
        LossPlugin plugin = p.get();
        String name = plugin.name();
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]*")) {
          problems.add(origin + ": " + p.type().getName() + " has an invalid name '" + name
              + "' (lower case, digits and dashes) (skipped)");
          continue;
        }
        plugin.parameters();
        plugin.needs();
        found.add(new Entry(plugin, origin, null));
      } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
        problems.add(origin + ": " + describe(e) + " (skipped)");
      }
    }
  }

  private static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      sb.append(": ").append(c.getClass().getSimpleName());
      if (c.getMessage() != null) {
        sb.append(" ").append(c.getMessage());
      }
    }
    return sb.toString();
  }

  /** Every strategy found, usable or refused, in discovery order. */
  public List<Entry> entries() {
    return List.copyOf(entries);
  }

  /** Jars and classes that could not be loaded, one line each. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  /**
   * The usable strategy of that name; otherwise a message naming what is known and every jar
   * that could not be loaded (the strategy may be in one of them).
   */
  public Entry get(String name) {
    Entry refused = null;
    for (Entry e : entries) {
      if (e.plugin().name().equals(name)) {
        if (e.refusal() == null) {
          return e;
        }
        refused = e;
      }
    }
    if (refused != null) {
      throw new IllegalArgumentException(refused.refusal());
    }
    throw new IllegalArgumentException("unknown loss '" + name + "' (known: "
        + String.join(", ", entries.stream().filter(e -> e.refusal() == null)
            .map(e -> e.plugin().name()).toList())
        + (problems.isEmpty() ? "" : "; plugin problems: " + String.join("; ", problems)) + ")");
  }
}
