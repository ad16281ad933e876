package org.reffakd.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.reffakd.backend.Backends;
import org.reffakd.backend.Classifier;
import org.reffakd.backend.ExportSource;
import org.reffakd.backend.Exporters;
import org.reffakd.backend.ImageBatch;

/**
 * Every architecture's float ONNX export, loaded by ONNX Runtime, gives the java engine's
 * logits (evaluation mode) on the same pixels: seeded weights, with batch-norm statistics and
 * affine parameters drawn away from their identity start, so that the folding is exercised.
 */
class OnnxExportTest {

  @TempDir
  Path tmp;

  @ParameterizedTest
  @CsvSource({"lenet5bn, 1, 32, 6", "lenet5bn-wide, 3, 32, 4", "resnet18-w16, 3, 32, 4",
      "resnet18, 1, 16, 2"})
  void onnxRuntimeGivesTheJavaEnginesLogits(String arch, int channels, int side, int n)
      throws Exception {
    int classes = 10;
    SplittableRandom r = new SplittableRandom(7);
    float[] mean = new float[channels];
    float[] std = new float[channels];
    for (int c = 0; c < channels; c++) {
      mean[c] = (float) (0.2 + 0.3 * r.nextDouble());
      std[c] = (float) (0.2 + 0.2 * r.nextDouble());
    }
    float[] pixels = new float[n * channels * side * side];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) r.nextDouble();
    }
    float[] expected;
    Map<String, float[]> state = new LinkedHashMap<>();
    try (Classifier c = Backends.get("java").classifier(arch, channels, side, classes, 3)) {
      c.state().forEach((k, v) -> {
        float[] a = v.clone();
        if (k.endsWith("running_var")) {
          for (int i = 0; i < a.length; i++) {
            a[i] = (float) (0.5 + r.nextDouble());
          }
        } else if (k.endsWith("running_mean") || (isBn(c, k) && k.endsWith(".bias"))) {
          for (int i = 0; i < a.length; i++) {
            a[i] = (float) (0.2 * r.nextGaussian());
          }
        } else if (isBn(c, k) && k.endsWith(".weight")) {
          for (int i = 0; i < a.length; i++) {
            a[i] = (float) (0.7 + 0.6 * r.nextDouble());
          }
        }
        state.put(k, a);
      });
      c.load(state, "test");
      // the java engine's input: normalised as BatchAssembler does, (x - mean) * (1 / std)
      float[] x = new float[pixels.length];
      int plane = side * side;
      for (int i = 0; i < n; i++) {
        for (int ch = 0; ch < channels; ch++) {
          float inv = (float) (1.0 / std[ch]);
          for (int p = 0; p < plane; p++) {
            int at = (i * channels + ch) * plane + p;
            x[at] = (pixels[at] - mean[ch]) * inv;
          }
        }
      }
      expected = c.forward(new ImageBatch(x, ImageBatch.Layout.NCHW, n, channels, side, side)
          .to(ImageBatch.Layout.CNHW), false).clone();
    }
    ExportSource src = new ExportSource(arch, channels, side, classes, state, mean, std,
        List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"),
        Map.of("code_version", "test"), null, null);
    Path file = tmp.resolve(arch + ".onnx");
    Exporters.get("onnx").export(src, file);
    assertTrue(Files.size(file) > 4L * state.get(arch.startsWith("lenet") ? "0.weight"
        : "0.weight").length);
    try (OnnxModel m = OnnxModel.open(file, 1)) {
      assertEquals(channels, m.channels());
      assertEquals(side, m.side());
      assertEquals(List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"), m.classNames());
      assertEquals(arch, m.metadata().get("arch"));
      float[] got = m.logits(pixels, n);
      assertEquals(n * classes, got.length);
      // Two runtimes, one forward pass in float32: they differ by summation order and by the
      // batch norm folded into the weights (rounded once in float) against the java engine's
      // separate (x - mean) * invStd * gamma + beta. Each contributes relative errors of a few
      // float ulps (1e-7) per layer; over at most 18 layers that is ~1e-6 of the logits'
      // scale, so 1e-4 of the image's largest logit holds with a margin of ~100, and a wrong
      // fold, layout or missing layer (errors of order 1) fails it.
      for (int i = 0; i < n; i++) {
        double scale = 0;
        for (int j = 0; j < classes; j++) {
          scale = Math.max(scale, Math.abs(expected[i * classes + j]));
        }
        for (int j = 0; j < classes; j++) {
          float e = expected[i * classes + j];
          float a = got[i * classes + j];
          assertEquals(e, a, 1e-4 * scale, arch + " image " + i + " logit " + j);
        }
      }
    }
  }

  private static boolean isBn(Classifier c, String k) {
    String p = k.substring(0, k.lastIndexOf('.'));
    return c.state().containsKey(p + ".running_var");
  }
}
