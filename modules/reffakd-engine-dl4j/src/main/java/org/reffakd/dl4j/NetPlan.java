package org.reffakd.dl4j;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * The Deeplearning4j form of each architecture: a {@link ComputationGraphConfiguration} whose
 * layers are named after the java engine's modules ("0", "3.main.1", "encoder.2"), plus the
 * {@link Binding}s from state names to DL4J parameters, in the java engine's parameter order.
 *
 * <p>Every network ends in a plain layer (no loss): training back-propagates an external
 * gradient with {@code ComputationGraph.backpropGradient}; the optimizer step is done by
 * {@link Dl4jModel}, not by DL4J's updater (set to NoOp). Weight initialisation here is a
 * placeholder: the java engine's initial weights are loaded over it.
 */
final class NetPlan {

  static final String INPUT = "input";
  /** DL4J's decay of the running statistics: 1 - PyTorch's momentum 0.1. */
  static final double BN_DECAY = 0.9;
  static final double BN_EPS = 1e-5;

  final String arch;
  final int channels;
  final int side;
  final List<Binding> bindings = new ArrayList<>();
  private final ComputationGraphConfiguration.GraphBuilder g;
  String output;
  /** The autoencoder's encoder output layer (its embedding); null for classifiers. */
  String embedding;

  private NetPlan(String arch, int channels, int side, long seed) {
    this.arch = arch;
    this.channels = channels;
    this.side = side;
    ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder()
        .seed(seed)
        .dataType(DataType.FLOAT)
        .updater(new NoOp())
        .weightInit(WeightInit.XAVIER)
        .convolutionMode(ConvolutionMode.Truncate)
        // external-gradient backprop needs the layer inputs of the last training forward to
        // stay alive between forward() and backward(): no training workspaces
        .trainingWorkspaceMode(WorkspaceMode.NONE)
        .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
        .graphBuilder()
        .addInputs(INPUT);
    if (side > 0) {
      // the CnnToFeedForward preprocessors of the classifiers come from the input type
      b.setInputTypes(InputType.convolutional(side, side, channels));
    }
    this.g = b;
  }

  ComputationGraphConfiguration build() {
    return g.setOutputs(output).build();
  }

  /** The classifier of that architecture; throws for unknown ones. */
  static NetPlan classifier(String arch, int channels, int side, int classes, long seed) {
    NetPlan p = new NetPlan(arch, channels, side, seed);
    switch (arch) {
      case "lenet5bn" -> p.lenet(new int[] {6, 16}, new int[] {120, 84}, classes);
      case "lenet5bn-wide" -> p.lenet(new int[] {32, 64}, new int[] {256}, classes);
      case "resnet18" -> p.resnet(64, classes);
      case "resnet18-w16" -> p.resnet(16, classes);
      default -> throw new IllegalArgumentException("unknown architecture '" + arch
          + "' (known: " + String.join(", ", Dl4jBackend.ARCHITECTURES) + ")");
    }
    return p;
  }

  /** The ReffAKD autoencoder (METHOD.md section 1). */
  static NetPlan autoencoder(int channels, long seed) {
    NetPlan p = new NetPlan("autoencoder", channels, 0, seed); // fully convolutional: any size
    int[] enc = {channels, 12, 24, 48};
    String in = INPUT;
    for (int i = 0; i < 3; i++) {
      String name = "encoder." + (2 * i);
      p.g.addLayer(name, new ConvolutionLayer.Builder(4, 4).stride(2, 2).padding(1, 1)
          .nIn(enc[i]).nOut(enc[i + 1]).hasBias(true).activation(Activation.RELU).build(), in);
      p.bindConv(name, enc[i + 1], enc[i], 4, true);
      in = name;
    }
    p.embedding = in;
    for (int i = 0; i < 3; i++) {
      String name = "decoder." + (2 * i);
      int cin = enc[3 - i];
      int cout = enc[2 - i];
      p.g.addLayer(name, new Deconvolution2D.Builder(4, 4).stride(2, 2).padding(1, 1)
          .nIn(cin).nOut(cout).hasBias(true)
          .activation(i == 2 ? Activation.SIGMOID : Activation.RELU).build(), in);
      // DeconvolutionParamInitializer: W viewed 'c' as (nIn, nOut, kH, kW), PyTorch's layout
      p.bindings.add(new Binding(name + ".weight", name, "W", Binding.Kind.PARAM,
          new long[] {cin, cout, 4, 4}));
      p.bindings.add(new Binding(name + ".bias", name, "b", Binding.Kind.PARAM,
          new long[] {cout}));
      in = name;
    }
    p.output = in;
    return p;
  }

