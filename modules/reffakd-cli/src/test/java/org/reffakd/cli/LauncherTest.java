package org.reffakd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's ({@code ./reffakd}) decision to install the Fashion-MNIST package, through its
 * dry run ({@code REFFAKD_LAUNCHER_DRY_RUN=1}: prints the decision, builds and runs nothing).
 */
class LauncherTest {

  @TempDir
  Path tmp;

  static Path script() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path s = d.resolve("reffakd");
      if (Files.isRegularFile(s) && Files.isRegularFile(d.resolve("pom.xml"))) {
        return s;
      }
    }
    throw new AssertionError("no ./reffakd above " + Path.of("").toAbsolutePath());
  }

  String decide(Path fmnistDir, String... args) throws Exception {
    return dryRun("1", fmnistDir, args);
  }

  String dryRun(String what, Path fmnistDir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", script().toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("REFFAKD_LAUNCHER_DRY_RUN", what);
    pb.environment().remove("REFFAKD_HEAP");
    pb.environment().put("REFFAKD_FMNIST_DIR", fmnistDir.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  @Test
  void installsFashionMnistWhenTheCommandReadsItAndItIsMissing() throws Exception {
    Path missing = tmp.resolve("no-fashion-mnist");
    for (String[] yes : new String[][] {{"run", "--dataset", "fashion-mnist"}, {"run"},
        {"run", "--dataset=fashion-mnist"}, {"bench"}, {"study", "--dataset", "fashion-mnist"},
        {"run", "--epochs", "2", "--dataset", "fashion-mnist"}}) {
      assertEquals("install-fmnist: yes", decide(missing, yes), String.join(" ", yes));
    }
    for (String[] no : new String[][] {{"run", "--dataset", "cifar10"},
        {"run", "--dataset=mnist"}, {"run", "--data", "/x"}, {"run", "--data=/x"},
        {"run", "--config", "c.json"}, {"run", "--resume", "runs/x"}, {"--help"}, {"serve"},
        {"run", "--help"}, {"run", "--dataset", "fashion-mnist", "--version"}, {}}) {
      assertEquals("install-fmnist: no", decide(missing, no), String.join(" ", no));
    }
  }

  @Test
  void nothingToInstallWhenTheDatasetIsThere() throws Exception {
    Path present = Files.createDirectories(tmp.resolve("fashion-mnist"));
    assertEquals("install-fmnist: no", decide(present, "run", "--dataset", "fashion-mnist"));
    assertEquals("install-fmnist: no", decide(present, "run"));
  }

  @Test
  void sizesTheHeapFromTheDataAndTheCommand() throws Exception {
    long memMb = java.nio.file.Files.readAllLines(Path.of("/proc/meminfo")).stream()
        .filter(l -> l.startsWith("MemTotal:")).mapToLong(l -> Long.parseLong(
            l.replaceAll("[^0-9]", "")) / 1024).findFirst().orElseThrow();
    java.util.function.LongFunction<String> capped = mb -> "heap: " + Math.min(mb, memMb * 3 / 4)
        + "m";
    assertEquals(capped.apply(1024), dryRun("heap", tmp, "run", "--epochs", "3"));
    assertEquals(capped.apply(1024), dryRun("heap", tmp, "bench", "--dataset=mnist"));
    assertEquals(capped.apply(2048), dryRun("heap", tmp, "run", "--dataset", "cifar100"));
    assertEquals(capped.apply(2048), dryRun("heap", tmp, "study", "--seeds", "3"));
    assertEquals(capped.apply(8192), dryRun("heap", tmp, "run", "--dataset", "tiny-imagenet"));
    assertEquals(capped.apply(2048), dryRun("heap", tmp, "bench", "--only", "resnet18"));
    assertEquals(capped.apply(2048), dryRun("heap", tmp, "bench", "--only=resnet18-w16"));
    // a ResNet-18 student on Fashion-MNIST needs the ResNet's arrays, not the data's heap
    assertEquals(capped.apply(2048), dryRun("heap", tmp, "run", "--arch", "resnet18"));
    assertEquals(capped.apply(4096), dryRun("heap", tmp, "study", "--arch=resnet18-w16"));
    assertEquals(capped.apply(8192), dryRun("heap", tmp, "run", "--arch", "resnet18",
        "--dataset", "tiny-imagenet"));
    assertEquals(capped.apply(8192), dryRun("heap", tmp, "run", "--resume", "runs/x"));
  }
}
