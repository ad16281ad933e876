package org.reffakd.nn.loss;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reffakd.spi.LossInput;
import org.reffakd.spi.LossOutput;

/** Discovery with real plugin jars built at test time: good, broken and duplicate ones. */
class LossRegistryTest {

  @TempDir
  Path tmp;

  private static List<String> names(LossRegistry r) {
    return r.entries().stream().filter(e -> e.refusal() == null).map(e -> e.plugin().name())
        .toList();
  }

  @Test
  void builtInsAreFoundOnTheClasspath() {
    LossRegistry r = LossRegistry.discover(List.of());
    assertTrue(names(r).containsAll(List.of("ce", "reffakd")), names(r).toString());
    assertTrue(r.get("ce").origin().builtIn());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> r.get("no-such-loss"));
    assertTrue(e.getMessage().contains("unknown loss 'no-such-loss'"), e.getMessage());
  }

  @Test
  void aGoodJarLoadsAndBrokenJarsAreReportedAndSkipped() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("plugins"));
    Path work = Files.createDirectories(tmp.resolve("work"));
    PluginJars.single(work, "p", "Good", "square", false, dir.resolve("good.jar"));
    PluginJars.single(work, "q", "Boom", "boom", true, dir.resolve("boom.jar"));
    Files.copy(PluginJars.build(work, "missing", Map.of("r.Present",
        PluginJars.plugin("r", "Present", "present", false)), "r.Present\nr.Absent\n"),
        dir.resolve("missing.jar"));
    Files.copy(PluginJars.build(work, "badfile", Map.of("s.Bad",
        PluginJars.plugin("s", "Bad", "bad", false)), "s.Bad with spaces!\n"),
        dir.resolve("badfile.jar"));
    Files.writeString(dir.resolve("notajar.jar"), "this is not a zip file");

    LossRegistry r = LossRegistry.discover(List.of(dir));
    List<String> ok = names(r);
    assertTrue(ok.containsAll(List.of("ce", "reffakd", "square", "present")), ok.toString());
    assertTrue(!ok.contains("boom") && !ok.contains("bad"), ok.toString());
    String problems = String.join("\n", r.problems());
    assertTrue(problems.contains("boom.jar") && problems.contains("ExceptionInInitializerError"),
        problems);
    assertTrue(problems.contains("missing.jar") && problems.contains("r.Absent"), problems);
    assertTrue(problems.contains("badfile.jar"), problems);
    assertTrue(problems.contains("notajar.jar: not a jar (not a readable zip file"), problems);
    assertEquals(dir.resolve("good.jar"), r.get("square").origin().jar());

    // the plugin trains through the same contract: validated parameters, terms, gradient
    ConfiguredLoss loss = ConfiguredLoss.create(r, "square", Map.of("scale", "2"));
    LossOutput out = loss.compute(new LossInput(new double[] {1, -2}, 1, 2, new int[] {0},
        null, null, 0));
    assertEquals(5.0, out.terms().get("sq"), 1e-12);
    assertArrayEquals(new double[] {2, -4}, out.gradient(), 1e-12);
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> ConfiguredLoss.create(r, "square", Map.of("scale", "11")));
    assertTrue(bad.getMessage().contains("square: parameter scale must be in [0, 10], got 11"),
        bad.getMessage());
  }

  @Test
  void anExplicitPluginFolderMustExistTheDefaultMayBeAbsent() throws Exception {
    Path missing = tmp.resolve("no").resolve("such");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LossRegistry.pluginDirs(List.of(missing)));
    assertEquals("plugin folder " + missing + " does not exist", e.getMessage());
    Path file = Files.writeString(tmp.resolve("plugins.txt"), "not a folder");
    IllegalArgumentException notDir = assertThrows(IllegalArgumentException.class,
        () -> LossRegistry.pluginDirs(List.of(file)));
    assertEquals("plugin folder " + file + " is not a folder", notDir.getMessage());
    // nothing given: the default folder is searched only if it exists, never an error
    for (Path d : LossRegistry.pluginDirs(List.of())) {
      assertTrue(Files.isDirectory(d), d.toString());
    }
    Path dir = Files.createDirectories(tmp.resolve("empty"));
    assertEquals(dir, LossRegistry.pluginDirs(List.of(dir)).get(0));
  }

  @Test
  void aBrokenJarIsNamedWhenTheLossIsMissingAndReportedWhenItIsFound() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("broken"));
    Path work = Files.createDirectories(tmp.resolve("bw"));
    PluginJars.single(work, "q", "Boom", "boom", true, dir.resolve("boom.jar"));
    LossRegistry r = LossRegistry.discover(List.of(dir));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ConfiguredLoss.create(r, "boom", Map.of()));
    assertTrue(e.getMessage().contains("unknown loss 'boom'")
        && e.getMessage().contains(dir.resolve("boom.jar").toString())
        && e.getMessage().contains("ExceptionInInitializerError"), e.getMessage());
    // the run's loss is found elsewhere: the broken jar is still reported, for a warning
    try (ConfiguredLoss ce = ConfiguredLoss.create(r, "ce", Map.of())) {
      assertTrue(ce.pluginProblems().stream().anyMatch(p -> p.startsWith(
          dir.resolve("boom.jar").toString())), ce.pluginProblems().toString());
    }
  }

  @Test
  void twoStrategiesWithOneNameAreBothRefusedNamingBothOrigins() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("dup"));
    Path work = Files.createDirectories(tmp.resolve("w"));
    PluginJars.single(work, "a", "One", "twin", false, dir.resolve("a.jar"));
    PluginJars.single(work, "b", "Two", "twin", false, dir.resolve("b.jar"));
    // and one that shadows a built-in name
    PluginJars.single(work, "c", "Ce", "ce", false, dir.resolve("c.jar"));
    LossRegistry r = LossRegistry.discover(List.of(dir));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> r.get("twin"));
    assertTrue(e.getMessage().contains("a.jar") && e.getMessage().contains("b.jar"),
        e.getMessage());
    IllegalArgumentException ce = assertThrows(IllegalArgumentException.class,
        () -> r.get("ce"));
    assertTrue(ce.getMessage().contains("built-in") && ce.getMessage().contains("c.jar"),
        ce.getMessage());
    assertNull(r.get("reffakd").refusal());
  }

  @Test
  void hybridsComposeAndParametersAreRouted() {
    LossRegistry r = LossRegistry.discover(List.of());
    ConfiguredLoss hybrid = ConfiguredLoss.create(r, "reffakd:0.25,ce:0.75",
        Map.of("reffakd.alpha", "0.4", "temperature", "2"));
    ConfiguredLoss reffakd = ConfiguredLoss.create(r, "reffakd",
        Map.of("alpha", "0.4", "temperature", "2"));
    ConfiguredLoss ce = ConfiguredLoss.create(r, "ce", Map.of());
    LossInput in = new LossInput(new double[] {0.3, -1, 2, 0.5, 0.1, -0.2}, 2, 3,
        new int[] {2, 0}, new double[] {0.2, 0.3, 0.5, 0.6, 0.3, 0.1}, null, 0);
    LossOutput h = hybrid.compute(in);
    LossOutput a = reffakd.compute(in);
    LossOutput b = ce.compute(in);
    assertEquals(0.25 * a.terms().get("ce") + 0.75 * b.terms().get("ce"), h.terms().get("ce"),
        1e-12);
    assertEquals(0.25 * a.terms().get("kd"), h.terms().get("kd"), 1e-12);
    for (int i = 0; i < 6; i++) {
      assertEquals(0.25 * a.gradient()[i] + 0.75 * b.gradient()[i], h.gradient()[i], 1e-12);
    }
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> ConfiguredLoss.create(r, "ce", Map.of("alpha", "0.5")));
    assertTrue(unknown.getMessage().contains("no strategy takes parameter 'alpha'"),
        unknown.getMessage());
    IllegalArgumentException scoped = assertThrows(IllegalArgumentException.class,
        () -> ConfiguredLoss.create(r, "reffakd", Map.of("reffakd.beta", "1")));
    assertTrue(scoped.getMessage().contains("reffakd: unknown parameter 'beta'"),
        scoped.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> ConfiguredLoss.create(r, "reffakd:-1", Map.of()));
  }

  /**
   * One discovery per process for what the folders hold: asked again, the same registry (no
   * new plugin class loader per run or job); a jar added to the folder is found anew.
   */
  @Test
  void foundOncePerFolderContentAndAnewWhenAJarChanges(@TempDir Path tmp) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("plugins"));
    Path work = Files.createDirectories(tmp.resolve("work"));
    PluginJars.single(work, "p", "One", "first-one", false, dir.resolve("one.jar"));
    LossRegistry a = LossRegistry.discover(List.of(dir));
    assertSame(a, LossRegistry.discover(List.of(dir)));
    PluginJars.single(work, "p", "Two", "second-one", false, dir.resolve("two.jar"));
    LossRegistry b = LossRegistry.discover(List.of(dir));
    assertNotSame(a, b);
    assertEquals("second-one", b.get("second-one").plugin().name());
  }
}
