package org.reffakd.nn.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reffakd.nn.train.Progress;

/**
 * Whole runs on a real Fashion-MNIST subset (4000 train, 1000 test images): the student must
 * beat chance (10%) by a wide margin; an interrupted run resumed from its checkpoints must end
 * exactly where an uninterrupted one does.
 */
class ReffakdRunTest {

  @TempDir
  static Path tmp;
  static Path data;

  @BeforeAll
  static void subset() throws Exception {
    data = tmp.resolve("fmnist");
    FashionSubset.writeIdx(data, 4000, 1000);
  }

  private static RunConfig config(int epochs) {
    return RunConfig.defaults("fashion-mnist").with(java.util.Map.of("data", data.toString(),
        "ae_epochs", 1, "epochs", epochs, "batch_size", 64, "lr", 0.05, "schedule", "constant",
        "seed", 7, "threads", 1, "val_size", 500));
  }

  @Test
  void shortRunLearnsAndWritesEveryArtefact() throws Exception {
    Path dir = tmp.resolve("run-a");
    Map<String, Object> r = new ReffakdRun(config(3), dir, Progress.NONE,
        new java.io.PrintStream(java.io.OutputStream.nullOutputStream())).execute();
    @SuppressWarnings("unchecked")
    Map<String, Object> acc = (Map<String, Object>) r.get("test_accuracy");
    double best = ((Number) acc.get("best")).doubleValue();
    assertTrue(best > 0.6, "3 short epochs on 4000 images should reach well above chance, got "
        + best);
    for (String f : List.of("config.json", "metrics.csv", "autoencoder_metrics.csv",
        "similarity.csv", "soft_labels.csv", "result.json", "checkpoints/student-last.ckpt",
        "checkpoints/autoencoder-best.ckpt", "checkpoints/autoencoder-last.ckpt")) {
      assertTrue(Files.isRegularFile(dir.resolve(f)), "missing " + f);
    }
    Map<?, ?> json = new ObjectMapper().readValue(dir.resolve("result.json").toFile(), Map.class);
    for (String k : List.of("dataset", "classes", "loss", "seed", "similarity", "soft_labels",
        "test_accuracy", "epochs", "autoencoder_val_mse", "timings_s", "code_version",
        "dataset_sha256", "config")) {
      assertTrue(json.containsKey(k), "result.json lacks " + k);
    }
    List<?> soft = (List<?>) json.get("soft_labels");
    assertEquals(10, soft.size());
    double rowSum = ((List<?>) soft.get(3)).stream().mapToDouble(v -> ((Number) v).doubleValue())
        .sum();
    assertEquals(1.0, rowSum, 1e-9);
    assertEquals(4, Files.readAllLines(dir.resolve("metrics.csv")).size()); // header + 3 epochs
    // the validation split is carved from the training images and selects the epoch
    assertEquals(500, ((Number) json.get("val_images")).intValue());
    assertEquals(3500, ((Number) json.get("train_images")).intValue());
    RunResult typed = RunResult.read(dir.resolve("result.json"));
    assertEquals(3, typed.history().size());
    assertTrue(typed.history().stream().allMatch(e -> e.valTop1() > 0.3), typed.history()
        .toString());
    int bestVal = typed.accuracy().bestValEpoch();
    assertEquals(typed.history().get(bestVal - 1).testTop1(), typed.accuracy().testAtBestVal());
    assertEquals(bestVal, ((Number) acc.get("best_val_epoch")).intValue());
  }

  @Test
  void resumedRunMatchesUninterruptedRun() throws Exception {
    var quiet = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
    Path full = tmp.resolve("full");
    Map<String, Object> a = new ReffakdRun(config(2), full, Progress.NONE, quiet).execute();
    // "interrupted" after one student epoch, then resumed with the intended config
    Path part = tmp.resolve("part");
    new ReffakdRun(config(1), part, Progress.NONE, quiet).execute();
    Map<String, Object> b = new ReffakdRun(config(2), part, Progress.NONE, quiet).execute();
    assertEquals(a.get("history").toString().replaceAll("seconds=[0-9.E-]+|images_per_s="
            + "[0-9.E-]+", ""),
        b.get("history").toString().replaceAll("seconds=[0-9.E-]+|images_per_s=[0-9.E-]+", ""));
    assertEquals(a.get("test_accuracy"), b.get("test_accuracy"));
  }
}
