package org.reffakd.engine.java;

import java.util.List;

/**
 * A differentiable layer. {@link #forward} keeps what {@link #backward} needs, so a layer
 * instance serves one forward/backward pair at a time and is not thread-safe. Output tensors
 * may reuse internal buffers: a caller must finish with an output before the next forward.
 */
public interface Layer {

  Tensor forward(Tensor x, boolean training);

  /**
   * Accumulates parameter gradients and returns the gradient with respect to the last input,
   * or {@code null} when {@link #setInputGradRequired} turned it off.
   */
  Tensor backward(Tensor gradOut);

  /** Trainable parameters, in a stable order (checkpoints rely on it). */
  default List<Param> params() {
    return List.of();
  }

  /** Non-trainable state that a checkpoint must keep (batch-norm running statistics). */
  default List<float[]> buffers() {
    return List.of();
  }

  /** Names of {@link #buffers}, in the same order (PyTorch's: running_mean, running_var). */
  default List<String> bufferNames() {
    return List.of();
  }

  /**
   * Adds this layer's parameters and buffers under their PyTorch state_dict names, each
   * prefixed (a Sequential adds "index.", a residual block "main." and "shortcut.").
   */
  default void collect(String prefix, java.util.Map<String, Param> params,
                       java.util.Map<String, float[]> buffers) {
    for (Param p : params()) {
      params.put(prefix + p.name, p);
    }
    List<float[]> bs = buffers();
    List<String> names = bufferNames();
    for (int i = 0; i < bs.size(); i++) {
      buffers.put(prefix + names.get(i), bs.get(i));
    }
  }

  /**
   * Multiply-adds per sample of the last forward pass (convolutions and linear layers; the
   * element-wise layers are not counted). 0 for layers without weights.
   */
  default long macsPerSample() {
    return 0;
  }

  /** The first layer of a network does not need the gradient with respect to the images. */
  default void setInputGradRequired(boolean required) {}
}
