package org.reffakd.dl4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.reffakd.backend.Trainable;

/**
 * What the DL4J classifier and autoencoder share: a {@link ComputationGraph} built from a
 * {@link NetPlan}, its arrays by state name, external-gradient backprop, and an SGD step done
 * here with torch.optim.SGD's formula (g += wd * w; v = mu * v + g; w -= lr * v) on DL4J's
 * parameter views, so both backends take the same step.
 *
 * <p>Batch-norm running statistics: DL4J updates them during backprop (as a "gradient" its
 * updater subtracts) with the biased batch variance; here that update is applied at
 * {@code backward} time, corrected to PyTorch's unbiased variance (m / (m - 1), m = n*h*w),
 * so running_mean/running_var follow the java engine exactly. Unlike the java engine, a
 * training forward that is never followed by a backward leaves them unchanged.
 */
abstract class Dl4jModel implements Trainable {

  final NetPlan plan;
  final ComputationGraph net;
  private final List<Binding> bindings;
  private final INDArray[] views;
  private final INDArray[] acc;
  private INDArray[] velocity;
  private boolean sgdSet;
  private double momentum;
  private double weightDecay;
  /** n*h*w of each batch-norm layer in the last training forward. */
  private final Map<String, Long> bnCount = new HashMap<>();
  private final Map<String, Long> macs = new HashMap<>();
  private final List<ConvHelper> convHelpers = new ArrayList<>();

  Dl4jModel(NetPlan plan, Map<String, float[]> initial) {
    this.plan = plan;
    Dl4jBackend.defaultOpenMpThreads();
    this.net = new ComputationGraph(plan.build());
    net.init();
    for (org.deeplearning4j.nn.api.Layer l : net.getLayers()) {
      if (l.getClass() == ConvolutionLayer.class && Dl4jBackend.helpersAllowed()) {
        String name = l.conf().getLayer().getLayerName();
        boolean first = net.getConfiguration().getVertexInputs().get(name)
            .contains(NetPlan.INPUT);
        convHelpers.add(ConvHelper.install((ConvolutionLayer) l, first));
      }
    }
    this.bindings = List.copyOf(plan.bindings);
    this.views = new INDArray[bindings.size()];
    this.acc = new INDArray[bindings.size()];
    for (int i = 0; i < views.length; i++) {
      Binding b = bindings.get(i);
      INDArray v = net.getLayer(b.layer()).getParam(b.key());
      if (v == null || v.length() != b.length()) {
        throw new IllegalStateException("DL4J layer " + b.layer() + " param " + b.key()
            + (v == null ? " missing" : " has " + v.length() + " values, " + b.name()
            + " needs " + b.length()));
      }
      views[i] = v;
      if (b.trainable()) {
        acc[i] = Nd4j.create(DataType.FLOAT, v.shape(), v.ordering());
      }
    }
    load(initial, "the java engine's initialisation");
  }

  @Override
  public String engine() {
    return Dl4jBackend.NAME;
  }

  /** The underlying DL4J network (its parameters are this model's). */
  public ComputationGraph graph() {
    return net;
  }

  @Override
  public Map<String, float[]> parameters() {
    Map<String, float[]> m = new LinkedHashMap<>();
    for (int i = 0; i < views.length; i++) {
      if (bindings.get(i).trainable()) {
        m.put(bindings.get(i).name(), Arrays4j.rowMajor(views[i]));
      }
    }
    return m;
  }

  @Override
  public Map<String, float[]> state() {
    // the java engine's order: parameters, buffers, momentum buffers
    Map<String, float[]> m = parameters();
    for (int i = 0; i < views.length; i++) {
      if (!bindings.get(i).trainable()) {
        m.put(bindings.get(i).name(), Arrays4j.rowMajor(views[i]));
      }
    }
    if (velocity != null) {
      for (int i = 0; i < views.length; i++) {
        if (velocity[i] != null) {
          m.put("momentum." + bindings.get(i).name(), Arrays4j.rowMajor(velocity[i]));
        }
      }
    }
    return m;
  }

