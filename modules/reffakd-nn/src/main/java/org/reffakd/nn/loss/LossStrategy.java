package org.reffakd.nn.loss;

/**
 * A student loss: named terms and the gradient of their sum with respect to the student
 * logits. The training loop drives any strategy through this interface only (the loss-plugin
 * work turns it into the public SPI). Implementations are immutable and thread-safe.
 */
public interface LossStrategy {

  /** Name used on the command line and in results (e.g. {@code reffakd}). */
  String name();

  /** Whether {@link LossInput#softTargets()} must be present. */
  boolean needsSoftLabels();

  LossResult compute(LossInput input);
}
