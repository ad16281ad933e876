package org.reffakd.examples.lskd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reffakd.nn.loss.PluginJars;
import org.reffakd.nn.run.FashionSubset;

/**
 * What a user does: put the plugin jar in a folder and run the CLI with --plugins. The CLI runs
 * in a child JVM whose classpath is the application's alone (this module's classes are not on
 * it), so the strategy can only come from the jar.
 */
class PluginFolderEndToEndTest {

  @TempDir
  Path tmp;

  @Test
  void theJarInAPluginFolderTrainsAShortRun() throws Exception {
    Path plugins = Files.createDirectories(tmp.resolve("plugins"));
    Path jar = plugins.resolve("reffakd-example-lskd.jar");
    PluginJars.pack(Path.of("target", "classes"), jar, null); // the services file is a resource
    Path data = tmp.resolve("data");
    FashionSubset.writeIdx(data, 4000, 500);

    String listing = cli("plugins", "--plugins", plugins.toString());
    assertTrue(listing.lines().anyMatch(l -> l.startsWith("lskd ") && l.contains(jar.toString())),
        listing);

    cli("teacher", "--data", data.toString(), "--arch", "lenet5bn", "--epochs", "1",
        "--val-size", "300",
        "--out", tmp.resolve("teacher").toString());
    Path run = tmp.resolve("run");
    cli("run", "--data", data.toString(), "--plugins", plugins.toString(), "--loss", "lskd",
        "--val-size", "300",
        "--teacher", tmp.resolve("teacher").toString(), "--param", "temperature=2",
        "--ae-epochs", "1", "--epochs", "2", "--no-dashboard", "--out", run.toString());
    Map<?, ?> result = new ObjectMapper().readValue(run.resolve("result.json").toFile(),
        Map.class);
    assertEquals("lskd", result.get("loss"));
    double best = ((Number) ((Map<?, ?>) result.get("test_accuracy")).get("best"))
        .doubleValue();
    assertTrue(best > 0.5, "short lskd run should be far above chance, got " + best);
    String header = Files.readAllLines(run.resolve("metrics.csv")).get(0);
    assertTrue(header.contains("loss_ce") && header.contains("loss_kd"), header);
    Map<?, ?> params = (Map<?, ?>) ((Map<?, ?>) result.get("loss_parameters")).get("lskd");
    assertEquals(2.0, ((Number) params.get("temperature")).doubleValue());
  }

  /** Runs the CLI in a child JVM without this module's classes; returns its output. */
  private static String cli(String... args) throws Exception {
    List<String> cp = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(e).toAbsolutePath().normalize();
      if (!p.startsWith(Path.of("target").toAbsolutePath())) {
        cp.add(e);
      }
    }
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "-Xmx2g", "-cp",
        String.join(File.pathSeparator, cp), "org.reffakd.cli.Main"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "cli timed out: " + String.join(" ", args));
    assertEquals(0, p.exitValue(), "reffakd " + String.join(" ", args) + " failed:\n" + out);
    return out;
  }
}
