package org.reffakd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reffakd.backend.Classifier;
import org.reffakd.backend.ImageBatch;
import org.reffakd.nn.prep.Augmentation;
import org.reffakd.nn.prep.BatchAssembler;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.nn.run.RunData;
import org.reffakd.nn.run.RunResult;
import org.reffakd.onnx.OnnxModel;

/**
 * {@code reffakd export --format onnx / onnx-int8} of a real short run, checked in ONNX Runtime
 * against the java engine on the run's real test images, then {@code reffakd predict} on the
 * files, the run folder and image files, and its one-line errors.
 */
class OnnxExportCommandTest {

  @TempDir
  Path tmp;

  @Test
  void onnxAndInt8ExportsScoreTheRunInOnnxRuntime() throws Exception {
    Path data = tmp.resolve("fmnist");
    org.reffakd.nn.run.FashionSubset.writeIdx(data, 1000, 300);
    Path run = tmp.resolve("run");
    Cli.shortCeRun(data, run, 200);
    double last = RunResult.read(run.resolve("result.json")).accuracy().lastTest();
    assertTrue(last > 0.3, "the run did not learn: " + last);
    // every run makes its model card: student.onnx and student-int8.onnx in the run folder,
    // measured in ONNX Runtime, in result.json's model_card
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> own = (Map<String, Map<String, Object>>) RunConfig.JSON
        .readValue(run.resolve("result.json").toFile(), new TypeReference<Map<String, Object>>()
        {}).get("model_card");
    assertEquals(Files.size(run.resolve("student.onnx")),
        ((Number) own.get("onnx").get("size_bytes")).longValue());
    // a forward pass in two runtimes (see above): no top-1 flips, so the same accuracy
    assertEquals(last, ((Number) own.get("onnx").get("test_accuracy_onnxruntime"))
        .doubleValue(), 0.001);
    assertTrue(own.get("onnx-int8").containsKey("refused") || Files.size(run.resolve(
        "student-int8.onnx")) == ((Number) own.get("onnx-int8").get("size_bytes")).longValue(),
        own.toString());
    Path onnx = tmp.resolve("student.onnx");
    Path int8 = tmp.resolve("student-int8.onnx");
    assertEquals(0, Main.execute("export", run.toString(), "--format", "onnx", "--out",
        onnx.toString()));
    assertEquals(0, Main.execute("export", run.toString(), "--format", "onnx-int8", "--out",
        int8.toString()));

    // the java engine's logits on the run's test images, fed as the run fed them
    RunConfig cfg = RunConfig.read(run.resolve("config.json"));
    RunData d = RunData.load(cfg, System.out);
    int n = d.testImages().count();
    int k = 10;
    int[] order = java.util.stream.IntStream.range(0, n).toArray();
    int[] labels = new int[n];
    float[] expected;
    try (Classifier c = RunModel.read(run).open()) {
      ImageBatch x = new BatchAssembler(d.testImages(), d.norm(), Augmentation.NONE)
          .batch(order, 0, n, 0, 0, null, labels);
      expected = Arrays.copyOf(c.forward(x, false), n * k);
    }
    float[] pixels = d.testImages().images(0, d.testImages().count()); // [0, 1], NCHW
    try (OnnxModel f = OnnxModel.open(onnx, 1); OnnxModel q = OnnxModel.open(int8, 1)) {
      float[] zf = f.logits(pixels, n);
      float[] zq = q.logits(pixels, n);
      long hitsF = 0;
      long sameQ = 0;
      for (int i = 0; i < n; i++) {
        double scale = 0;
        for (int j = 0; j < k; j++) {
          scale = Math.max(scale, Math.abs(expected[i * k + j]));
        }
        // one forward pass in float32 in two runtimes (summation order; batch norm folded and
        // rounded once in the ONNX weights): ~1e-6 of the largest logit (OnnxExportTest)
        for (int j = 0; j < k; j++) {
          assertEquals(expected[i * k + j], zf[i * k + j], 1e-4 * scale, "image " + i);
        }
        int top = OnnxModel.argmax(expected, i * k, k);
        hitsF += OnnxModel.argmax(zf, i * k, k) == labels[i] ? 1 : 0;
        sameQ += OnnxModel.argmax(zq, i * k, k) == top ? 1 : 0;
      }
      // agreeing to 1e-4 of the logits, a top-1 flips only where the two best logits are that
      // close: expected count over 300 images well below one, so no flip is admitted
      assertEquals(last, (double) hitsF / n, 0.001, "ONNX Runtime's accuracy, float");
      assertTrue(sameQ >= 0.99 * n, "int8 agrees with the java engine on " + sameQ + " of " + n);
      assertEquals("6", f.metadata().get("epoch"));
      assertEquals(d.train().classNames(), f.classNames());
      assertEquals(String.format("%.4f", last), f.metadata().get("test_accuracy"));
      assertTrue(f.metadata().get("resize").contains("28x28 -> 32x32"), f.metadata().toString());
      assertTrue(f.metadata().get("dataset_sha256").matches(".*[0-9a-f]{64}.*"),
          f.metadata().get("dataset_sha256"));
    }
    assertTrue(Files.size(int8) <= 0.4 * Files.size(onnx), Files.size(int8) + " vs "
        + Files.size(onnx));
    Map<String, Object> card = RunConfig.JSON.readValue(
        tmp.resolve("student-int8.onnx.json").toFile(), new TypeReference<>() {});
    assertEquals(Files.size(int8), ((Number) card.get("size_bytes")).longValue());
    assertEquals(Files.size(onnx), ((Number) card.get("float_size_bytes")).longValue());
    double fa = ((Number) card.get("float_test_accuracy_onnxruntime")).doubleValue();
    double qa = ((Number) card.get("test_accuracy_onnxruntime")).doubleValue();
    assertEquals(last, fa, 0.001);
    assertTrue(fa - qa <= 0.01, qa + " vs " + fa);
    assertTrue(((Number) card.get("latency_ms_batch1")).doubleValue() > 0);
    assertTrue(((Number) card.get("macs_per_image")).longValue() > 400_000);

    // the model card in result.json: one entry per format, the figures of the files
    Map<String, Object> result = RunConfig.JSON.readValue(run.resolve("result.json").toFile(),
        new TypeReference<>() {});
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> mc = (Map<String, Map<String, Object>>) result.get(
        "model_card");
    assertEquals(card.get("parameters"), mc.get("parameters"));
    assertEquals(Files.size(onnx), ((Number) mc.get("onnx").get("size_bytes")).longValue());
    assertEquals(Files.size(int8), ((Number) mc.get("onnx-int8").get("size_bytes")).longValue());
    assertEquals(qa, ((Number) mc.get("onnx-int8").get("test_accuracy_onnxruntime"))
        .doubleValue());
    assertEquals(last, RunResult.read(run.resolve("result.json")).accuracy().lastTest());

    // predict: the same accuracy from the .onnx file and from the run folder
    String out = capture("predict", onnx.toString(), "--dataset", "fashion-mnist", "--data",
        data.toString());
    assertEquals(last, accuracy(out), 0.001, out);
    out = capture("predict", run.toString(), "--dataset", "fashion-mnist", "--data",
        data.toString(), "--limit", "300");
    // the java engine again, in batches of 256 instead of the run's: same top-1 but at ties
    assertEquals(last, accuracy(out), 0.001, out);

    // image files: a test image as a grey PNG, and as colour (RGB) JPEG of another size
    Path png = tmp.resolve("img.png");
    Path jpg = tmp.resolve("colour.jpg");
    writeImage(d.test().pixels(), 0, png, false, 28);
    writeImage(d.test().pixels(), 0, jpg, true, 56);
    out = capture("predict", onnx.toString(), png.toString());
    assertTrue(out.startsWith(png + ":"), out);
    String top = d.train().classNames().get(OnnxModel.argmax(expected, 0, k));
    assertTrue(out.contains("  " + top + " "), "top-1 " + top + " in " + out);
    assertEquals(3, out.trim().split("  ").length - 1, out);

    // bad input: one line each
    Path corrupt = tmp.resolve("corrupt.onnx");
    Files.write(corrupt, new byte[] {1, 2, 3, 4, 5, 6, 7});
    assertOneLineError("predict", corrupt.toString(), png.toString());
    assertOneLineError("predict", onnx.toString(), jpg.toString()); // colour for a grey model
    assertOneLineError("predict", onnx.toString(), tmp.resolve("none.png").toString());
    assertOneLineError("export", run.toString(), "--format", "tflite", "--out",
        tmp.resolve("x").toString());
  }

