package org.reffakd.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX classifier in ONNX Runtime (CPU): one image input [N, C, H, W], logits out. Used by
 * the int8 exporter's figures, {@code reffakd predict} and the tests. Not thread-safe.
 */
public final class OnnxModel implements AutoCloseable {

  /**
   * Largest model file read (1 GiB): an .onnx file named by a user is untrusted input, so its
   * size is bounded before it is read into memory; ResNet-18 is 45 MB.
   */
  public static final long MAX_BYTES = 1L << 30;

  private final OrtSession session;
  private final String input;
  private final String source;
  private final long[] shape;
  private final Map<String, String> metadata;

  private OnnxModel(byte[] bytes, String source, int threads) {
    this.source = source;
    try {
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
        o.setIntraOpNumThreads(Math.max(1, threads));
        o.setInterOpNumThreads(1);
        session = env.createSession(bytes, o);
      }
      if (session.getInputNames().size() != 1) {
        throw new IllegalArgumentException(source + ": the model has "
            + session.getInputNames().size() + " inputs, an image classifier has one");
      }
      input = session.getInputNames().iterator().next();
      NodeInfo info = session.getInputInfo().get(input);
      if (!(info.getInfo() instanceof TensorInfo t) || t.getShape().length != 4) {
        throw new IllegalArgumentException(source + ": the model's input " + input
            + " is not an image tensor [N, C, H, W]");
      }
      shape = t.getShape();
      metadata = new LinkedHashMap<>(session.getMetadata().getCustomMetadata());
    } catch (OrtException e) {
      throw new IllegalArgumentException(source + ": ONNX Runtime cannot load it ("
          + firstLine(e.getMessage()) + ")", e);
    }
  }

  /** A model file, its size checked against {@link #MAX_BYTES} before it is read. */
  public static OnnxModel open(Path file, int threads) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(file + ": no such file");
    }
    long size = Files.size(file);
    if (size > MAX_BYTES) {
      throw new IllegalArgumentException(file + ": " + size + " bytes, more than the "
          + MAX_BYTES + " an ONNX model here may have");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes((int) MAX_BYTES + 1);
    }
    if (bytes.length > MAX_BYTES) {
      throw new IllegalArgumentException(file + ": grew past " + MAX_BYTES + " bytes while read");
    }
    selfContained(bytes, file.toString());
    return new OnnxModel(bytes, file.toString(), threads);
  }

  /**
   * Refuses a model file that is not self-contained: a tensor whose data lives in another file
   * (ONNX external data: {@code external_data}, {@code data_location = EXTERNAL}) would make
   * ONNX Runtime read a path the file names, and sparse tensors and model-local functions (which
   * these classifiers never use) could hide such tensors from this check.
   */
  static void selfContained(byte[] bytes, String source) {
    org.reffakd.onnx.proto.Onnx.ModelProto m;
    try {
      m = org.reffakd.onnx.proto.Onnx.ModelProto.parseFrom(bytes);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(source + ": not an ONNX model (" + e.getMessage() + ")");
    }
    if (m.getUnknownFields().hasField(25)) {
      throw new IllegalArgumentException(source + ": model-local functions are not read here");
    }
    graph(m.getGraph(), source);
  }

  private static void graph(org.reffakd.onnx.proto.Onnx.GraphProto g, String source) {
    if (g.getUnknownFields().hasField(15)) {
      throw new IllegalArgumentException(source + ": sparse initializers are not read here");
    }
    for (var t : g.getInitializerList()) {
      tensor(t, source);
    }
    for (var n : g.getNodeList()) {
      for (var a : n.getAttributeList()) {
        if (a.getUnknownFields().hasField(22) || a.getUnknownFields().hasField(23)) {
          throw new IllegalArgumentException(source + ": sparse tensor attributes are not read"
              + " here");
        }
        if (a.hasT()) {
          tensor(a.getT(), source);
        }
        for (var t : a.getTensorsList()) {
          tensor(t, source);
        }
        if (a.hasG()) {
          graph(a.getG(), source);
        }
        for (var sub : a.getGraphsList()) {
          graph(sub, source);
        }
      }
    }
  }

  private static void tensor(org.reffakd.onnx.proto.Onnx.TensorProto t, String source) {
    var unknown = t.getUnknownFields();
    boolean external = unknown.hasField(13) || (unknown.hasField(14)
        && unknown.getField(14).getVarintList().stream().anyMatch(v -> v != 0));
    if (external) {
      throw new IllegalArgumentException(source + ": tensor '" + t.getName() + "' keeps its data"
          + " in another file (ONNX external data); only self-contained models are read");
    }
  }

  /** A model already in memory (an exporter's own output). */
  public static OnnxModel of(byte[] bytes, String name, int threads) {
    return new OnnxModel(bytes, name, threads);
  }

  /** Input channels, or -1 when the model leaves them open. */
  public int channels() {
    return (int) shape[1];
  }

  /** Input height (= width for these models), or -1 when open. */
  public int side() {
    return (int) shape[2];
  }

  /** The metadata_props. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** The class names the exporter wrote, or an empty list when the file has none. */
  public List<String> classNames() {
    return ModelMeta.classNames(metadata.get(ModelMeta.CLASS_NAMES));
  }

  /** Logits of n images (NCHW pixels as the model's input takes them), row-major. */
  public float[] logits(float[] pixels, int n) {
    return run(pixels, n, List.of()).get(0);
  }

  /** The first output, then each of {@code extra} outputs, flat. */
  List<float[]> run(float[] pixels, int n, List<String> extra) {
    long[] s = {n, shape[1], shape[2], shape[3]};
    long need = (long) n * s[1] * s[2] * s[3];
    if (s[1] < 1 || s[2] < 1 || need > pixels.length) {
      throw new IllegalArgumentException(source + ": " + n + " images of shape "
          + Arrays.toString(shape) + " need " + need + " values, got " + pixels.length);
    }
    try (OnnxTensor t = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(),
        FloatBuffer.wrap(pixels, 0, (int) need), s)) {
      List<String> names = new java.util.ArrayList<>();
      names.add(session.getOutputNames().iterator().next());
      names.addAll(extra);
      try (OrtSession.Result r = session.run(Map.of(input, t), new java.util.LinkedHashSet<>(
          names))) {
        List<float[]> out = new java.util.ArrayList<>();
        for (String name : names) {
          OnnxTensor o = (OnnxTensor) r.get(name).orElseThrow();
          FloatBuffer fb = o.getFloatBuffer();
          float[] a = new float[fb.remaining()];
          fb.get(a);
          out.add(a);
        }
        return out;
      }
    } catch (OrtException e) {
      throw new IllegalArgumentException(source + ": ONNX Runtime failed to run it ("
          + firstLine(e.getMessage()) + ")", e);
    }
  }

  /** Top-1 accuracy on labelled images, in batches of 256. */
  public double accuracy(float[] pixels, int[] labels, int n) {
    int per = (int) (shape[1] * shape[2] * shape[3]);
    long hits = 0;
    for (int from = 0; from < n; from += 256) {
      int m = Math.min(256, n - from);
      float[] z = logits(Arrays.copyOfRange(pixels, from * per, (from + m) * per), m);
      int k = z.length / m;
      for (int i = 0; i < m; i++) {
        hits += argmax(z, i * k, k) == labels[from + i] ? 1 : 0;
      }
    }
    return n == 0 ? Double.NaN : (double) hits / n;
  }

  public static int argmax(float[] z, int off, int k) {
    int best = 0;
    for (int j = 1; j < k; j++) {
      if (z[off + j] > z[off + best]) {
        best = j;
      }
    }
    return best;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "no message";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      // closing a session releases native memory; nothing to recover
    }
  }
}
