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

  /**
   * The gradient of the mean softmax cross-entropy of (n, classes) logits against hard labels:
   * (softmax - one-hot) / n, row-major. For benchmarks and checks that need a plain loss
   * without the plugin machinery; training uses the loss plugins.
   */
  static float[] crossEntropyGradient(float[] logits, int[] labels, int n, int classes) {
    float[] g = new float[n * classes];
    for (int i = 0; i < n; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < classes; j++) {
        max = Math.max(max, logits[i * classes + j]);
      }
      double sum = 0;
      for (int j = 0; j < classes; j++) {
        sum += Math.exp(logits[i * classes + j] - max);
      }
      for (int j = 0; j < classes; j++) {
        double p = Math.exp(logits[i * classes + j] - max) / sum;
        g[i * classes + j] = (float) ((p - (j == labels[i] ? 1 : 0)) / n);
      }
    }
    return g;
  }
}
