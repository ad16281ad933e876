package org.reffakd.nn.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/** Decodes PNG/JPEG files with javax.imageio into channel-major unsigned bytes. */
final class ImageFiles {

  /** Largest accepted image, in pixels (guards against decompression bombs). */
  static final long MAX_PIXELS = 1L << 26;
  private static final int CHUNK = 256;

  private ImageFiles() {
  }

  /**
   * A decoded image.
   *
   * @param gray true if the file is grayscale; then {@code data} has one plane, else three (RGB)
   */
  record Decoded(int width, int height, boolean gray, byte[] data) {

    /** Writes this image as {@code channels} (1 or 3) planes; gray is replicated to RGB. */
    void writeChw(byte[] dst, int offset, int channels) {
      int plane = width * height;
      if (gray) {
        for (int c = 0; c < channels; c++) {
          System.arraycopy(data, 0, dst, offset + c * plane, plane);
        }
      } else {
        System.arraycopy(data, 0, dst, offset, channels * plane);
      }
    }
  }

  /** Receives the decoded images in file order. */
  interface Sink {
    void accept(int index, Path file, Decoded image);
  }

  /**
   * Reads the files in order (feeding their stored bytes to {@code sha}), decodes them in
   * parallel, and hands them to {@code sink} in order. The first failing file, in file order,
   * is reported.
   */
  static void decodeAll(List<Path> files, MessageDigest sha, Sink sink) {
    for (int start = 0; start < files.size(); start += CHUNK) {
      final int first = start;
      int end = Math.min(files.size(), start + CHUNK);
      byte[][] raw = new byte[end - start][];
      RuntimeException readError = null;
      int readable = raw.length;
      for (int k = 0; k < raw.length; k++) {
        try {
          raw[k] = DataFiles.readAll(files.get(first + k));
        } catch (DatasetFormatException e) {
          readError = e;
          readable = k;
          break;
        }
      }
      Object[] out = new Object[readable];
      IntStream.range(0, readable).parallel().forEach(k -> {
        try {
          out[k] = decode(files.get(first + k), raw[k]);
        } catch (RuntimeException e) {
          out[k] = e;
        }
      });
      for (int k = 0; k < readable; k++) {
        if (out[k] instanceof RuntimeException e) {
          throw e;
        }
        sha.update(raw[k]);
        sink.accept(first + k, files.get(first + k), (Decoded) out[k]);
      }
      if (readError != null) {
        throw readError;
      }
    }
  }

  /** Decodes one PNG/JPEG (or any format ImageIO knows) from its stored bytes. */
  static Decoded decode(Path file, byte[] bytes) {
    ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes));
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    if (!readers.hasNext()) {
      throw new DatasetFormatException(file, "not a readable image: no ImageIO decoder"
          + " recognises its content (" + bytes.length + " bytes)");
    }
    ImageReader reader = readers.next();
    long w;
    long h;
    BufferedImage img;
    try {
      reader.setInput(in, true, true);
      w = reader.getWidth(0);
      h = reader.getHeight(0);
      img = w * h > MAX_PIXELS ? null : reader.read(0);
    } catch (IOException | RuntimeException e) {
      throw new DatasetFormatException(file, "cannot decode " + format(reader) + " image: "
          + e.getMessage(), e);
    } finally {
      reader.dispose();
    }
    if (img == null) {
      throw new DatasetFormatException(file, "image is " + w + "x" + h + ", more than "
          + MAX_PIXELS + " pixels");
    }
    return toBytes(img);
  }

  private static String format(ImageReader reader) {
    try {
      return reader.getFormatName().toUpperCase(Locale.ROOT);
    } catch (IOException e) {
      return "the";
    }
  }

  private static Decoded toBytes(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    ColorModel cm = img.getColorModel();
    Raster raster = img.getRaster();
    int space = cm.getColorSpace().getType();
    boolean indexed = cm instanceof IndexColorModel;
    if (!indexed && space == ColorSpace.TYPE_GRAY) {
      byte[] d = new byte[w * h];
      copyBand(raster, 0, cm.getComponentSize(0), d, 0);
      return new Decoded(w, h, true, d);
    }
    if (!indexed && space == ColorSpace.TYPE_RGB && cm.getNumColorComponents() == 3) {
      byte[] d = new byte[3 * w * h];
      for (int b = 0; b < 3; b++) {
        copyBand(raster, b, cm.getComponentSize(b), d, b * w * h);
      }
      return new Decoded(w, h, false, d);
    }
    // palettes and other colour spaces: let Java2D convert to sRGB
    int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
    int plane = w * h;
    if (indexed && isGrayPalette((IndexColorModel) cm)) {
      byte[] d = new byte[plane];
      for (int i = 0; i < plane; i++) {
        d[i] = (byte) argb[i];
      }
      return new Decoded(w, h, true, d);
    }
    byte[] d = new byte[3 * plane];
    for (int i = 0; i < plane; i++) {
      d[i] = (byte) (argb[i] >> 16);
      d[plane + i] = (byte) (argb[i] >> 8);
      d[2 * plane + i] = (byte) argb[i];
    }
    return new Decoded(w, h, false, d);
  }

  /** Copies one raster band, rescaling samples of other bit depths to 0..255. */
  private static void copyBand(Raster r, int band, int bits, byte[] dst, int offset) {
    int[] s = r.getSamples(0, 0, r.getWidth(), r.getHeight(), band, (int[]) null);
    if (bits == 8) {
      for (int i = 0; i < s.length; i++) {
        dst[offset + i] = (byte) s[i];
      }
    } else {
      double scale = 255.0 / ((1L << bits) - 1);
      for (int i = 0; i < s.length; i++) {
        dst[offset + i] = (byte) Math.round(s[i] * scale);
      }
    }
  }

  private static boolean isGrayPalette(IndexColorModel cm) {
    for (int i = 0; i < cm.getMapSize(); i++) {
      if (cm.getRed(i) != cm.getGreen(i) || cm.getGreen(i) != cm.getBlue(i)) {
        return false;
      }
    }
    return true;
  }
}
