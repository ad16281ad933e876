package org.reffakd.nn.run;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"dataset", "classes", "loss", "seed", "arch", "epochs", "soft_label_variant",
    "soft_label_key", "test_accuracy", "history", "timings_s", "cost"})
public record RunResult(String dataset, List<String> classes, String loss, long seed,
                        String arch, int epochs, String softLabelVariant, String softLabelKey,
                        @JsonProperty("test_accuracy") EpochRow.Selection accuracy,
                        List<EpochRow> history,
                        @JsonProperty("timings_s") Map<String, Double> timings, Cost cost,
                        @JsonAnyGetter Map<String, Object> details) {

  /** result.json's typed keys (in this order; {@code details} follow). */
  private static final java.util.Set<String> TYPED = java.util.Set.of("dataset", "classes",
      "loss", "seed", "arch", "epochs", "soft_label_variant", "soft_label_key", "test_accuracy",
      "history", "timings_s", "cost");

  /** The typed part as result.json has it (the rest, in the file's order, is the details). */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  private record Typed(String dataset, List<String> classes, String loss, long seed,
                       String arch, int epochs, String softLabelVariant, String softLabelKey,
                       @JsonProperty("test_accuracy") EpochRow.Selection accuracy,
                       List<EpochRow> history,
                       @JsonProperty("timings_s") Map<String, Double> timings, Cost cost) {}

  /**
   * Reads result.json (a value on reffakd.runs): the typed keys through {@code Typed}, every
   * other key into the details in the file's order ({@link OrderedJson}).
   */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static RunResult read(ObjectNode json) throws IOException {
    Typed t = RunConfig.JSON.treeToValue(json, Typed.class);
    Map<String, Object> details = OrderedJson.others(json, TYPED, Object.class);
    return new RunResult(t.dataset(), t.classes(), t.loss(), t.seed(), t.arch(), t.epochs(),
        t.softLabelVariant(), t.softLabelKey(), t.accuracy(), t.history(), t.timings(),
        t.cost(), details);
  }

  /**
   * The selection is the history's ({@link EpochRow.Selection#of}) whenever there is one: one
   * home for which epoch each protocol picks, whatever a file says.
   */
  public RunResult {
    history = history == null ? List.of() : history;
    timings = timings == null ? new LinkedHashMap<>() : timings;
    details = details == null ? new LinkedHashMap<>() : details;
    if (!history.isEmpty()) {
      accuracy = EpochRow.Selection.of(history);
    }
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
      RunConfig.JSON.writeValue(tmp.toFile(), this);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
