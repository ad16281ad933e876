package org.reffakd.dl4j;

/**
 * One named array of a model: its state name (the java engine's, PyTorch state_dict style), the
 * Deeplearning4j layer and parameter key that hold it, its shape in the java engine's layout,
 * and what it is.
 *
 * @param shape the java engine's shape, row-major: conv (out, in, kh, kw), transposed conv
 *     (in, out, kh, kw), linear (in, out), vectors (n); the DL4J parameter view has the same
 *     logical shape (its element order may differ, 'f' for dense weights; copies go through
 *     shaped assignment)
 */
record Binding(String name, String layer, String key, Kind kind, long[] shape) {

  enum Kind {
    /** trainable */
    PARAM,
    /** batch-norm running mean (DL4J "mean") */
    RUNNING_MEAN,
    /** batch-norm running variance (DL4J "var", stored as variance: useLogStd(false)) */
    RUNNING_VAR
  }

  long length() {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    return n;
  }

  boolean trainable() {
    return kind == Kind.PARAM;
  }
}
