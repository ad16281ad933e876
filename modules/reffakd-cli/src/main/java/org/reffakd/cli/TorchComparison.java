package org.reffakd.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench --compare}: the same epochs timed in PyTorch by {@code tools/bench-torch}
 * (tools/bench_torch.py), and our figures side by side with them.
 *
 * <p>For each figure (student epoch, autoencoder epoch) the comparison takes PyTorch's best
 * thread count (the lowest median) and reports the ratio ours / PyTorch: below 1 we are faster.
 */
final class TorchComparison {

  /** Exit status of tools/bench-torch when PyTorch is missing and cannot be installed. */
  static final int NO_TORCH_EXIT = 3;
  /** The thread counts PyTorch is timed with. */
  static final String THREADS = "1,2";

  /** One compared figure: our median, PyTorch's per thread count, its best, and the ratio. */
  record Row(String name, String key, double ours, Map<Integer, Double> torchByThreads,
             int bestThreads, double torchBest) {

    double ratio() {
      return ours / torchBest;
    }
  }

  private static final String[][] FIGURES = {
      {"student epoch", "student_epoch_s", "student"},
      {"autoencoder epoch", "autoencoder_epoch_s", "autoencoder"},
      // peak resident set of the whole process, from the OS (VmHWM; ru_maxrss): lower is better
      {"peak RSS (MB)", "peak_rss_mb", "rss"}};

  private TorchComparison() {}

  /**
   * The figures both sides measured, from our bench results and the script's JSON
   * ({@code results}: one object per thread count with {@code threads} and the same keys).
   */
  @SuppressWarnings("unchecked")
  static List<Row> rows(Map<String, Object> ours, Map<String, Object> torch) {
    List<Row> rows = new ArrayList<>();
    List<Map<String, Object>> results = (List<Map<String, Object>>) torch.get("results");
    if (results == null) {
      throw new IllegalArgumentException("the PyTorch bench printed no 'results'");
    }
    for (String[] f : FIGURES) {
      if (!(ours.get(f[1]) instanceof Number o)) {
        continue;
      }
      Map<Integer, Double> by = new LinkedHashMap<>();
      int bestT = -1;
      double best = Double.POSITIVE_INFINITY;
      for (Map<String, Object> r : results) {
        if (r.get(f[1]) instanceof Number v) {
          int t = ((Number) r.get("threads")).intValue();
          by.put(t, v.doubleValue());
          if (v.doubleValue() < best) {
            best = v.doubleValue();
            bestT = t;
          }
        }
      }
      if (bestT > 0) {
        rows.add(new Row(f[0], f[2], o.doubleValue(), by, bestT, best));
      }
    }
    return rows;
  }

  /** The comparison table, one line per figure, for the console. */
  static String table(List<Row> rows, String torchVersion) {
    List<Integer> threads = new ArrayList<>();
    rows.forEach(r -> r.torchByThreads().keySet().forEach(t -> {
      if (!threads.contains(t)) {
        threads.add(t);
      }
    }));
    threads.sort(null);
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-18s %9s", "s/epoch (median)", "ours"));
    for (int t : threads) {
      sb.append(String.format(Locale.ROOT, " %12s", "torch " + t + "thr"));
    }
    sb.append(String.format(Locale.ROOT, " %16s %9s%n", "torch best", "ours/torch"));
    for (Row r : rows) {
      sb.append(String.format(Locale.ROOT, "%-18s %9.2f", r.name(), r.ours()));
      for (int t : threads) {
        Double v = r.torchByThreads().get(t);
        sb.append(v == null ? String.format(Locale.ROOT, " %12s", "-")
            : String.format(Locale.ROOT, " %12.2f", v));
      }
      sb.append(String.format(Locale.ROOT, " %16s %9.2f%n",
          String.format(Locale.ROOT, "%.2f (%d thr)", r.torchBest(), r.bestThreads()),
          r.ratio()));
    }
    sb.append("PyTorch ").append(torchVersion).append(" on the CPU, same recipe "
        + "(tools/bench_torch.py); ratio < 1: ours is faster");
    return sb.toString();
  }

  /**
   * The JSON entries the comparison adds: {@code torch} (the script's object),
   * {@code ratio_student} / {@code ratio_autoencoder}, and {@code torch_best_threads_*}.
   */
  static Map<String, Object> metrics(List<Row> rows, Map<String, Object> torch) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("torch", torch);
    for (Row r : rows) {
      m.put("torch_" + r.key() + (r.key().equals("rss") ? "_mb" : "_epoch_s"), r.torchBest());
      m.put("torch_best_threads_" + r.key(), r.bestThreads());
      m.put("ratio_" + r.key(), r.ratio());
    }
    return m;
  }

  /** tools/bench-torch of this checkout: under reffakd.home, else above the CLI jar. */
  static Path defaultScript() {
    String home = System.getProperty("reffakd.home");
    if (home != null && !home.isBlank()) {
      return Path.of(home, "tools", "bench-torch");
    }
    try {
      Path here = Path.of(TorchComparison.class.getProtectionDomain().getCodeSource()
          .getLocation().toURI()).toAbsolutePath();
      for (Path d = here; d != null; d = d.getParent()) {
        Path s = d.resolve("tools").resolve("bench-torch");
        if (Files.isRegularFile(s)) {
          return s;
        }
      }
    } catch (Exception e) {
      // fall through to the working directory
    }
    return Path.of("tools", "bench-torch");
  }

  /**
   * Runs {@code script --runs N --only WHAT --threads 1,2 --data DIR}; its stderr (progress)
   * goes to ours, its stdout's last line is the JSON result.
   *
   * @throws IllegalStateException one line when the script is missing, PyTorch is missing and
   *     cannot be installed (naming the tools/bench-torch command), or the script fails
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> run(Path script, int runs, String only, Path data) {
    List<String> cmd = List.of("bash", script.toString(), "--runs", Integer.toString(runs),
        "--only", only, "--threads", THREADS, "--data", data.toString());
    String again = "tools/bench-torch --runs " + runs + " --only " + only + " --threads "
        + THREADS;
    if (!Files.isRegularFile(script)) {
      throw new IllegalStateException("--compare needs " + script + " (tools/bench-torch of "
          + "the reffakd checkout), which is missing");
    }
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + String.join(" ", cmd) + ": "
          + e.getMessage(), e);
    }
    String out;
    int rc;
    try (InputStream in = p.getInputStream()) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      in.transferTo(buf);
      out = buf.toString(StandardCharsets.UTF_8).strip();
      rc = p.waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      p.destroy();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + again, e);
    }
    if (rc == NO_TORCH_EXIT) {
      throw new IllegalStateException("--compare needs PyTorch (Debian's python3-torch for "
          + "/usr/bin/python3), which is missing and could not be installed: install it (as "
          + "root, '" + script + "' does it with apt-get), check with '" + again + "'");
    }
    if (rc != 0) {
      throw new IllegalStateException("the PyTorch bench failed (exit " + rc + "): " + again);
    }
    String last = out.isEmpty() ? "" : out.substring(out.lastIndexOf('\n') + 1);
    try {
      return new ObjectMapper().readValue(last, Map.class);
    } catch (IOException e) {
      throw new IllegalStateException("the PyTorch bench printed no JSON result (" + again
          + "); its last line: " + (last.length() > 200 ? last.substring(0, 200) : last), e);
    }
  }
}
