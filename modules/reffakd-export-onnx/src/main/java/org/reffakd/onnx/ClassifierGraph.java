package org.reffakd.onnx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reffakd.backend.ExportSource;
import org.reffakd.onnx.proto.Onnx.ModelProto;
import org.reffakd.onnx.proto.Onnx.TensorProto;

/**
 * The ONNX graph of a classifier, read from its state by name (PyTorch-style names, java-engine
 * layouts: see {@code Trainable}) and its architecture name; no engine's classes.
 *
 * <p>Input {@value #INPUT}: float pixels in [0, 1], [N, C, S, S], N dynamic. The run's
 * per-channel normalisation is the graph's first two nodes (Sub mean, Mul 1/std, as the
 * training batches were made). Batch norm is folded into the convolution before it (in
 * double precision). Output {@value #OUTPUT}: logits [N, classes].
 *
 * <p>Quantised (QDQ, {@link #quantized}): every activation (Conv and Gemm inputs, ReLU outputs,
 * the two inputs of a residual Add) passes a QuantizeLinear/DequantizeLinear pair (uint8,
 * asymmetric, the scale calibrated from the tensor's min/max), and every weight is a
 * DequantizeLinear of int8 values with one symmetric scale per output channel; biases are int32
 * at scale input scale x weight scale (the QDQ form ORT fuses into QLinearConv/QGemm); the logits
 * are float.
 */
final class ClassifierGraph {

  static final String INPUT = "pixels";
  static final String OUTPUT = "logits";
  /** PyTorch's BatchNorm2d eps, the java engine's and the DL4J plan's. */
  static final double BN_EPS = 1e-5;

  private final ExportSource src;
  private final Map<String, float[]> ranges; // null: float graph
  private final GraphWriter g;
  /** The activation tensors each Conv/Gemm reads, in graph order (the calibration taps). */
  final List<String> taps = new ArrayList<>();
  private final Map<String, String> dequantized = new LinkedHashMap<>();
  /** The scale of each Q/DQ pair's output (an int32 bias's scale is input x weight scale). */
  private final Map<String, Float> inputScale = new LinkedHashMap<>();

  private ClassifierGraph(ExportSource src, Map<String, float[]> ranges) {
    this.src = src;
    this.ranges = ranges;
    this.g = new GraphWriter(src.arch());
  }

  /** The float model. */
  static ModelProto floatModel(ExportSource s, Map<String, String> meta) {
    ClassifierGraph c = new ClassifierGraph(s, null);
    c.build();
    return c.g.model(meta, doc(s, false));
  }

  /** The float model with every tap also a graph output, and the tap names. */
  static ClassifierGraph calibration(ExportSource s) {
    ClassifierGraph c = new ClassifierGraph(s, null);
    c.build();
    for (String t : c.taps) {
      c.g.outputAnyShape(t);
    }
    return c;
  }

  ModelProto model() {
    return g.model(Map.of(), "calibration graph");
  }

  /** The QDQ model with the activation ranges {min, max} of each tap. */
  static ModelProto quantized(ExportSource s, Map<String, float[]> ranges,
                              Map<String, String> meta) {
    ClassifierGraph c = new ClassifierGraph(s, ranges);
    c.build();
    return c.g.model(meta, doc(s, true));
  }

  private static String doc(ExportSource s, boolean int8) {
    return s.arch() + (int8 ? " (int8 QDQ: per-channel int8 weights, uint8 activations)" : "")
        + ": input " + INPUT + " float32 [N," + s.channels() + "," + s.side() + "," + s.side()
        + "] pixels in [0,1] (normalisation inside), output " + OUTPUT + " [N," + s.classes()
        + "]";
  }

