package org.reffakd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench --compare}: choosing PyTorch's best thread count, the ratios, the table and JSON
 * keys, the child process's failure modes (with fake scripts), and tools/bench_torch.py's
 * arguments and output (those only where /usr/bin/python3, and for a real run torch and
 * Fashion-MNIST, are present).
 */
class TorchComparisonTest {

  @TempDir
  Path tmp;

  static Map<String, Object> torchJson() {
    Map<String, Object> t1 = new LinkedHashMap<>();
    t1.put("threads", 1);
    t1.put("student_epoch_s", 13.0);
    t1.put("autoencoder_epoch_s", 66.0);
    Map<String, Object> t2 = new LinkedHashMap<>();
    t2.put("threads", 2);
    t2.put("student_epoch_s", 10.0);
    t2.put("autoencoder_epoch_s", 80.0);
    Map<String, Object> torch = new LinkedHashMap<>();
    torch.put("torch_version", "1.13.1");
    torch.put("results", List.of(t1, t2));
    return torch;
  }

  @Test
  void takesTorchsBestThreadCountAndDividesOursByIt() {
    Map<String, Object> ours = Map.of("student_epoch_s", 5.0, "autoencoder_epoch_s", 16.5);
    List<TorchComparison.Row> rows = TorchComparison.rows(ours, torchJson());
    assertEquals(2, rows.size());
    assertEquals("student", rows.get(0).key());
    assertEquals(2, rows.get(0).bestThreads());
    assertEquals(10.0, rows.get(0).torchBest());
    assertEquals(0.5, rows.get(0).ratio(), 1e-12);
    assertEquals(1, rows.get(1).bestThreads());
    assertEquals(0.25, rows.get(1).ratio(), 1e-12);

    Map<String, Object> m = TorchComparison.metrics(rows, torchJson());
    assertEquals(0.5, (Double) m.get("ratio_student"), 1e-12);
    assertEquals(0.25, (Double) m.get("ratio_autoencoder"), 1e-12);
    assertEquals(2, m.get("torch_best_threads_student"));
    assertEquals(66.0, m.get("torch_autoencoder_epoch_s"));
    assertTrue(m.get("torch") instanceof Map);
  }

  @Test
  void comparesPeakMemoryWithTorchsLowest() {
    Map<String, Object> t1 = new LinkedHashMap<>(Map.of("threads", 1, "peak_rss_mb", 600.0));
    Map<String, Object> t2 = new LinkedHashMap<>(Map.of("threads", 2, "peak_rss_mb", 650.0));
    Map<String, Object> torch = Map.of("torch_version", "x", "results", List.of(t1, t2));
    List<TorchComparison.Row> rows = TorchComparison.rows(Map.of("peak_rss_mb", 900.0), torch);
    assertEquals(1, rows.size());
    assertEquals("rss", rows.get(0).key());
    assertEquals(1, rows.get(0).bestThreads());
    assertEquals(1.5, rows.get(0).ratio(), 1e-12);
    Map<String, Object> m = TorchComparison.metrics(rows, torch);
    assertEquals(600.0, m.get("torch_rss_mb"));
    assertEquals(1.5, (Double) m.get("ratio_rss"), 1e-12);
    assertTrue(TorchComparison.table(rows, "x").contains("peak RSS (MB)"));
  }

  @Test
  void comparesOnlyWhatBothMeasured() {
    List<TorchComparison.Row> rows = TorchComparison.rows(Map.of("student_epoch_s", 5.0),
        torchJson());
    assertEquals(1, rows.size());
    assertEquals("student", rows.get(0).key());
    assertTrue(TorchComparison.metrics(rows, torchJson()).keySet().stream()
        .noneMatch(k -> k.contains("autoencoder")));
    assertThrows(IllegalArgumentException.class,
        () -> TorchComparison.rows(Map.of("student_epoch_s", 5.0), Map.of()));
  }

  @Test
  void tableHasOneLinePerFigureWithBothThreadCountsBestAndRatio() {
    String t = TorchComparison.table(TorchComparison.rows(
        Map.of("student_epoch_s", 5.0, "autoencoder_epoch_s", 16.5), torchJson()), "1.13.1");
    String[] lines = t.split("\n");
    assertEquals(4, lines.length, t);
    assertTrue(lines[0].contains("ours") && lines[0].contains("torch 1thr")
        && lines[0].contains("torch 2thr") && lines[0].contains("ours/torch"), t);
    assertTrue(lines[1].matches("student epoch\\s+5\\.00\\s+13\\.00\\s+10\\.00\\s+"
        + "10\\.00 \\(2 thr\\)\\s+0\\.50"), lines[1]);
    assertTrue(lines[2].matches("autoencoder epoch\\s+16\\.50\\s+66\\.00\\s+80\\.00\\s+"
        + "66\\.00 \\(1 thr\\)\\s+0\\.25"), lines[2]);
    assertTrue(lines[3].contains("PyTorch 1.13.1"), lines[3]);
  }

