package org.reffakd.nn.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.reffakd.nn.train.EpochRow;

/**
 * A finished run or distillation job: the typed form of {@code result.json} (also the value on
 * {@code reffakd.runs}). The typed fields are what readers use; {@code details} keeps the rest
 * (matrices, autoencoder figures, provenance) as written.
 *
 * @param softLabelKey the {@code reffakd.softlabels} key of the soft labels used
 * @param accuracy     the epoch each protocol selects ({@code test_accuracy} in the file)
 * @param timings      seconds per stage ({@code timings_s})
 * @param cost         the student's cost
 */
public record RunResult(String dataset, List<String> classes, String loss, long seed,
                        String arch, int epochs, String softLabelVariant, String softLabelKey,
                        EpochRow.Selection accuracy, List<EpochRow> history,
                        Map<String, Double> timings, Cost cost,
                        Map<String, Object> details) {

  private static final Set<String> TYPED = Set.of("dataset", "classes", "loss", "seed", "arch",
      "epochs", "soft_label_variant", "soft_label_key", "test_accuracy", "history", "timings_s",
      "cost");

  /** The result.json object. */
  @com.fasterxml.jackson.annotation.JsonValue
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dataset", dataset);
    m.put("classes", classes);
    m.put("loss", loss);
    m.put("seed", seed);
    m.put("arch", arch);
    m.put("epochs", epochs);
    m.put("soft_label_variant", softLabelVariant);
    m.put("soft_label_key", softLabelKey);
    m.put("test_accuracy", accuracy.toMap());
    m.put("history", history);
    m.put("timings_s", timings);
    m.put("cost", cost);
    details.forEach(m::putIfAbsent);
    return m;
  }

  /** Reads {@link #toMap}'s object (result.json, a value on reffakd.runs). */
  @SuppressWarnings("unchecked")
  @com.fasterxml.jackson.annotation.JsonCreator(
      mode = com.fasterxml.jackson.annotation.JsonCreator.Mode.DELEGATING)
  public static RunResult fromMap(Map<String, ?> m) {
    List<EpochRow> history = EpochRow.fromMaps((List<Map<String, ?>>) m.get("history"));
    Map<String, Double> timings = new LinkedHashMap<>();
    Object t = m.get("timings_s");
    if (t instanceof Map<?, ?> tm) {
      tm.forEach((k, v) -> timings.put(k.toString(), ((Number) v).doubleValue()));
    }
    Map<String, Object> details = new LinkedHashMap<>();
    m.forEach((k, v) -> {
      if (!TYPED.contains(k)) {
        details.put(k, v);
      }
    });
    return new RunResult((String) m.get("dataset"), (List<String>) m.get("classes"),
        (String) m.get("loss"), ((Number) m.get("seed")).longValue(), (String) m.get("arch"),
        ((Number) m.get("epochs")).intValue(), (String) m.get("soft_label_variant"),
        (String) m.get("soft_label_key"), EpochRow.Selection.of(history), history, timings,
        Cost.fromJson((Map<String, ?>) m.get("cost")), details);
  }

  public static RunResult read(Path file) {
    try {
      return RunConfig.JSON.readValue(file.toFile(), RunResult.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes result.json atomically. */
  public void write(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      RunConfig.JSON.writeValue(tmp.toFile(), toMap());
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
