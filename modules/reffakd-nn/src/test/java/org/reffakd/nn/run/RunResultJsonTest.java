package org.reffakd.nn.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reffakd.nn.train.EpochRow;

/**
 * result.json through its records' Jackson codec: the keys and their order as the files have
 * them, the optional keys only when they hold something, and a round trip that keeps every
 * field and the details.
 */
class RunResultJsonTest {

  @TempDir
  Path dir;

  private static EpochRow row(int epoch, double val, double test) {
    return new EpochRow(epoch, 0.1, 1.0 / epoch, Map.of("ce", 0.5), 0.8, val, test, 0.99, 2.0,
        1.5, 1000);
  }

  private static RunResult result(List<EpochRow> history) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("student_parameters", 61750);
    details.put("soft_labels", List.of(List.of(0.9, 0.1), List.of(0.2, 0.8)));
    Map<String, Double> timings = new LinkedHashMap<>();
    timings.put("autoencoder", 3.5);
    timings.put("student", 7.25);
    return new RunResult("fashion-mnist", List.of("a", "b"), "reffakd", 42, "lenet5bn",
        history.size(), "paper", "fashion-mnist/abc", EpochRow.Selection.of(history), history,
        timings, Cost.UNKNOWN, details);
  }

  @Test
  void writesTheFilesKeysInOrderAndReadsThemBack() throws Exception {
    List<EpochRow> h = List.of(row(1, 0.70, 0.71), row(2, 0.80, 0.79), row(3, 0.75, 0.82));
    RunResult r = result(h);
    Path f = dir.resolve("result.json");
    r.write(f);
    JsonNode json = RunConfig.JSON.readTree(f.toFile());
    List<String> keys = new ArrayList<>();
    json.fieldNames().forEachRemaining(keys::add);
    assertEquals(List.of("dataset", "classes", "loss", "seed", "arch", "epochs",
        "soft_label_variant", "soft_label_key", "test_accuracy", "history", "timings_s", "cost",
        "student_parameters", "soft_labels"), keys);
    List<String> acc = new ArrayList<>();
    json.get("test_accuracy").fieldNames().forEachRemaining(acc::add);
    assertEquals(List.of("at_best_val", "best_val_epoch", "best", "best_epoch", "last",
        "last_top5"), acc);
    // the honest protocol: test at the best validation epoch (2); the optimistic: best test (3)
    assertEquals(0.79, json.get("test_accuracy").get("at_best_val").asDouble());
    assertEquals(2, json.get("test_accuracy").get("best_val_epoch").asInt());
    assertEquals(3, json.get("test_accuracy").get("best_epoch").asInt());

    RunResult back = RunResult.read(f);
    assertEquals(r.accuracy(), back.accuracy());
    assertEquals(r.history(), back.history());
    assertEquals(r.timings(), back.timings());
    assertEquals(r.details(), RunConfig.JSON.convertValue(back.details(), Map.class));
    assertEquals(List.of(r.dataset(), r.loss(), r.seed(), r.softLabelKey()),
        List.of(back.dataset(), back.loss(), back.seed(), back.softLabelKey()));
    // written again, the same bytes
    Path g = dir.resolve("again.json");
    back.write(g);
    assertEquals(Files.readString(f), Files.readString(g));
  }

  @Test
  void withoutAValidationSplitTheSelectionHasNoValidationKeys() throws Exception {
    RunResult r = result(List.of(row(1, Double.NaN, 0.6), row(2, Double.NaN, 0.7)));
    JsonNode acc = RunConfig.JSON.valueToTree(r).get("test_accuracy");
    assertFalse(acc.has("at_best_val"));
    assertFalse(acc.has("best_val_epoch"));
    EpochRow.Selection s = RunConfig.JSON.treeToValue(acc, EpochRow.Selection.class);
    assertEquals(0, s.bestValEpoch());
    assertTrue(Double.isNaN(s.testAtBestVal()));
    assertEquals(0.7, s.lastTest());
  }

  @Test
  void aFirstReleaseSelectionWithoutTop5ReadsAsNaN() throws Exception {
    EpochRow.Selection s = RunConfig.JSON.readValue(
        "{\"at_best_val\":0.8,\"best_val_epoch\":4,\"best\":0.81,\"best_epoch\":5,\"last\":0.8}",
        EpochRow.Selection.class);
    assertEquals(new EpochRow.Selection(4, 0.8, 5, 0.81, 0.8, Double.NaN), s);
  }

  @Test
  void aModelCardReadsBackInItsOrder() throws Exception {
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("size_bytes", 249000);
    figures.put("test_accuracy_onnxruntime", 0.875);
    figures.put("latency_ms_batch1", 0.08);
    figures.put("bytes_per_parameter", 4.0);
    ModelCard.Card card = new ModelCard.Card(61750, 420000, null)
        .with(61750, 420000, "onnx", new ModelCard.Entry("student.onnx", 3, null, null, figures))
        .with(61750, 420000, "onnx-int8", new ModelCard.Entry("student-int8.onnx", 3, null,
            "int8 model refused: loses 2 points", null));
    String json = RunConfig.JSON.writeValueAsString(card);
    ModelCard.Card back = RunConfig.JSON.readValue(json, ModelCard.Card.class);
    assertEquals(List.of("onnx", "onnx-int8"), List.copyOf(back.formats().keySet()));
    assertEquals(List.copyOf(figures.keySet()),
        List.copyOf(back.formats().get("onnx").figures().keySet()));
    assertEquals("int8 model refused: loses 2 points", back.formats().get("onnx-int8").refused());
    assertEquals(json, RunConfig.JSON.writeValueAsString(back));
  }
}