  private void lenet(int[] convs, int[] hidden, int classes) {
    int s = ((side - 4) / 2 - 4) / 2;
    if (s < 1) {
      throw new IllegalArgumentException(arch + " needs images of at least 16x16, got " + side);
    }
    String in = INPUT;
    int c = channels;
    int idx = 0;
    for (int conv : convs) {
      in = conv(String.valueOf(idx), in, c, conv, 5, 1, 0, true);
      in = bn(String.valueOf(idx + 1), in, conv);
      in = relu(String.valueOf(idx + 2), in);
      String pool = String.valueOf(idx + 3);
      g.addLayer(pool, new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2)
          .stride(2, 2).build(), in);
      in = pool;
      c = conv;
      idx += 4;
    }
    idx++; // the java engine's Flatten: DL4J's CnnToFeedForwardPreProcessor (c, y, x order)
    int f = c * s * s;
    for (int h : hidden) {
      in = dense(String.valueOf(idx), in, f, h, Activation.RELU); // its ReLU is module idx+1
      f = h;
      idx += 2;
    }
    output = dense(String.valueOf(idx), in, f, classes, Activation.IDENTITY);
  }

  private void resnet(int width, int classes) {
    String in = conv("0", INPUT, channels, width, 3, 1, 1, false);
    in = bn("1", in, width);
    in = relu("2", in);
    int c = width;
    int idx = 3;
    int[] widths = {width, 2 * width, 4 * width, 8 * width};
    for (int st = 0; st < 4; st++) {
      in = block(String.valueOf(idx++), in, c, widths[st], st == 0 ? 1 : 2);
      in = block(String.valueOf(idx++), in, widths[st], widths[st], 1);
      c = widths[st];
    }
    String pool = String.valueOf(idx++);
    g.addLayer(pool, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), in);
    output = dense(String.valueOf(idx), pool, c, classes, Activation.IDENTITY);
  }

  private String block(String p, String in, int cin, int cout, int stride) {
    String a = conv(p + ".main.0", in, cin, cout, 3, stride, 1, false);
    a = bn(p + ".main.1", a, cout);
    a = relu(p + ".main.2", a);
    a = conv(p + ".main.3", a, cout, cout, 3, 1, 1, false);
    a = bn(p + ".main.4", a, cout);
    String b = in;
    if (stride != 1 || cin != cout) {
      b = conv(p + ".shortcut.0", in, cin, cout, 1, stride, 0, false);
      b = bn(p + ".shortcut.1", b, cout);
    }
    g.addVertex(p + ".add", new ElementWiseVertex(ElementWiseVertex.Op.Add), a, b);
    return relu(p + ".relu", p + ".add");
  }

  private String conv(String name, String in, int cin, int cout, int k, int stride, int pad,
                      boolean bias) {
    g.addLayer(name, new ConvolutionLayer.Builder(k, k).stride(stride, stride)
        .padding(pad, pad).nIn(cin).nOut(cout).hasBias(bias).activation(Activation.IDENTITY)
        .build(), in);
    bindConv(name, cout, cin, k, bias);
    return name;
  }

  private void bindConv(String name, int cout, int cin, int k, boolean bias) {
    bindings.add(new Binding(name + ".weight", name, "W", Binding.Kind.PARAM,
        new long[] {cout, cin, k, k}));
    if (bias) {
      bindings.add(new Binding(name + ".bias", name, "b", Binding.Kind.PARAM,
          new long[] {cout}));
    }
  }

  private String bn(String name, String in, int c) {
    g.addLayer(name, new BatchNormalization.Builder().nIn(c).nOut(c).decay(BN_DECAY)
        .eps(BN_EPS).useLogStd(false).build(), in);
    bindings.add(new Binding(name + ".weight", name, "gamma", Binding.Kind.PARAM,
        new long[] {c}));
    bindings.add(new Binding(name + ".bias", name, "beta", Binding.Kind.PARAM,
        new long[] {c}));
    bindings.add(new Binding(name + ".running_mean", name, "mean",
        Binding.Kind.RUNNING_MEAN, new long[] {c}));
    bindings.add(new Binding(name + ".running_var", name, "var", Binding.Kind.RUNNING_VAR,
        new long[] {c}));
    return name;
  }

  private String relu(String name, String in) {
    g.addLayer(name, new ActivationLayer.Builder().activation(Activation.RELU).build(), in);
    return name;
  }

  private String dense(String name, String in, int nin, int nout, Activation act) {
    g.addLayer(name, new DenseLayer.Builder().nIn(nin).nOut(nout).hasBias(true)
        .activation(act).build(), in);
    bindings.add(new Binding(name + ".weight", name, "W", Binding.Kind.PARAM,
        new long[] {nin, nout}));
    bindings.add(new Binding(name + ".bias", name, "b", Binding.Kind.PARAM,
        new long[] {nout}));
    return name;
  }
}