  @Test
  void compareNeedsTrainingFigures() {
    assertEquals(1, Main.execute("bench", "--compare", "--only", "ingest"));
  }

  Path fake(String body) throws Exception {
    Path s = tmp.resolve("bench-torch");
    Files.writeString(s, "#!/usr/bin/env bash\n" + body + "\n");
    return s;
  }

  @Test
  void missingTorchFailsNamingTheCommand() throws Exception {
    Path s = fake("echo 'no torch' >&2; exit 3");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> TorchComparison.run(s, 2, "student", tmp));
    assertTrue(e.getMessage().contains("python3-torch")
        && e.getMessage().contains("tools/bench-torch --runs 2 --only student"), e.getMessage());
  }

  @Test
  void otherFailuresAndMissingScriptAreOneLine() throws Exception {
    Path s = fake("exit 1");
    assertTrue(assertThrows(IllegalStateException.class,
        () -> TorchComparison.run(s, 1, "both", tmp)).getMessage().contains("exit 1"));
    Path t = fake("echo not json");
    assertTrue(assertThrows(IllegalStateException.class,
        () -> TorchComparison.run(t, 1, "both", tmp)).getMessage().contains("no JSON"));
    assertTrue(assertThrows(IllegalStateException.class,
        () -> TorchComparison.run(tmp.resolve("nope"), 1, "both", tmp)).getMessage()
        .contains("missing"));
  }

  @Test
  void passesRunsOnlyThreadsAndDataAndReadsTheLastLine() throws Exception {
    Path s = fake("echo \"$@\" > \"$(dirname \"$0\")/args\"; echo progress;"
        + " echo '{\"torch_version\": \"x\", \"results\": []}'");
    Map<String, Object> r = TorchComparison.run(s, 4, "autoencoder", Path.of("/d"));
    assertEquals("x", r.get("torch_version"));
    assertEquals("--runs 4 --only autoencoder --threads 1,2 --data /d",
        Files.readString(tmp.resolve("args")).strip());
  }

  // --- tools/bench_torch.py itself -----------------------------------------------------------

  static Path tools() {
    return LauncherTest.script().getParent().resolve("tools");
  }

  static final Path PY = Path.of("/usr/bin/python3");

  record Ran(int rc, String out) {}

  static Ran python(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(PY.toString(),
        tools().resolve("bench_torch.py").toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
    p.getErrorStream().transferTo(java.io.OutputStream.nullOutputStream());
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES));
    return new Ran(p.exitValue(), out);
  }

  static boolean torchPresent() throws Exception {
    if (!Files.isExecutable(PY)) {
      return false;
    }
    Process p = new ProcessBuilder(PY.toString(), "-c", "import torch").start();
    return p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0;
  }

  @Test
  void scriptRejectsBadArguments() throws Exception {
    assumeTrue(Files.isExecutable(PY), "no /usr/bin/python3");
    // arguments are checked before torch is imported
    assertEquals(2, python("--runs", "0").rc());
    assertEquals(2, python("--threads", "0").rc());
    assertEquals(2, python("--threads", "a,b").rc());
    assertEquals(2, python("--only", "ingest").rc());
    Ran help = python("--help");
    assertEquals(0, help.rc());
    assertTrue(help.out().contains("--threads") && help.out().contains("--runs")
        && help.out().contains("--only"), help.out());
  }

  @Test
  @SuppressWarnings("unchecked")
  void scriptTimesATinyEpochAndPrintsTheBenchKeys() throws Exception {
    assumeTrue(torchPresent(), "PyTorch missing for /usr/bin/python3");
    assumeTrue(Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist")),
        "no Fashion-MNIST");
    Ran r = python("--runs", "1", "--threads", "1", "--limit", "300");
    assertEquals(0, r.rc(), r.out());
    String last = r.out().strip().substring(r.out().strip().lastIndexOf('\n') + 1);
    Map<String, Object> j = new ObjectMapper().readValue(last, Map.class);
    Map<String, Object> res = ((List<Map<String, Object>>) j.get("results")).get(0);
    assertEquals(1, res.get("threads"));
    assertEquals(300, res.get("images_per_epoch"));
    for (String k : List.of("student_epoch_s", "student_epoch_s_all", "student_epoch_s_first",
        "autoencoder_epoch_s", "autoencoder_epoch_s_all", "autoencoder_epoch_s_first")) {
      assertTrue(res.containsKey(k), k + " in " + res);
    }
    List<TorchComparison.Row> rows = TorchComparison.rows(
        Map.of("student_epoch_s", 1.0, "autoencoder_epoch_s", 1.0), j);
    assertEquals(2, rows.size());
  }
}
