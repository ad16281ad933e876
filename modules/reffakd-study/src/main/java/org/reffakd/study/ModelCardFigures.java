package org.reffakd.study;

import java.util.Map;
import org.reffakd.nn.run.ModelCard;

/**
 * What a job's model card says (result.json {@code model_card}, made at the end of each run
 * where the ONNX exporters are on the class path): sizes in bytes, ONNX Runtime test accuracy,
 * latency per image at batch 1 (ms) and throughput at batch 64 (images/s), 1 thread, for the
 * float and the int8 model. -1 or NaN where the card is missing or a format was refused.
 */
public record ModelCardFigures(long floatBytes, long int8Bytes, double floatAccuracy,
                               double int8Accuracy, double floatLatencyMs,
                               double int8LatencyMs, double floatImagesPerS,
                               double int8ImagesPerS) {

  public static final ModelCardFigures NONE = new ModelCardFigures(-1, -1, Double.NaN,
      Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  public boolean present() {
    return floatBytes >= 0 || int8Bytes >= 0;
  }

  /** From a result's {@code model_card}; NONE when there is none. */
  public static ModelCardFigures of(ModelCard.Card card) {
    if (card == null) {
      return NONE;
    }
    Map<String, Object> f = figures(card, "onnx");
    Map<String, Object> q = figures(card, "onnx-int8");
    return new ModelCardFigures(bytes(f), bytes(q), num(f, "test_accuracy_onnxruntime"),
        num(q, "test_accuracy_onnxruntime"), num(f, "latency_ms_batch1"),
        num(q, "latency_ms_batch1"), num(f, "throughput_images_per_s_batch64"),
        num(q, "throughput_images_per_s_batch64"));
  }

  /** A format's figures (the exporter's keys); none when the format is absent. */
  private static Map<String, Object> figures(ModelCard.Card card, String format) {
    ModelCard.Entry e = card.formats().get(format);
    return e == null ? Map.of() : e.figures();
  }

  private static long bytes(Map<String, Object> m) {
    return m.get("size_bytes") instanceof Number n ? n.longValue() : -1;
  }

  private static double num(Map<String, Object> m, String key) {
    return m.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
