package org.reffakd.nn.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reffakd.nn.train.Progress;

/**
 * An image folder whose blue channel is one constant value: the run warns once, naming the
 * channel, normalises it with std 1, and the autoencoder's MSE stays of the order of the data
 * (it read 735,620,028 when the std was clamped to 1e-6).
 */
class ConstantChannelTest {

  @TempDir
  Path tmp;

  private static void writeSplit(Path dir, int perClass, SplittableRandom rng) throws Exception {
    for (String cls : List.of("a", "b")) {
      Files.createDirectories(dir.resolve(cls));
      for (int i = 0; i < perClass; i++) {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
          for (int x = 0; x < 8; x++) {
            int r = rng.nextInt(256);
            int g = cls.equals("a") ? rng.nextInt(128) : 128 + rng.nextInt(128);
            img.setRGB(x, y, (r << 16) | (g << 8) | 0x80); // blue: always 128
          }
        }
        ImageIO.write(img, "png", dir.resolve(cls).resolve(i + ".png").toFile());
      }
    }
  }

  @Test
  void aConstantChannelWarnsOnceAndIsNormalisedSafely() throws Exception {
    SplittableRandom rng = new SplittableRandom(3);
    Path data = tmp.resolve("folder");
    writeSplit(data.resolve("train"), 24, rng);
    writeSplit(data.resolve("test"), 6, rng);
    RunConfig cfg = RunConfig.defaults("folder").with(Map.of("data", data.toString(),
        "image_size", 16, "ae_epochs", 1, "epochs", 1, "batch_size", 16, "seed", 7,
        "threads", 1, "val_size", 8, "soft_per_class", 4));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream log = new PrintStream(out, true, StandardCharsets.UTF_8);
    RunResult r = new DirectRun(cfg, tmp.resolve("run"), Progress.NONE, log)
        .execute();
    List<String> warnings = out.toString(StandardCharsets.UTF_8).lines()
        .filter(l -> l.startsWith("warning:")).toList();
    assertEquals(1, warnings.size(), out.toString(StandardCharsets.UTF_8));
    assertTrue(warnings.get(0).contains("channel 2 (blue) of the training images is constant"),
        warnings.get(0));
    assertTrue(warnings.get(0).contains("normalised with std 1"), warnings.get(0));

    RunData d = RunData.load(cfg, new PrintStream(java.io.OutputStream.nullOutputStream()));
    assertEquals(1.0, d.norm().std()[2]);
    assertTrue(d.norm().std()[0] > 0.1, "the red channel keeps its std");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> ae = (List<Map<String, Object>>) RunResult.read(
        tmp.resolve("run").resolve("result.json")).details().get("autoencoder_history");
    double mse = ((Number) ae.get(0).get("train_mse")).doubleValue();
    assertTrue(mse < 10, "autoencoder train MSE " + mse + " on normalised data");
  }
}
