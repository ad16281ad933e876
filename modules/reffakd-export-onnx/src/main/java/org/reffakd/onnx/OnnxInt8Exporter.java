package org.reffakd.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reffakd.backend.BaseExporter;
import org.reffakd.backend.ExportReport;
import org.reffakd.backend.ExportSource;

/**
 * {@code --format onnx-int8}: post-training static quantisation in QDQ form (see
 * {@link ClassifierGraph}): weights int8 per output channel, activations uint8 with ranges
 * calibrated (min/max) by ONNX Runtime on the source's calibration images, the run's
 * validation images. With evaluation images it measures both models' accuracy in ONNX Runtime
 * and refuses a model that is over {@value #MAX_SIZE_RATIO}x the float size or loses more than
 * {@value #MAX_ACCURACY_LOSS} of accuracy.
 */
public final class OnnxInt8Exporter extends BaseExporter {

  static final double MAX_SIZE_RATIO = 0.4;
  static final double MAX_ACCURACY_LOSS = 0.01;

  public OnnxInt8Exporter() {
    super("onnx-int8", ".onnx", "the ONNX model quantised to int8 (QDQ; per-channel int8 "
        + "weights, uint8 activations calibrated on the run's validation images; same input "
        + "and output as onnx); the float and int8 sizes and ONNX Runtime accuracies go to "
        + "FILE.json");
  }

  @Override
  public ExportReport export(ExportSource s, Path out) throws IOException {
    if (s.calibration() == null || s.calibration().count() == 0) {
      throw new IllegalArgumentException("onnx-int8 needs calibration images (the run's "
          + "validation split): this run has val_size 0");
    }
    Map<String, float[]> ranges = calibrate(s);
    Map<String, String> meta = ModelMeta.of(s, format());
    meta.put("quantization", "QDQ static: int8 symmetric weights per output channel; uint8 "
        + "activations, min/max over " + s.calibration().count() + " validation images");
    byte[] q = ClassifierGraph.quantized(s, ranges, meta).toByteArray();
    byte[] f = ClassifierGraph.floatModel(s, ModelMeta.of(s, "onnx")).toByteArray();
    Map<String, Object> fig = new LinkedHashMap<>();
    fig.put("format", format());
    fig.put("size_bytes", q.length);
    fig.put("float_size_bytes", f.length);
    double ratio = (double) q.length / f.length;
    fig.put("size_ratio", ratio);
    fig.put("calibration_images", s.calibration().count());
    try (OnnxModel qm = OnnxModel.of(q, out.toString(), 1)) {
      if (s.evaluation() != null) {
        ExportSource.Images e = s.evaluation();
        double qa;
        double fa;
        long same = 0;
        try (OnnxModel fm = OnnxModel.of(f, "float model", 1)) {
          int per = s.channels() * s.side() * s.side();
          for (int from = 0; from < e.count(); from += 256) {
            int m = Math.min(256, e.count() - from);
            float[] x = Arrays.copyOfRange(e.pixels(), from * per, (from + m) * per);
            float[] zq = qm.logits(x, m);
            float[] zf = fm.logits(x, m);
            for (int i = 0; i < m; i++) {
              same += OnnxModel.argmax(zq, i * s.classes(), s.classes())
                  == OnnxModel.argmax(zf, i * s.classes(), s.classes()) ? 1 : 0;
            }
          }
          fa = fm.accuracy(e.pixels(), e.labels(), e.count());
          qa = qm.accuracy(e.pixels(), e.labels(), e.count());
        }
        fig.put("float_test_accuracy_onnxruntime", fa);
        fig.put("test_accuracy_onnxruntime", qa);
        fig.put("top1_agreement_with_float", (double) same / e.count());
        fig.put("test_images", e.count());
        if (ratio > MAX_SIZE_RATIO || fa - qa > MAX_ACCURACY_LOSS) {
          throw new IllegalArgumentException(String.format("int8 model refused: %.3fx the float "
                  + "size (at most %.1fx allowed), test accuracy %.4f against float %.4f (at most "
                  + "%.2f lower allowed)", ratio, MAX_SIZE_RATIO, qa, fa, MAX_ACCURACY_LOSS));
        }
      }
      fig.putAll(Bench.measure(qm, s));
    }
    Files.write(out, q);
    StringBuilder b = new StringBuilder(OnnxExporter.summary(s, fig));
    b.append(String.format("%nint8: %d bytes = %.3fx the float model's %d", q.length, ratio,
        f.length));
    if (fig.get("float_test_accuracy_onnxruntime") instanceof Double fa) {
      b.append(String.format("; test accuracy int8 %.4f, float %.4f (ONNX Runtime); same top-1 "
              + "as float on %.2f%% of test images", (Double) fig.get("test_accuracy_onnxruntime"),
          fa, 100 * (Double) fig.get("top1_agreement_with_float")));
    }
    return new ExportReport(b.toString(), fig);
  }

  /** min/max of every tap over the calibration images, in ONNX Runtime. */
  static Map<String, float[]> calibrate(ExportSource s) {
    ClassifierGraph c = ClassifierGraph.calibration(s);
    List<String> taps = c.taps;
    Map<String, float[]> ranges = new LinkedHashMap<>();
    for (String t : taps) {
      ranges.put(t, new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY});
    }
    ExportSource.Images cal = s.calibration();
    int per = s.channels() * s.side() * s.side();
    try (OnnxModel m = OnnxModel.of(c.model().toByteArray(), "calibration graph",
        Runtime.getRuntime().availableProcessors())) {
      for (int from = 0; from < cal.count(); from += 128) {
        int n = Math.min(128, cal.count() - from);
        List<float[]> outs = m.run(Arrays.copyOfRange(cal.pixels(), from * per,
            (from + n) * per), n, taps);
        for (int i = 0; i < taps.size(); i++) {
          float[] r = ranges.get(taps.get(i));
          for (float v : outs.get(i + 1)) {
            r[0] = Math.min(r[0], v);
            r[1] = Math.max(r[1], v);
          }
        }
      }
    }
    return ranges;
  }
}
