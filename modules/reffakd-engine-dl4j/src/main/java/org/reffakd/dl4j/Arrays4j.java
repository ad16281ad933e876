package org.reffakd.dl4j;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.reffakd.backend.ImageBatch;

/** Conversions between the seam's float arrays and ND4J arrays. */
final class Arrays4j {

  private Arrays4j() {}

  /** The batch as an NCHW float array of exactly its shape (a copy). */
  static INDArray nchw(ImageBatch x) {
    ImageBatch b = x.to(ImageBatch.Layout.NCHW);
    float[] d = b.data().length == b.size() ? b.data().clone() : Arrays.copyOf(b.data(),
        b.size());
    return Nd4j.create(d).reshape('c', b.n(), b.channels(), b.height(), b.width());
  }

  /** The values of an array in row-major order of its (logical) shape. */
  static float[] rowMajor(INDArray a) {
    return a.dup('c').reshape(a.length()).toFloatVector();
  }

  /** A row-major float array, shaped like {@code like} (logical shape), as a new array. */
  static INDArray shaped(float[] data, INDArray like) {
    return Nd4j.create(data.clone()).reshape('c', like.shape());
  }

  /** NCHW values back in the layout of the batch they came from. */
  static float[] inLayout(float[] nchw, ImageBatch like, int channels, int h, int w) {
    if (like.layout() == ImageBatch.Layout.NCHW) {
      return nchw;
    }
    return new ImageBatch(nchw, ImageBatch.Layout.NCHW, like.n(), channels, h, w)
        .to(ImageBatch.Layout.CNHW).data();
  }
}
