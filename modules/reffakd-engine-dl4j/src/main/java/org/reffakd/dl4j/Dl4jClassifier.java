package org.reffakd.dl4j;

import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.reffakd.backend.Classifier;
import org.reffakd.backend.ImageBatch;

/** A classifier of the java engine's architectures as a DL4J {@code ComputationGraph}. */
public final class Dl4jClassifier extends Dl4jModel implements Classifier {

  private final int classes;
  private int lastN = -1;

  Dl4jClassifier(NetPlan plan, int classes, Map<String, float[]> initial) {
    super(plan, initial);
    this.classes = classes;
  }

  @Override
  public String arch() {
    return plan.arch;
  }

  @Override
  public int classes() {
    return classes;
  }

  /** Channels of the input images. */
  public int channels() {
    return plan.channels;
  }

  /** Side of the (square) input images. */
  public int side() {
    return plan.side;
  }

  @Override
  public float[] forward(ImageBatch x, boolean training) {
    INDArray in = Arrays4j.nchw(x);
    INDArray out;
    if (training) {
      Map<String, INDArray> acts = net.feedForward(new INDArray[] {in}, true, false);
      recordForward(acts);
      out = acts.get(plan.output);
      lastN = x.n();
    } else {
      out = net.output(false, in)[0];
      lastN = -1;
    }
    return Arrays4j.rowMajor(out);
  }

  @Override
  public void backward(float[] logitsGradient) {
    if (lastN < 0) {
      throw new IllegalStateException("backward needs a training forward first");
    }
    int len = lastN * classes;
    float[] g = logitsGradient.length == len ? logitsGradient.clone()
        : Arrays.copyOf(logitsGradient, len);
    backpropagate(Nd4j.create(g).reshape('c', lastN, classes));
    lastN = -1;
  }

  @Override
  long javaMacs(int channels, int side) {
    return JavaInit.classifierMacs(plan.arch, channels, side, classes);
  }
}
