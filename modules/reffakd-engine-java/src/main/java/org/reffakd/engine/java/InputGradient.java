package org.reffakd.engine.java;

/**
 * Where a layer's backward writes its input gradient: an array of the layer's own (reused from
 * step to step), a {@link SharedArray} that several layers take in turn (see {@link
 * ResidualBlock.Shared}), or over the output gradient it was given, where nothing reads that
 * again (the in-place layers). The layer keeps no reference to an array it does not own, so a
 * shared array that grows leaves no older one alive.
 */
final class InputGradient {

  private SharedArray shared;
  private boolean overGradOut;
  private float[] own;

  /** Take the input gradient in {@code into} from now on. */
  void share(SharedArray into) {
    shared = into;
  }

  /** Write the input gradient over the output gradient ({@code true}) or not. */
  void overwrite(boolean overGradOut) {
    this.overGradOut = overGradOut;
  }

  /**
   * The array this backward writes {@code size} input-gradient values into ({@code gradOut}
   * when overwriting; its first {@code size} values when shared).
   */
  float[] array(float[] gradOut, int size) {
    if (overGradOut) {
      return gradOut;
    }
    if (shared != null) {
      return shared.atLeast(size);
    }
    own = Tensor.reuse(own, size);
    return own;
  }
}
