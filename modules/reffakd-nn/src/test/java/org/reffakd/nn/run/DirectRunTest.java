package org.reffakd.nn.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.reffakd.nn.train.Progress;

/**
 * Whole runs on a real Fashion-MNIST subset (4000 train, 1000 test images): the student must
 * beat chance (10%) by a wide margin; an interrupted run resumed from its checkpoints must end
 * exactly where an uninterrupted one does.
 */
class DirectRunTest {

  @TempDir
  static Path tmp;
  @RegisterExtension
  static final FashionIdx data = new FashionIdx(() -> tmp, 4000, 1000);

  private static RunConfig config(int epochs) {
    return data.tinyConfig(epochs, 500).withSeed(7).with("schedule", "constant");
  }

  @Test
  void shortRunLearnsAndWritesEveryArtefact() throws Exception {
    Path dir = tmp.resolve("run-a");
    RunResult r = new DirectRun(config(3), dir, Progress.NONE,
        new java.io.PrintStream(java.io.OutputStream.nullOutputStream())).execute();
    double best = r.accuracy().bestTest();
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
    // which code paths ran: the java engine's vector width (REFFAKD_VECTOR_BITS)
    assertEquals(org.reffakd.backend.Backends.get("java").vectorBits(),
        ((Number) json.get("vector_bits")).intValue());
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
    assertEquals(bestVal, r.accuracy().bestValEpoch());
  }

  @Test
  void resumedRunMatchesUninterruptedRun() throws Exception {
    var quiet = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
    Path full = tmp.resolve("full");
    RunResult a = new DirectRun(config(2), full, Progress.NONE, quiet).execute();
    // "interrupted" after one student epoch, then resumed with the intended config
    Path part = tmp.resolve("part");
    new DirectRun(config(1), part, Progress.NONE, quiet).execute();
    RunResult b = new DirectRun(config(2), part, Progress.NONE, quiet).execute();
    // every epoch's figures bit for bit, but the times
    assertEquals(untimed(a.history()), untimed(b.history()));
    assertEquals(a.accuracy(), b.accuracy());
  }

  private static List<org.reffakd.nn.train.EpochRow> untimed(
      List<org.reffakd.nn.train.EpochRow> rows) {
    return rows.stream().map(r -> new org.reffakd.nn.train.EpochRow(r.epoch(), r.lr(), r.loss(),
        r.terms(), r.trainAcc(), r.valTop1(), r.testTop1(), r.testTop5(), 0, 0, 0)).toList();
  }

  @Test
  void resumedRunAddsUpItsSegmentsAndAFinishedRunIsLeftAsItIs() throws Exception {
    var quiet = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
    Path dir = tmp.resolve("segments");
    RunResult first = new DirectRun(config(1), dir, Progress.NONE, quiet).execute();
    Map<String, Double> t1 = first.timings();
    assertEquals(1, ((Number) first.details().get("segments")).intValue());
    RunResult second = new DirectRun(config(2), dir, Progress.NONE, quiet).execute();
    Map<String, Double> t2 = second.timings();
    assertEquals(2, ((Number) second.details().get("segments")).intValue());
    // data and soft labels ran again: both segments count; the trainers' times add up
    for (String k : List.of("data", "soft_labels", "student")) {
      assertTrue(t2.get(k) > t1.get(k), k + ": " + t1 + " then " + t2);
    }
    assertEquals(t1.get("autoencoder"), t2.get("autoencoder")); // trained in segment 1 only

    // resuming the finished run: nothing trains, no file changes
    byte[] before = Files.readAllBytes(dir.resolve("result.json"));
    var ckpt = Files.getLastModifiedTime(dir.resolve("checkpoints/student-last.ckpt"));
    var cfgTime = Files.getLastModifiedTime(dir.resolve("config.json"));
    java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
    RunResult again = new DirectRun(config(2).with("threads", 2), dir, Progress.NONE,
        new java.io.PrintStream(log, true)).execute();
    assertTrue(log.toString().startsWith("run already finished"), log.toString());
    org.junit.jupiter.api.Assertions.assertArrayEquals(before,
        Files.readAllBytes(dir.resolve("result.json")));
    assertEquals(ckpt, Files.getLastModifiedTime(dir.resolve("checkpoints/student-last.ckpt")));
    assertEquals(cfgTime, Files.getLastModifiedTime(dir.resolve("config.json")));
    assertEquals(second.accuracy(), again.accuracy());
  }
}
