package org.reffakd.dl4j;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.reffakd.backend.Classifier;
import org.reffakd.backend.ImageBatch;
import org.reffakd.backend.ModelFiles;

/**
 * Reads a Deeplearning4j model zip as a {@link Classifier} (for {@code --teacher FILE.zip}).
 * The file is read once through {@link ModelFiles#readZip} (bounded: entry count, sizes,
 * compression ratio; Java-serialized entries of allowed classes only) and DL4J restores the
 * network from those bytes.
 *
 * <p>A zip {@link Dl4jExport} wrote (it has the {@value Dl4jExport#SIDECAR} entry) becomes a
 * full {@link Dl4jClassifier} of its architecture with the zip's weights: trainable, with the
 * java engine's state names. Any other {@code ComputationGraph} zip with one NCHW image
 * input and one dense/output layer output becomes an evaluation-only classifier (classes from
 * that layer's nOut; the caller must know the input size it expects); when the output activation
 * is softmax, {@code forward} returns log-probabilities, which are logits up to a per-image
 * constant (so softmax with any temperature gives the same distribution).
 */
public final class Dl4jImport {

  private Dl4jImport() {}

  /** What the sidecar of an exported zip says, or null for a zip without one. */
  public record Sidecar(String arch, int channels, int side, int classes, float[] mean,
                        float[] std) {}

  public static Sidecar sidecar(File zip) throws IOException {
    return sidecar(ModelFiles.readZip(zip.toPath()));
  }

  /** The sidecar of a zip's bytes already checked by {@link ModelFiles#readZip}. */
  static Sidecar sidecar(byte[] zip) throws IOException {
    try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
        if (e.getName().equals(Dl4jExport.SIDECAR)) {
          JsonNode j = new ObjectMapper().readTree(z);
          return new Sidecar(j.get("arch").asText(), j.get("channels").asInt(),
              j.get("side").asInt(), j.get("classes").asInt(), floats(j.get("mean")),
              floats(j.get("std")));
        }
      }
      return null;
    }
  }

  private static float[] floats(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    float[] f = new float[n.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) n.get(i).asDouble();
    }
    return f;
  }

  /** The classifier in the zip; see the class comment for which zips are understood. */
  public static Classifier read(File zip) throws IOException {
    // read once, bounded and checked (ModelFiles); DL4J reads these bytes, not the file
    byte[] bytes = ModelFiles.readZip(zip.toPath());
    Sidecar s = sidecar(bytes);
    ComputationGraph g = restore(zip, bytes);
    if (s != null) {
      NetPlan plan = NetPlan.classifier(s.arch(), s.channels(), s.side(), s.classes(), 0);
      Map<String, float[]> state = new LinkedHashMap<>();
      for (Binding b : plan.bindings) {
        INDArray v = g.getLayer(b.layer()).getParam(b.key());
        if (v == null || v.length() != b.length()) {
          throw new IOException(zip + ": no " + b.layer() + "_" + b.key() + " of "
              + b.length() + " values for " + b.name());
        }
        state.put(b.name(), Arrays4j.rowMajor(v));
      }
      g.close();
      return new Dl4jClassifier(plan, s.classes(), state);
    }
    return new Foreign(g, zip.getName());
  }

  /**
   * The zip's network as a ComputationGraph: a ComputationGraph zip as it is, a
   * MultiLayerNetwork zip (what most DL4J programs save) converted.
   */
  static ComputationGraph restore(File zip) throws IOException {
    return restore(zip, ModelFiles.readZip(zip.toPath()));
  }

  private static ComputationGraph restore(File zip, byte[] bytes) throws IOException {
    try {
      return ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes), false);
    } catch (RuntimeException | IOException asGraph) {
      try {
        return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes), false)
            .toComputationGraph();
      } catch (RuntimeException | IOException asNetwork) {
        throw new IOException(zip + ": neither a ComputationGraph nor a MultiLayerNetwork zip "
            + "(" + asGraph.getMessage() + "; " + asNetwork.getMessage() + ")", asGraph);
      }
    }
  }

  /** An evaluation-only classifier around any single-input, single-output CNN graph. */
  static final class Foreign implements Classifier {

    private final ComputationGraph g;
    private final int classes;
    private final boolean softmax;
    private final String name;

    Foreign(ComputationGraph g, String name) throws IOException {
      this.g = g;
      this.name = name;
      if (g.getConfiguration().getNetworkInputs().size() != 1
          || g.getConfiguration().getNetworkOutputs().size() != 1) {
        throw new IOException(name + ": a teacher needs one input and one output, the graph "
            + "has " + g.getConfiguration().getNetworkInputs() + " -> "
            + g.getConfiguration().getNetworkOutputs());
      }
      GraphVertex out = g.getVertex(g.getConfiguration().getNetworkOutputs().get(0));
      Layer conf = out.hasLayer() ? out.getLayer().conf().getLayer() : null;
      if (!(conf instanceof FeedForwardLayer ff)) {
        throw new IOException(name + ": the output is not a dense/output layer");
      }
      this.classes = Math.toIntExact(ff.getNOut());
      this.softmax = ff.getActivationFn() instanceof ActivationSoftmax;
    }

    @Override
    public String arch() {
      return "dl4j:" + name;
    }

    @Override
    public int classes() {
      return classes;
    }

    @Override
    public float[] forward(ImageBatch x, boolean training) {
      if (training) {
        throw new UnsupportedOperationException(name + " is a foreign DL4J model: evaluation"
            + " only (a teacher)");
      }
      INDArray out = g.output(false, Arrays4j.nchw(x))[0];
      if (softmax) {
        out = Transforms.log(Transforms.max(out, 1e-30, true), false);
      }
      return Arrays4j.rowMajor(out);
    }

    @Override
    public void backward(float[] logitsGradient) {
      throw new UnsupportedOperationException(name + ": evaluation only");
    }

    @Override
    public String engine() {
      return Dl4jBackend.NAME;
    }

    @Override
    public Map<String, float[]> parameters() {
      Map<String, float[]> m = new LinkedHashMap<>();
      g.paramTable().forEach((k, v) -> m.put(k, Arrays4j.rowMajor(v)));
      return m;
    }

    @Override
    public Map<String, float[]> state() {
      return parameters();
    }

    @Override
    public void load(Map<String, float[]> state, String what) {
      throw new UnsupportedOperationException(name + ": evaluation only");
    }

    @Override
    public void sgd(double momentum, double weightDecay) {
      throw new UnsupportedOperationException(name + ": evaluation only");
    }

    @Override
    public void step(double lr) {
      throw new UnsupportedOperationException(name + ": evaluation only");
    }

    @Override
    public long parameterCount() {
      return g.numParams();
    }

    @Override
    public long macsPerImage(int channels, int side) {
      return 0; // unknown for a foreign graph
    }

    @Override
    public void close() {
      g.close();
    }
  }
}
