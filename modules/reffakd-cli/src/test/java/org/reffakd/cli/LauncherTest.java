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
    List<String> cmd = new ArrayList<>(List.of("bash", script().toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("REFFAKD_LAUNCHER_DRY_RUN", "1");
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
}
