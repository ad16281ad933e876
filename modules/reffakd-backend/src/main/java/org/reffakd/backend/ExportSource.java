package org.reffakd.backend;

import java.util.List;
import java.util.Map;

/**
 * What an {@link Exporter} needs of a trained classifier.
 *
 * @param arch architecture name ("lenet5bn", "resnet18", ...)
 * @param channels input channels
 * @param side input height and width (the run's image size)
 * @param classes number of logits
 * @param state the classifier's {@link Trainable#state()} (momentum buffers are ignored)
 * @param mean per-channel mean the run normalised its [0, 1] pixels with
 * @param std per-channel standard deviation, likewise
 * @param classNames class names, index = label (empty when unknown)
 * @param metadata provenance written into the file where the format has room (test accuracy,
 *     dataset SHA-256, code version, epoch, resize)
 * @param calibration images to calibrate a quantised format with (the run's validation
 *     images, never test images), or null
 * @param evaluation labelled images to measure a format's accuracy on (the run's test
 *     images), or null
 */
public record ExportSource(String arch, int channels, int side, int classes,
                           Map<String, float[]> state, float[] mean, float[] std,
                           List<String> classNames, Map<String, String> metadata,
                           Images calibration, Images evaluation) {

  /**
   * Images of this source's shape as pixels in [0, 1] (resized as the run did, not
   * normalised), NCHW, image after image.
   *
   * @param labels one label per image, or null
   */
  public record Images(float[] pixels, int[] labels, int count) {
    public Images {
      if (count < 0 || pixels == null || (labels != null && labels.length < count)) {
        throw new IllegalArgumentException("bad image set of " + count + " images");
      }
    }
  }
}