  private void build() {
    g.input(INPUT, TensorProto.DataType.FLOAT.getNumber(), "N", src.channels(), src.side(),
        src.side());
    int c = src.channels();
    float[] inv = new float[c];
    for (int i = 0; i < c; i++) {
      inv[i] = (float) (1.0 / src.std()[i]);
    }
    String centred = g.node("Sub", g.fresh("centred"), Map.of(), INPUT,
        g.floats("mean", src.mean().clone(), 1, c, 1, 1));
    String x = g.node("Mul", g.fresh("normalised"), Map.of(), centred,
        g.floats("inv_std", inv, 1, c, 1, 1));
    String logits = switch (src.arch()) {
      case "lenet5bn", "lenet5bn-wide" -> lenet(x);
      case "resnet18", "resnet18-w16" -> resnet(x);
      default -> throw new IllegalArgumentException("ONNX export: unknown architecture '"
          + src.arch() + "' (known: lenet5bn, lenet5bn-wide, resnet18, resnet18-w16)");
    };
    g.output(logits, TensorProto.DataType.FLOAT.getNumber(), "N", src.classes());
  }

  private String lenet(String x) {
    x = relu(conv("0", "1", x, 5, 1, 0));
    x = maxPool(x);
    x = relu(conv("4", "5", x, 5, 1, 0));
    x = maxPool(x);
    x = g.node("Flatten", g.fresh("flat"), Map.of("axis", 1L), x);
    // the java engine's Flatten is module 8; Linear, ReLU pairs follow from 9
    int idx = 9;
    while (true) {
      boolean last = !src.state().containsKey((idx + 2) + ".weight");
      x = gemm(String.valueOf(idx), x, last ? OUTPUT : null);
      if (last) {
        return x;
      }
      x = relu(x);
      idx += 2;
    }
  }

  private String resnet(String x) {
    x = relu(conv("0", "1", x, 3, 1, 1));
    int idx = 3;
    for (int stage = 0; stage < 4; stage++) {
      for (int j = 0; j < 2; j++, idx++) {
        String p = idx + ".";
        int stride = stage > 0 && j == 0 ? 2 : 1;
        String a = relu(conv(p + "main.0", p + "main.1", x, 3, stride, 1));
        a = activation(conv(p + "main.3", p + "main.4", a, 3, 1, 1));
        String b = src.state().containsKey(p + "shortcut.0.weight")
            ? activation(conv(p + "shortcut.0", p + "shortcut.1", x, 1, stride, 0)) : x;
        x = relu(g.node("Add", g.fresh("sum" + idx), Map.of(), a, b));
      }
    }
    x = g.node("GlobalAveragePool", g.fresh("pooled"), Map.of(), x);
    x = g.node("Flatten", g.fresh("features"), Map.of("axis", 1L), x);
    return gemm(String.valueOf(idx + 1), x, OUTPUT);
  }

  /** ReLU; quantised, its output goes through a Q/DQ pair (ORT then fuses Relu into Q). */
  private String relu(String x) {
    return activation(g.node("Relu", g.fresh("relu"), Map.of(), x));
  }

  private String maxPool(String x) {
    return g.node("MaxPool", g.fresh("pool"), Map.of("kernel_shape", new long[] {2, 2},
        "strides", new long[] {2, 2}), x);
  }

  private float[] get(String name) {
    float[] v = src.state().get(name);
    if (v == null) {
      throw new IllegalArgumentException("ONNX export of " + src.arch() + ": the model state "
          + "has no '" + name + "' (a different architecture?)");
    }
    return v;
  }

  /** A convolution with the batch norm {@code bn} folded in. */
  private String conv(String p, String bn, String x, int k, int stride, int pad) {
    float[] w = get(p + ".weight");
    float[] gamma = get(bn + ".weight");
    float[] beta = get(bn + ".bias");
    float[] mean = get(bn + ".running_mean");
    float[] var = get(bn + ".running_var");
    float[] bias = src.state().get(p + ".bias");
    int out = gamma.length;
    int per = w.length / out;
    if (per * out != w.length || per % (k * k) != 0) {
      throw new IllegalArgumentException("ONNX export: " + p + ".weight has " + w.length
          + " values, not " + out + " x cin x " + k + " x " + k);
    }
    float[] fw = new float[w.length];
    float[] fb = new float[out];
    for (int o = 0; o < out; o++) {
      double s = gamma[o] / Math.sqrt(var[o] + BN_EPS);
      for (int i = 0; i < per; i++) {
        fw[o * per + i] = (float) (w[o * per + i] * s);
      }
      fb[o] = (float) (((bias == null ? 0 : bias[o]) - mean[o]) * s + beta[o]);
    }
    String in = activation(x);
    Quant.PerChannel q = ranges == null ? null : Quant.perChannel(fw, new long[] {out, per}, 0);
    String wName = weight(p, fw, q, 0, out, per / (k * k), k, k);
    return g.node("Conv", g.fresh("conv" + p.replace('.', '_')), Map.of(
            "kernel_shape", new long[] {k, k}, "strides", new long[] {stride, stride},
            "pads", new long[] {pad, pad, pad, pad}),
        in, wName, bias(p, fb, in, q));
  }