  private static double accuracy(String out) {
    Matcher m = Pattern.compile("accuracy (0\\.\\d{4}|1\\.0000)").matcher(out);
    assertTrue(m.find(), out);
    return Double.parseDouble(m.group(1));
  }

  private static void writeImage(byte[] px, int index, Path file, boolean colour, int size)
      throws Exception {
    java.awt.image.BufferedImage src = new java.awt.image.BufferedImage(28, 28,
        java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        int v = px[index * 784 + y * 28 + x] & 0xff;
        src.getRaster().setSample(x, y, 0, v);
      }
    }
    java.awt.image.BufferedImage img = src;
    if (colour) {
      img = new java.awt.image.BufferedImage(size, size,
          java.awt.image.BufferedImage.TYPE_INT_RGB);
      java.awt.Graphics2D g = img.createGraphics();
      g.drawImage(src, 0, 0, size, size, null);
      g.setColor(java.awt.Color.RED);
      g.fillRect(0, 0, 4, 4);
      g.dispose();
    }
    javax.imageio.ImageIO.write(img, colour ? "jpg" : "png", file.toFile());
  }

  /** The command's standard output (also printed); it must exit 0. */
  private static String capture(String... args) {
    Cli r = echoed(args);
    assertEquals(0, r.rc(), r.out());
    return r.out();
  }

  private static void assertOneLineError(String... args) {
    Cli r = echoed(args);
    assertEquals(1, r.rc(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().startsWith("reffakd: error: "), r.err());
  }

  /** Runs the command, then prints what it printed. */
  private static Cli echoed(String... args) {
    Cli r = Cli.run(args);
    System.out.print(r.out());
    System.err.print(r.err());
    return r;
  }
}