  @Override
  public void load(Map<String, float[]> state, String what) {
    int used = 0;
    for (int i = 0; i < views.length; i++) {
      Binding b = bindings.get(i);
      float[] v = state.get(b.name());
      if (v == null || v.length != b.length()) {
        throw new IllegalArgumentException(what + ": " + b.name() + (v == null ? " is missing"
            : " has " + v.length + " values, " + plan.arch + " needs " + b.length()));
      }
      used++;
    }
    boolean momenta = false;
    for (String k : state.keySet()) {
      if (k.startsWith("momentum.")) {
        String p = k.substring("momentum.".length());
        int i = indexOf(p);
        if (i < 0 || !bindings.get(i).trainable()) {
          throw new IllegalArgumentException(what + ": " + k + " names no parameter of "
              + plan.arch);
        }
        if (state.get(k).length != bindings.get(i).length()) {
          throw new IllegalArgumentException(what + ": " + k + " has " + state.get(k).length
              + " values, needs " + bindings.get(i).length());
        }
        momenta = true;
        used++;
      }
    }
    if (used != state.size()) {
      for (String k : state.keySet()) {
        if (!k.startsWith("momentum.") && indexOf(k) < 0) {
          throw new IllegalArgumentException(what + ": " + k + " is not an array of "
              + plan.arch);
        }
      }
    }
    forgetForward();
    for (int i = 0; i < views.length; i++) {
      views[i].assign(Arrays4j.shaped(state.get(bindings.get(i).name()), views[i]));
      if (acc[i] != null) {
        acc[i].assign(0);
      }
    }
    if (momenta) {
      ensureVelocity();
      for (int i = 0; i < views.length; i++) {
        if (velocity[i] != null) {
          float[] v = state.get("momentum." + bindings.get(i).name());
          if (v != null) {
            velocity[i].assign(Arrays4j.shaped(v, velocity[i]));
          } else {
            velocity[i].assign(0);
          }
        }
      }
    } else if (velocity != null) {
      for (INDArray v : velocity) {
        if (v != null) {
          v.assign(0);
        }
      }
    }
  }

  private int indexOf(String name) {
    for (int i = 0; i < bindings.size(); i++) {
      if (bindings.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private void ensureVelocity() {
    if (velocity == null) {
      velocity = new INDArray[views.length];
      for (int i = 0; i < views.length; i++) {
        if (bindings.get(i).trainable()) {
          velocity[i] = Nd4j.create(DataType.FLOAT, views[i].shape(), views[i].ordering());
        }
      }
    }
  }

  @Override
  public void sgd(double momentum, double weightDecay) {
    this.momentum = momentum;
    this.weightDecay = weightDecay;
    this.sgdSet = true;
    ensureVelocity();
  }

  @Override
  public void step(double lr) {
    if (!sgdSet) {
      throw new IllegalStateException("call sgd(momentum, weightDecay) before step");
    }
    forgetForward();
    for (int i = 0; i < views.length; i++) {
      if (acc[i] == null) {
        continue;
      }
      INDArray w = views[i];
      INDArray g = acc[i];
      if (weightDecay != 0) {
        g.addi(w.mul(weightDecay));
      }
      INDArray v = velocity[i];
      v.muli(momentum).addi(g);
      w.subi(v.mul(lr));
      g.assign(0);
    }
  }

  /** Drops the convolution outputs kept from a training forward for its backward. */
  void forgetForward() {
    for (ConvHelper h : convHelpers) {
      h.forget();
    }
  }

  /** Remembers n*h*w at each batch-norm layer of a training forward's activations. */
  void recordForward(Map<String, INDArray> activations) {
    bnCount.clear();
    for (Binding b : bindings) {
      if (b.kind() == Binding.Kind.RUNNING_MEAN) {
        INDArray a = activations.get(b.layer());
        bnCount.put(b.layer(), a.length() / a.size(1));
      }
    }
  }

  /**
   * Back-propagates an external gradient at the network's output (after a training forward);
   * adds the parameter gradients to the accumulators and updates the running statistics.
   */
  void backpropagate(INDArray epsilon) {
    Gradient gr = net.backpropGradient(epsilon);
    forgetForward();
    double d = NetPlan.BN_DECAY;
    for (int i = 0; i < views.length; i++) {
      Binding b = bindings.get(i);
      INDArray g = gr.getGradientFor(b.layer() + "_" + b.key());
      if (g == null) {
        throw new IllegalStateException("no gradient for " + b.layer() + "_" + b.key());
      }
      switch (b.kind()) {
        case PARAM -> acc[i].addi(g.reshape(acc[i].ordering(), acc[i].shape()));
        // DL4J: g = (1 - d) * (running - batchMean): running - g is PyTorch's update
        case RUNNING_MEAN -> views[i].subi(g.reshape(views[i].shape()));
        case RUNNING_VAR -> {
          // DL4J: g = (1 - d) * (running - biasedBatchVar); PyTorch uses the unbiased one
          long m = bnCount.getOrDefault(b.layer(), 0L);
          double corr = m > 1 ? (double) m / (m - 1) : 1.0;
          INDArray biased = views[i].sub(g.reshape(views[i].shape()).div(1 - d));
          views[i].muli(d).addi(biased.muli((1 - d) * corr));
        }
        default -> throw new IllegalStateException();
      }
    }
  }

  @Override
  public long parameterCount() {
    long n = 0;
    for (Binding b : bindings) {
      if (b.trainable()) {
        n += b.length();
      }
    }
    return n;
  }

  @Override
  public long macsPerImage(int channels, int side) {
    return macs.computeIfAbsent(channels + "x" + side, k -> javaMacs(channels, side));
  }

  /** The same count as the java engine's (same layers, same convention). */
  abstract long javaMacs(int channels, int side);

  @Override
  public void close() {
    net.clear();
    net.clearLayerMaskArrays();
  }
}
