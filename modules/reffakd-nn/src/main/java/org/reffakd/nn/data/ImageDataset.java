package org.reffakd.nn.data;

import java.util.List;
import java.util.Objects;

/**
 * One split of an image classification dataset held in memory as unsigned bytes.
 *
 * <p>Pixels are stored image after image, each image channel-major (C, H, W), one byte per
 * value (0..255). Labels are class indices in {@code [0, classNames.size())}.
 *
 * @param name      dataset name, e.g. {@code fashion-mnist}
 * @param split     {@code train} or {@code test} (or {@code val})
 * @param channels  channels per image (1 or 3)
 * @param height    image height in pixels
 * @param width     image width in pixels
 * @param pixels    {@code count * channels * height * width} bytes
 * @param labels    one label per image
 * @param classNames human-readable class names, index = label
 * @param sha256    hex SHA-256 over the source files this split was read from (provenance)
 */
public record ImageDataset(String name, String split, int channels, int height, int width,
                           byte[] pixels, int[] labels, List<String> classNames, String sha256) {

  public ImageDataset {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(pixels, "pixels");
    Objects.requireNonNull(labels, "labels");
    classNames = List.copyOf(classNames);
    long expected = (long) labels.length * channels * height * width;
    if (pixels.length != expected) {
      throw new IllegalArgumentException("dataset " + name + "/" + split + ": " + pixels.length
          + " pixel bytes for " + labels.length + " images of " + channels + "x" + height + "x"
          + width + " (expected " + expected + ")");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classNames.size()) {
        throw new IllegalArgumentException("dataset " + name + "/" + split + ": label "
            + labels[i] + " of image " + i + " outside [0, " + classNames.size() + ")");
      }
    }
  }

  /** Number of images. */
  public int size() {
    return labels.length;
  }

  /** Number of classes. */
  public int numClasses() {
    return classNames.size();
  }

  /** Values per image: channels * height * width. */
  public int imageSize() {
    return channels * height * width;
  }

  /** A subset with the given image indices, in that order (same class names and checksum). */
  public ImageDataset subset(int[] indices, String newSplit) {
    int sz = imageSize();
    byte[] px = new byte[indices.length * sz];
    int[] lb = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      System.arraycopy(pixels, indices[i] * sz, px, i * sz, sz);
      lb[i] = labels[indices[i]];
    }
    return new ImageDataset(name, newSplit, channels, height, width, px, lb, classNames, sha256);
  }
}
