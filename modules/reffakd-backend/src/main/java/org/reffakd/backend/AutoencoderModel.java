package org.reffakd.backend;

/**
 * The ReffAKD convolutional autoencoder (METHOD.md section 1) as a backend provides it:
 * reconstruct, encode, and one training step of MSE against the input.
 */
public interface AutoencoderModel extends Trainable {

  int channels();

  /** Reconstruction of a batch in evaluation mode, in the batch's own layout. */
  float[] reconstruct(ImageBatch x);

  /**
   * Embeddings of a batch, (n, d) row-major, each row the encoder output flattened in PyTorch
   * order (channel, y, x): d = 48 * (h / 8) * (w / 8).
   */
  float[] encode(ImageBatch x);

  /**
   * One training step: forward, the mean squared error between reconstruction and input over
   * all values, backward, and an SGD step at the given learning rate ({@link #sgd} first).
   *
   * @return the batch's mean squared error before the step
   */
  double trainStep(ImageBatch x, double lr);

  /** Embedding length for images of the given size. */
  static int embeddingSize(int height, int width) {
    return 48 * (height / 8) * (width / 8);
  }
}
