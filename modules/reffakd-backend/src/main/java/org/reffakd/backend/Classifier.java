package org.reffakd.backend;

/**
 * A trainable classifier: images to logits, and back from a logits gradient that any loss
 * plugin returns. One forward/backward pair at a time; not thread-safe.
 */
public interface Classifier extends Trainable {

  /** Architecture name ("lenet5bn", "resnet18", ...). */
  String arch();

  int classes();

  /**
   * Logits of a batch, (n, classes) row-major. The array may be the model's own buffer
   * (valid until the next call) and may be longer than n * classes.
   *
   * @param training batch statistics and a backward pass follow when true; running statistics
   *     are used when false
   */
  float[] forward(ImageBatch x, boolean training);

  /**
   * Back-propagates the gradient of the loss with respect to the logits of the last training
   * forward, (n, classes) row-major; accumulates parameter gradients for {@link #step}.
   */
  void backward(float[] logitsGradient);
}
