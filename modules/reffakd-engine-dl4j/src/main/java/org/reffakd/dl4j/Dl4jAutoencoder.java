package org.reffakd.dl4j;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.reffakd.backend.AutoencoderModel;
import org.reffakd.backend.ImageBatch;

/**
 * The ReffAKD autoencoder as a DL4J {@code ComputationGraph}: three 4x4 stride-2 pad-1
 * convolutions (ReLU) and three {@code Deconvolution2D} layers (same kernel, stride, padding:
 * output exactly twice the input, as PyTorch's ConvTranspose2d(4, 2, 1)), ReLU between and a
 * sigmoid at the end. Any image size divisible by 8.
 */
public final class Dl4jAutoencoder extends Dl4jModel implements AutoencoderModel {

  Dl4jAutoencoder(NetPlan plan, Map<String, float[]> initial) {
    super(plan, initial);
  }

  @Override
  public int channels() {
    return plan.channels;
  }

  @Override
  public float[] reconstruct(ImageBatch x) {
    check(x);
    INDArray out = net.output(false, Arrays4j.nchw(x))[0];
    return Arrays4j.inLayout(Arrays4j.rowMajor(out), x, x.channels(), x.height(), x.width());
  }

  @Override
  public float[] encode(ImageBatch x) {
    check(x);
    INDArray code = net.output(List.of(plan.embedding), false,
        new INDArray[] {Arrays4j.nchw(x)}, null)[0];
    return Arrays4j.rowMajor(code);
  }

  @Override
  public double trainStep(ImageBatch x, double lr) {
    check(x);
    INDArray in = Arrays4j.nchw(x);
    Map<String, INDArray> acts = net.feedForward(new INDArray[] {in}, true, false);
    INDArray diff = acts.get(plan.output).sub(in);
    long count = diff.length();
    double mse = diff.mul(diff).sumNumber().doubleValue() / count;
    backpropagate(diff.muli(2.0 / count));
    step(lr);
    return mse;
  }

  private void check(ImageBatch x) {
    if (x.channels() != plan.channels || x.height() % 8 != 0 || x.width() % 8 != 0) {
      throw new IllegalArgumentException("the autoencoder takes " + plan.channels
          + "-channel images with sides divisible by 8, got " + x.channels() + "x"
          + x.height() + "x" + x.width());
    }
  }

  @Override
  long javaMacs(int channels, int side) {
    return JavaInit.autoencoderMacs(channels, side);
  }
}
