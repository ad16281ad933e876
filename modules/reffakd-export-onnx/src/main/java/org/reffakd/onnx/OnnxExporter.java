package org.reffakd.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reffakd.backend.BaseExporter;
import org.reffakd.backend.ExportReport;
import org.reffakd.backend.ExportSource;

/** {@code --format onnx}: the float model (see {@link ClassifierGraph}). */
public final class OnnxExporter extends BaseExporter {

  public OnnxExporter() {
    super("onnx", ".onnx", "an ONNX model (opset " + GraphWriter.OPSET + "; input \""
        + ClassifierGraph.INPUT + "\": float32 [N,C,S,S] pixels in [0,1], resized as the run "
        + "did, normalisation inside; output \"" + ClassifierGraph.OUTPUT + "\": logits "
        + "[N,classes]; batch norm folded; class names and provenance in metadata_props)");
  }

  @Override
  public ExportReport export(ExportSource s, Path out) throws IOException {
    byte[] bytes = ClassifierGraph.floatModel(s, ModelMeta.of(s, format())).toByteArray();
    Files.write(out, bytes);
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("format", format());
    figures.put("size_bytes", bytes.length);
    try (OnnxModel m = OnnxModel.of(bytes, out.toString(), 1)) {
      if (s.evaluation() != null) {
        figures.put("test_accuracy_onnxruntime", m.accuracy(s.evaluation().pixels(),
            s.evaluation().labels(), s.evaluation().count()));
      }
      figures.putAll(Bench.measure(m, s));
    }
    return new ExportReport(summary(s, figures), figures);
  }

  static String summary(ExportSource s, Map<String, Object> f) {
    StringBuilder b = new StringBuilder(String.format("%s, input \"%s\" float32 [N,%d,%d,%d] in "
            + "[0,1], %d logits; %d bytes", s.arch(), ClassifierGraph.INPUT, s.channels(),
        s.side(), s.side(), s.classes(), ((Number) f.get("size_bytes")).longValue()));
    if (f.get("test_accuracy_onnxruntime") instanceof Double a) {
      b.append(String.format("; ONNX Runtime test accuracy %.4f", a));
    }
    if (f.get("latency_ms_batch1") instanceof Double l) {
      b.append(String.format("; 1 thread: %.3f ms/image at batch 1, %.0f images/s at batch %d",
          l, (Double) f.get("throughput_images_per_s_batch64"), Bench.BATCH));
    }
    return b.toString();
  }
}
