package org.reffakd.nn.data;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (the MNIST / Fashion-MNIST format) holding unsigned bytes, either raw or
 * gzip-compressed (recognised by the gzip magic bytes, not by the file name).
 *
 * <p>Images: magic {@code 0x00000803}, count, rows, cols (big-endian ints), then the pixels.
 * Labels: magic {@code 0x00000801}, count, then one byte per label. The whole header is checked,
 * a file shorter than its header declares is reported with the index of the cut record, and
 * bytes after the declared data are an error.
 */
public final class IdxReader {

  /** Magic number of an IDX file with unsigned bytes in 3 dimensions (images). */
  public static final int IMAGES_MAGIC = 0x00000803;
  /** Magic number of an IDX file with unsigned bytes in 1 dimension (labels). */
  public static final int LABELS_MAGIC = 0x00000801;
  /** Largest accepted image side. */
  public static final int MAX_SIDE = 4096;

  private IdxReader() {
  }

  /**
   * Images of an IDX3 file.
   *
   * @param pixels {@code count * rows * cols} bytes, image after image, row-major
   */
  public record Images(int count, int rows, int cols, byte[] pixels) {
  }

  /** True if the bytes start with the gzip magic 0x1f 0x8b. */
  public static boolean isGzip(byte[] stored) {
    return stored.length >= 2 && (stored[0] & 0xff) == 0x1f && (stored[1] & 0xff) == 0x8b;
  }

  /** Parses image file content as stored on disk. */
  static Images parseImages(Path file, byte[] stored) {
    InputStream in = open(file, stored);
    int[] h = readHeader(file, in, 4, IMAGES_MAGIC, "IDX image file");
    int count = h[1];
    int rows = h[2];
    int cols = h[3];
    if (count <= 0 || rows <= 0 || cols <= 0 || rows > MAX_SIDE || cols > MAX_SIDE) {
      throw new DatasetFormatException(file, "implausible header: " + count + " images of "
          + rows + "x" + cols + " (count must be positive, sides 1.." + MAX_SIDE + ")");
    }
    int imageSize = rows * cols;
    long total = (long) count * imageSize;
    if (total > Integer.MAX_VALUE - 16) {
      throw new DatasetFormatException(file, "header declares " + count + " images of " + rows
          + "x" + cols + ", too large to hold in memory");
    }
    checkGzipCanHold(file, stored, total + 16, count + " images of " + rows + "x" + cols);
    byte[] pixels = isGzip(stored) || stored.length >= total + 16 ? new byte[(int) total] : null;
    int got = pixels == null ? stored.length - 16 : readUpTo(file, in, pixels, pixels.length);
    if (got < total) {
      throw new DatasetFormatException(file, got / imageSize, "truncated: header declares "
          + count + " images of " + rows + "x" + cols + " but the data ends inside image "
          + got / imageSize + " (" + got + " of " + total + " pixel bytes present)");
    }
    checkNoTrailing(file, in, count + " images");
    return new Images(count, rows, cols, pixels);
  }

  /** Parses label file content as stored on disk. */
  static int[] parseLabels(Path file, byte[] stored, int numClasses) {
    InputStream in = open(file, stored);
    int[] h = readHeader(file, in, 2, LABELS_MAGIC, "IDX label file");
    int count = h[1];
    if (count <= 0) {
      throw new DatasetFormatException(file, "implausible header: " + count
          + " labels (count must be positive)");
    }
    checkGzipCanHold(file, stored, count + 8L, count + " labels");
    byte[] raw = isGzip(stored) || stored.length >= count + 8L ? new byte[count] : null;
    int got = raw == null ? stored.length - 8 : readUpTo(file, in, raw, count);
    if (got < count) {
      throw new DatasetFormatException(file, got, "truncated: header declares " + count
          + " labels but the data ends after " + got + " labels");
    }
    checkNoTrailing(file, in, count + " labels");
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      int label = raw[i] & 0xff;
      if (label >= numClasses) {
        throw new DatasetFormatException(file, i, "label " + label + " outside 0.."
            + (numClasses - 1));
      }
      labels[i] = label;
    }
    return labels;
  }

  private static InputStream open(Path file, byte[] stored) {
    if (!isGzip(stored)) {
      return new ByteArrayInputStream(stored);
    }
    try {
      return new GZIPInputStream(new ByteArrayInputStream(stored), 1 << 16);
    } catch (IOException e) {
      throw new DatasetFormatException(file, "not a valid gzip file: " + e.getMessage(), e);
    }
  }

  /** Reads {@code ints} big-endian ints and checks the first against the magic number. */
  private static int[] readHeader(Path file, InputStream in, int ints, int magic, String what) {
    byte[] b = new byte[ints * 4];
    int got = readUpTo(file, in, b, b.length);
    if (got < 4) {
      throw new DatasetFormatException(file, "too short for an " + what + ": " + got
          + " bytes, no magic number");
    }
    int[] h = new int[ints];
    for (int i = 0; i < got / 4; i++) {
      h[i] = ((b[4 * i] & 0xff) << 24) | ((b[4 * i + 1] & 0xff) << 16)
          | ((b[4 * i + 2] & 0xff) << 8) | (b[4 * i + 3] & 0xff);
    }
    if (h[0] != magic) {
      String hint = h[0] == IMAGES_MAGIC ? " (this is an IDX image file)"
          : h[0] == LABELS_MAGIC ? " (this is an IDX label file)" : "";
      throw new DatasetFormatException(file, String.format(
          "bad magic number 0x%08x%s, expected 0x%08x for an %s", h[0], hint, magic, what));
    }
    if (got < b.length) {
      throw new DatasetFormatException(file, "truncated header: " + got + " of " + b.length
          + " bytes");
    }
    return h;
  }

  /**
   * Guards against a corrupt header making us allocate far more than a gzip file can expand to
   * (deflate compresses at most about 1032:1). Raw files are checked against their length.
   */
  private static void checkGzipCanHold(Path file, byte[] stored, long needed, String declared) {
    if (isGzip(stored) && needed > stored.length * 1100L) {
      throw new DatasetFormatException(file, "truncated or corrupt: header declares " + declared
          + " (" + needed + " bytes) but the gzip file has only " + stored.length + " bytes");
    }
  }

  /** Reads until len bytes or end of data; a gzip stream cut short counts as end of data. */
  private static int readUpTo(Path file, InputStream in, byte[] buf, int len) {
    int n = 0;
    try {
      while (n < len) {
        int r = in.read(buf, n, len - n);
        if (r < 0) {
          break;
        }
        n += r;
      }
    } catch (EOFException e) {
      return n; // gzip data ends early: the caller reports the truncation
    } catch (IOException e) {
      throw new DatasetFormatException(file, "corrupt gzip data: " + e.getMessage(), e);
    }
    return n;
  }

  /** Reads to the end (which also verifies the gzip trailer) and fails on extra bytes. */
  private static void checkNoTrailing(Path file, InputStream in, String declared) {
    long extra;
    try {
      extra = in.transferTo(OutputStream.nullOutputStream());
    } catch (EOFException e) {
      throw new DatasetFormatException(file, "truncated gzip file: it ends before its trailer", e);
    } catch (IOException e) {
      throw new DatasetFormatException(file, "corrupt gzip data: " + e.getMessage(), e);
    }
    if (extra > 0) {
      throw new DatasetFormatException(file, extra + " unexpected trailing bytes after the "
          + declared + " declared in the header");
    }
  }
}
