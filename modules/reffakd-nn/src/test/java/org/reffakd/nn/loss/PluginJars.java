package org.reffakd.nn.loss;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Builds real plugin jars at test time: compiles sources against the SPI and packs them. */
public final class PluginJars {

  private PluginJars() {}

  /**
   * Compiles {@code sources} (class name to source text) and writes a jar with the given
   * services file content (null = no services file).
   */
  static Path build(Path workDir, String jarName, Map<String, String> sources, String services)
      throws IOException {
    Path src = Files.createDirectories(workDir.resolve(jarName + "-src"));
    Path classes = Files.createDirectories(workDir.resolve(jarName + "-classes"));
    List<String> files = new ArrayList<>();
    for (Map.Entry<String, String> e : sources.entrySet()) {
      Path f = src.resolve(e.getKey().replace('.', '/') + ".java");
      Files.createDirectories(f.getParent());
      Files.writeString(f, e.getValue());
      files.add(f.toString());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp",
        System.getProperty("java.class.path")));
    args.addAll(files);
    int rc = javac.run(null, null, null, args.toArray(String[]::new));
    if (rc != 0) {
      throw new IllegalStateException("test plugin did not compile");
    }
    Path jar = workDir.resolve(jarName + ".jar");
    pack(classes, jar, services);
    return jar;
  }

  /**
   * Writes the class files under {@code classes} to {@code jar}, with the given content of the
   * services file of {@code org.reffakd.spi.LossPlugin} (null = none).
   */
  public static void pack(Path classes, Path jar, String services) throws IOException {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
         Stream<Path> walk = Files.walk(classes)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
        Files.copy(p, out);
        out.closeEntry();
      }
      if (services != null) {
        out.putNextEntry(new JarEntry("META-INF/services/org.reffakd.spi.LossPlugin"));
        out.write(services.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
  }

  /**
   * A jar of one minimal plugin {@code pkg.cls} ({@link #plugin}, loss {@code name}) that its
   * services file names, built in {@code workDir} and copied to {@code target}.
   */
  static void single(Path workDir, String pkg, String cls, String name,
                     boolean explodeInStaticInit, Path target) throws IOException {
    String className = pkg + "." + cls;
    Files.copy(build(workDir, className, Map.of(className,
        plugin(pkg, cls, name, explodeInStaticInit)), className + "\n"), target);
  }

  /** Source of a minimal plugin: CE-like, with one parameter, and optional bad static init. */
  static String plugin(String pkg, String cls, String name, boolean explodeInStaticInit) {
    return "package " + pkg + ";\n"
        + "import java.util.*;\nimport org.reffakd.spi.*;\n"
        + "public class " + cls + " implements LossPlugin {\n"
        + (explodeInStaticInit ? "  static { if (true) throw new IllegalStateException(\"boom\"); }\n"
            : "")
        + "  public String name() { return \"" + name + "\"; }\n"
        + "  public String version() { return \"9.9\"; }\n"
        + "  public String description() { return \"test plugin\"; }\n"
        + "  public Set<Need> needs() { return Set.of(); }\n"
        + "  public List<ParameterSpec> parameters() {\n"
        + "    return List.of(ParameterSpec.number(\"scale\", 1, 0, 10, \"loss scale\")); }\n"
        + "  public LossFunction create(Parameters p) {\n"
        + "    double s = p.number(\"scale\");\n"
        + "    return in -> {\n"
        + "      double[] g = new double[in.logits().length];\n"
        + "      double l = 0;\n"
        + "      for (int i = 0; i < g.length; i++) { l += s * in.logits()[i] * in.logits()[i] / 2;"
        + " g[i] = s * in.logits()[i]; }\n"
        + "      return new LossOutput(Map.of(\"sq\", l), g);\n"
        + "    };\n"
        + "  }\n"
        + "}\n";
  }

  /**
   * Source of a plugin without parameters whose {@code create(Parameters p)} runs
   * {@code createBody} (statements that return a LossFunction).
   */
  static String custom(String pkg, String cls, String name, String createBody) {
    return "package " + pkg + ";\n"
        + "import java.util.*;\nimport org.reffakd.spi.*;\n"
        + "public class " + cls + " implements LossPlugin {\n"
        + "  public String name() { return \"" + name + "\"; }\n"
        + "  public String version() { return \"1.0\"; }\n"
        + "  public String description() { return \"test plugin\"; }\n"
        + "  public Set<Need> needs() { return Set.of(); }\n"
        + "  public List<ParameterSpec> parameters() { return List.of(); }\n"
        + "  public LossFunction create(Parameters p) {\n"
        + "    " + createBody + "\n"
        + "  }\n"
        + "}\n";
  }
}
