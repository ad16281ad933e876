package org.reffakd.engine.java.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.reffakd.backend.AutoencoderModel;
import org.reffakd.backend.ImageBatch;
import org.reffakd.engine.java.Activation;
import org.reffakd.engine.java.Conv2d;
import org.reffakd.engine.java.ConvTranspose2d;
import org.reffakd.engine.java.Flatten;
import org.reffakd.engine.java.Layer;
import org.reffakd.engine.java.Param;
import org.reffakd.engine.java.Sequential;
import org.reffakd.engine.java.Tensor;

/**
 * The ReffAKD convolutional autoencoder (METHOD.md section 1): encoder of three 4x4 stride-2
 * pad-1 convolutions with 12, 24, 48 filters, ReLU after each; decoder of three transposed
 * convolutions 48-24-12-channels, ReLU between, sigmoid at the end. The embedding of an image
 * is the flattened encoder output (48 x H/8 x W/8: 768 values at 32x32).
 */
public final class Autoencoder extends JavaModel implements AutoencoderModel {

  private final int channels;
  private final Sequential encoder;
  private final Sequential decoder;
  private final StateDict state;
  private Tensor code;
  private float[] grad; // the loss gradient, reused batch after batch

  public Autoencoder(int channels, long seed) {
    this.channels = channels;
    Random rng = new Random(seed);
    this.encoder = new Sequential(
        new Conv2d(channels, 12, 4, 2, 1, true, rng), Activation.relu(),
        new Conv2d(12, 24, 4, 2, 1, true, rng), Activation.relu(),
        new Conv2d(24, 48, 4, 2, 1, true, rng), Activation.relu());
    this.decoder = new Sequential(
        new ConvTranspose2d(48, 24, 4, 2, 1, rng), Activation.relu(),
        new ConvTranspose2d(24, 12, 4, 2, 1, rng), Activation.relu(),
        new ConvTranspose2d(12, channels, 4, 2, 1, rng), Activation.sigmoid());
    encoder.setInputGradRequired(false);
    Map<String, Layer> parts = new LinkedHashMap<>();
    parts.put("encoder.", encoder);
    parts.put("decoder.", decoder);
    this.state = new StateDict(parts);
  }

  @Override
  StateDict stateDict() {
    return state;
  }

  @Override
  public int channels() {
    return channels;
  }

  /** Reconstruction of a (C, N, H, W) batch. */
  public Tensor forward(Tensor x, boolean training) {
    code = encoder.forward(x, training);
    return decoder.forward(code, training);
  }

  public void backward(Tensor gradOut) {
    encoder.backward(decoder.backward(gradOut));
  }

  /** Embeddings (N, 48*H/8*W/8) of a (C, N, H, W) batch, in PyTorch flatten order. */
  public float[] embed(Tensor x) {
    Tensor c = encoder.forward(x, false);
    int n = c.dim(1);
    float[] rows = new float[c.size()];
    Flatten.toRows(c.data, c.dim(0), n, c.dim(2) * c.dim(3), rows);
    return rows;
  }

  @Override
  public float[] encode(ImageBatch x) {
    return embed(JavaBackend.tensor(x));
  }

  @Override
  public float[] reconstruct(ImageBatch x) {
    Tensor y = forward(JavaBackend.tensor(x), false);
    return JavaBackend.inLayout(y, x.layout());
  }

  @Override
  public double trainStep(ImageBatch batch, double lr) {
    Tensor x = JavaBackend.tensor(batch);
    Tensor y = forward(x, true);
    int size = y.size();
    if (grad == null || grad.length != size) {
      grad = new float[size];
    }
    double mse = 0;
    float scale = 2f / size;
    for (int i = 0; i < size; i++) {
      float d = y.data[i] - x.data[i];
      mse += d * d;
      grad[i] = scale * d;
    }
    backward(new Tensor(grad, y.shape));
    step(lr);
    return mse / size;
  }

  /** Embedding length for square images of the given side. */
  public static int embeddingSize(int side) {
    return AutoencoderModel.embeddingSize(side, side);
  }

  public List<Param> params() {
    return state.paramList();
  }

  /** Forward multiply-adds per image of the whole autoencoder (encoder and decoder). */
  public long macsPerImage(int side) {
    forward(new Tensor(new float[channels * side * side], channels, 1, side, side), false);
    return encoder.macsPerSample() + decoder.macsPerSample();
  }

  @Override
  public long macsPerImage(int channels, int side) {
    return macsPerImage(side);
  }
}
