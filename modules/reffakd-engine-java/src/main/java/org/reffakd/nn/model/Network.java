package org.reffakd.nn.model;

import java.util.List;
import org.reffakd.nn.engine.Layer;
import org.reffakd.nn.engine.Param;
import org.reffakd.nn.engine.Sequential;
import org.reffakd.nn.engine.Tensor;

/**
 * A named network: a layer stack plus the facts a checkpoint records about it. The input is
 * a (C, N, H, W) batch, the output (N, classes) logits (or for an autoencoder the reconstruction).
 */
public class Network {

  private final String arch;
  private final Sequential body;

  public Network(String arch, Sequential body) {
    this.arch = arch;
    this.body = body;
    body.setInputGradRequired(false);
  }

  public String arch() {
    return arch;
  }

  public Tensor forward(Tensor x, boolean training) {
    return body.forward(x, training);
  }

  public void backward(Tensor gradOut) {
    body.backward(gradOut);
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
  public long macsPerImage(int channels, int side) {
    forward(new Tensor(new float[channels * side * side], channels, 1, side, side), false);
    return body.macsPerSample();
  }

  /** Number of trainable values. */
  public long parameterCount() {
    long n = 0;
    for (Param p : params()) {
      n += p.size();
    }
    return n;
  }
}
