package org.reffakd.spi;

/**
 * The loss of one run, created by {@link LossPlugin#create}. Must be deterministic: the same
 * input gives the same output. See {@link LossPlugin} for lifecycle and threading.
 */
public interface LossFunction extends AutoCloseable {

  LossOutput compute(LossInput input);

  /** Releases resources; the default does nothing. */
  @Override
  default void close() {}
}