  /** Y = X W + b with the java engine's (in, out) weight. */
  private String gemm(String p, String x, String output) {
    float[] w = get(p + ".weight");
    float[] b = get(p + ".bias");
    int out = b.length;
    int in = w.length / out;
    String a = activation(x);
    Quant.PerChannel q = ranges == null ? null : Quant.perChannel(w, new long[] {in, out}, 1);
    String wName = weight(p, w.clone(), q, 1, in, out);
    return g.node("Gemm", output != null ? output : g.fresh("fc" + p), Map.of(), a,
        wName, bias(p, b.clone(), a, q));
  }

  /**
   * The bias: float, or (quantised) int32 with scale input scale x weight scale per channel
   * and zero point 0 behind a DequantizeLinear, the QDQ form ONNX Runtime fuses with the
   * Conv/Gemm into one integer kernel.
   */
  private String bias(String p, float[] b, String input, Quant.PerChannel q) {
    if (q == null) {
      return g.floats(p + ".bias", b, b.length);
    }
    float sIn = inputScale.get(input);
    float[] scale = new float[b.length];
    int[] v = new int[b.length];
    for (int c = 0; c < b.length; c++) {
      scale[c] = sIn * q.scales()[c];
      v[c] = (int) Math.max(Integer.MIN_VALUE + 1, Math.min(Integer.MAX_VALUE,
          Math.round((double) b[c] / scale[c])));
    }
    return g.node("DequantizeLinear", p + ".bias_dq", Map.of("axis", 0L),
        g.int32s(p + ".bias_int32", v, b.length), g.floats(p + ".bias_scale", scale, b.length),
        g.int32s(p + ".bias_zero", new int[b.length], b.length));
  }

  /** The weight initializer: float, or int8 per channel along {@code axis} behind a DQ. */
  private String weight(String p, float[] w, Quant.PerChannel q, int axis, long... dims) {
    if (q == null) {
      return g.floats(p + ".weight", w, dims);
    }
    int channels = q.scales().length;
    String dq = g.node("DequantizeLinear", p + ".weight_dq", Map.of("axis", (long) axis),
        g.int8s(p + ".weight_int8", q.values(), dims),
        g.floats(p + ".weight_scale", q.scales(), channels),
        g.int8s(p + ".weight_zero", new byte[channels], channels));
    return dq;
  }

  /**
   * An activation: a calibration tap, and behind a Q/DQ pair when quantising. Every Conv and
   * Gemm input, ReLU output and residual-Add input is one, so that ONNX Runtime finds each
   * Conv, Gemm, Add and MaxPool between a DequantizeLinear and a QuantizeLinear and runs it as
   * an integer kernel.
   */
  private String activation(String x) {
    if (dequantized.containsValue(x)) {
      return x; // already the output of a Q/DQ pair
    }
    if (!taps.contains(x)) {
      taps.add(x);
    }
    if (ranges == null) {
      return x;
    }
    String done = dequantized.get(x);
    if (done != null) {
      return done;
    }
    float[] r = ranges.get(x);
    if (r == null) {
      throw new IllegalStateException("no calibrated range for " + x);
    }
    Quant.Affine a = Quant.affine(r[0], r[1]);
    String scale = g.floats(x + "_scale", new float[] {a.scale()});
    String zero = g.uint8s(x + "_zero", new byte[] {(byte) a.zeroPoint()});
    String q = g.node("QuantizeLinear", x + "_q", Map.of(), x, scale, zero);
    String dq = g.node("DequantizeLinear", x + "_dq", Map.of(), q, scale, zero);
    dequantized.put(x, dq);
    inputScale.put(dq, a.scale());
    return dq;
  }
}
