package org.reffakd.backend;

import java.util.Map;

/**
 * What every trainable model of a backend offers: its state by name, SGD, and its size.
 *
 * <p>Names follow PyTorch's state_dict keys for the same module tree ({@code 0.weight},
 * {@code 1.running_mean}, {@code encoder.2.bias}), so checkpoints are keyed by parameter name
 * and the same names mean the same tensors in every backend. Each array is flat in row-major
 * order of the java engine's shapes: a convolution weight (out, in, kh, kw), a transposed
 * convolution's (in, out, kh, kw), a linear weight (in, out) (transposed from PyTorch's, as
 * Deeplearning4j's DenseLayer keeps it), biases and batch-norm arrays (channels).
 */
public interface Trainable extends AutoCloseable {

  /** The backend that implements this model ("java", "dl4j"). */
  String engine();

  /** Trainable parameters by name, in a stable order. */
  Map<String, float[]> parameters();

  /**
   * Everything a checkpoint keeps: the parameters, non-trainable buffers (batch-norm running
   * statistics) and, once {@link #sgd} was called, the optimizer's momentum buffers (names
   * {@code momentum.<parameter>}). Arrays may be the model's own: read them, do not keep them
   * across a training step.
   */
  Map<String, float[]> state();

  /**
   * Copies the named arrays into the model. Every parameter and buffer of the model must be
   * present with the right length; momentum buffers are loaded when present (a fresh
   * optimizer starts at zero otherwise); extra names are an error.
   *
   * @param what names the source in errors (a checkpoint file, an artefact)
   */
  void load(Map<String, float[]> state, String what);

  /**
   * Sets up SGD with momentum and L2 weight decay as torch.optim.SGD (dampening 0, no
   * Nesterov): g += wd * w; v = mu * v + g; w -= lr * v.
   */
  void sgd(double momentum, double weightDecay);

  /** One optimizer step with the gradients accumulated since the last one; clears them. */
  void step(double lr);

  /** Number of trainable values. */
  long parameterCount();

  /** Forward multiply-adds per image (convolutions and linear layers) at this input size. */
  long macsPerImage(int channels, int side);

  /** Releases native memory, where a backend holds any. */
  @Override
  default void close() {}
}
