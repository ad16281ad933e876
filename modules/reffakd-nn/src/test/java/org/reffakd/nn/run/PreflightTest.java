package org.reffakd.nn.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.reffakd.nn.train.Progress;

/**
 * A run that cannot finish fails before the autoencoder trains, naming the setting; the same
 * directory then runs with a setting that fits.
 */
class PreflightTest {

  @TempDir
  static Path tmp;
  @RegisterExtension
  static final FashionIdx data = new FashionIdx(() -> tmp, 300, 100); // about 30 images a class
  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  private static RunConfig config(Map<String, ?> more) {
    RunConfig c = RunConfig.defaults("fashion-mnist").with(Map.of("data", data.dir().toString(),
        "ae_epochs", 1, "epochs", 1, "batch_size", 64, "seed", 7, "threads", 1,
        "val_size", 100));
    return c.with(more);
  }

  /** The message of a run in {@code dir} refused before its autoencoder trained. */
  private static String refusedBeforeTheAutoencoder(Path dir, Map<String, ?> more) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new DirectRun(config(more), dir, Progress.NONE, QUIET).execute());
    assertFalse(Files.exists(dir.resolve("checkpoints/autoencoder-last.ckpt")),
        "the autoencoder trained before the run failed: " + e.getMessage());
    return e.getMessage();
  }

  @Test
  void tooFewImagesPerClassFailsBeforeTheAutoencoderAndTheSameDirectoryRunsAfter() {
    Path dir = tmp.resolve("few");
    String e = refusedBeforeTheAutoencoder(dir, Map.of());
    assertTrue(e.startsWith("soft_per_class 40 needs 40 training images of every class, but "
        + "class '"), e);
    assertTrue(e.contains("after the validation split of 100 images"), e);
    assertTrue(e.contains("--soft-per-class"), e);
    // fewer soft-label images fit: the same directory runs to the end
    new DirectRun(config(Map.of("soft_per_class", 5)), dir, Progress.NONE, QUIET).execute();
    assertTrue(Files.isRegularFile(dir.resolve("result.json")));
  }

  @Test
  void aValidationSplitThatStarvesAClassFailsBeforeTheAutoencoder() {
    String e = refusedBeforeTheAutoencoder(tmp.resolve("val"),
        Map.of("soft_per_class", 5, "val_size", 280));
    assertTrue(e.startsWith("soft_per_class 5 needs 5"), e);
    assertTrue(e.contains("or a smaller --val-size"), e);
  }

  @Test
  void aFractionThatLeavesTheDrawTooFewLabelledImagesFailsNamingBoth() {
    // 200 pool images, half of them about 10 a class: 15 cannot be drawn from them
    String e = refusedBeforeTheAutoencoder(tmp.resolve("frac"),
        Map.of("soft_per_class", 15, "train_fraction", 0.5));
    assertTrue(e.startsWith("train_fraction 0.5 leaves class '"), e);
    assertTrue(e.contains("fewer than soft_per_class 15"), e);
  }

  @Test
  void everyStageOfALowDataRouteSeesOnlyItsLabelledImagesUnlessTheAutoencoderMaySeeAll()
      throws Exception {
    Map<String, Object> strict = result(tmp.resolve("strict"), Map.of("soft_per_class", 5,
        "train_fraction", 0.5));
    int student = ((Number) strict.get("student_images")).intValue();
    assertTrue(student > 80 && student < 120, "half of the 200 pool images: " + student);
    assertEquals(student, ((Number) strict.get("autoencoder_images")).intValue());
    assertEquals(student, ((Number) strict.get("draw_pool_images")).intValue());
    assertEquals("labelled", strict.get("ae_pool"));
    Map<String, Object> semi = result(tmp.resolve("semi"), Map.of("soft_per_class", 5,
        "train_fraction", 0.5, "ae_pool", "all"));
    assertEquals(student, ((Number) semi.get("student_images")).intValue());
    assertEquals(200, ((Number) semi.get("autoencoder_images")).intValue(), "the whole pool");
    assertEquals(student, ((Number) semi.get("draw_pool_images")).intValue(),
        "the draw stays within the labelled images");
    assertEquals("all", semi.get("ae_pool"));
    assertEquals("all", ((Map<?, ?>) semi.get("config")).get("ae_pool"), "recorded in config");
    assertFalse(((Map<?, ?>) strict.get("config")).containsKey("ae_pool"),
        "the default is left out of config.json, as before the option");
    // at fraction 1 both pools are the whole pool
    Map<String, Object> full = result(tmp.resolve("full"), Map.of("soft_per_class", 5));
    assertEquals(200, ((Number) full.get("student_images")).intValue());
    assertEquals(200, ((Number) full.get("autoencoder_images")).intValue());
    assertEquals(200, ((Number) full.get("draw_pool_images")).intValue());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> result(Path dir, Map<String, ?> more) throws Exception {
    new DirectRun(config(more), dir, Progress.NONE, QUIET).execute();
    return RunConfig.JSON.readValue(dir.resolve("result.json").toFile(), Map.class);
  }
}
