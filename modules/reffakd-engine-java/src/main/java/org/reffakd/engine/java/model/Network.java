package org.reffakd.engine.java.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reffakd.backend.Classifier;
import org.reffakd.backend.ImageBatch;
import org.reffakd.engine.java.Layer;
import org.reffakd.engine.java.Param;
import org.reffakd.engine.java.Sequential;
import org.reffakd.engine.java.Tensor;

/**
 * A named network of the java engine: a layer stack plus the facts a checkpoint records about
 * it. The engine's input is a (C, N, H, W) batch, the output (N, classes) logits. As a
 * {@link Classifier} it takes batches in either layout (an NCHW batch is copied to CNHW).
 */
public class Network extends JavaModel implements Classifier {

  private final String arch;
  private final int classes;
  private final Sequential body;
  private final StateDict state;
  private int lastN;

  public Network(String arch, int classes, Sequential body) {
    this.arch = arch;
    this.classes = classes;
    this.body = body;
    body.setInputGradRequired(false);
    Map<String, Layer> parts = new LinkedHashMap<>();
    parts.put("", body);
    this.state = new StateDict(parts);
  }

  @Override
  StateDict stateDict() {
    return state;
  }

  @Override
  public String arch() {
    return arch;
  }

  @Override
  public int classes() {
    return classes;
  }

  public Tensor forward(Tensor x, boolean training) {
    lastN = x.dim(1);
    return body.forward(x, training);
  }

  public void backward(Tensor gradOut) {
    body.backward(gradOut);
  }

  @Override
  public float[] forward(ImageBatch x, boolean training) {
    return forward(JavaBackend.tensor(x), training).data;
  }

  @Override
  public void backward(float[] logitsGradient) {
    backward(new Tensor(logitsGradient, lastN, classes));
  }

  public List<Param> params() {
    return body.params();
  }

  public List<float[]> buffers() {
    return body.buffers();
  }

  public Layer body() {
    return body;
  }

  /**
   * Forward multiply-adds per image (convolutions and linear layers), computed by one forward
   * pass of a blank image in evaluation mode.
   */
  @Override
  public long macsPerImage(int channels, int side) {
    forward(new Tensor(new float[channels * side * side], channels, 1, side, side), false);
    return body.macsPerSample();
  }
}
