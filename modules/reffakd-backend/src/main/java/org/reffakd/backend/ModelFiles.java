package org.reffakd.backend;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * How model files are read: a model file (a DL4J zip, a teacher, a checkpoint) is untrusted
 * input, as a Kafka record is (docs/security.md).
 *
 * <ul>
 *   <li>{@link #readZip} reads a model zip once into memory (at most {@link Limits#maxFileBytes})
 *       and walks it with the same parser DL4J uses ({@link ZipInputStream}), bounding the entry
 *       count, each entry's inflated size, the total, and the compression ratio (a zip bomb
 *       stops after a few megabytes, with one line); the library then reads those same
 *       bytes, never the file again.
 *   <li>An entry that holds a Java-serialized object ({@code AC ED}, as DL4J's
 *       {@code preprocessor.bin}) is read here first with a stream that resolves a class only
 *       when its name is on {@link #ALLOWED} (checked before the class is looked up, so an
 *       unknown name such as {@code evil.Gadget} is never loaded); anything else refuses the
 *       file with one line naming the entry and the class.
 *   <li>{@link #installSerialFilter} sets the process-wide {@link ObjectInputFilter} (the same
 *       allow-list, with depth and size limits): a backstop for any path that deserializes
 *       without going through here. The command line and every worker set it at start.
 * </ul>
 */
public final class ModelFiles {

  private ModelFiles() {}

  /**
   * Bounds on a model zip; defaults from system properties {@code reffakd.model.max-mb} (file
   * and inflated total, default 2048), {@code reffakd.model.max-entries} (default 10000) and
   * {@code reffakd.model.max-ratio} (default 100).
   */
  public record Limits(long maxFileBytes, int maxEntries, long maxEntryBytes,
                       long maxTotalBytes, long maxRatio) {

    public static Limits defaults() {
      long mb = Long.getLong("reffakd.model.max-mb", 2048);
      long bytes = Math.min(mb << 20, Integer.MAX_VALUE - 64L);
      return new Limits(bytes, Integer.getInteger("reffakd.model.max-entries", 10_000), bytes,
          bytes, Long.getLong("reffakd.model.max-ratio", 100));
    }
  }

  /** A ratio is judged only past this many inflated bytes (small JSON compresses well). */
  static final long RATIO_FLOOR = 4L << 20;

  /**
   * Classes a model file may carry as Java-serialized objects: ND4J's data-set pre-processors
   * (DL4J's {@code preprocessor.bin}) and what they hold (arrays, buffers, boxed numbers,
   * strings, enums). A package ending in {@code .**} admits its sub-packages.
   */
  public static final List<String> ALLOWED = List.of(
      "org.nd4j.linalg.dataset.api.preprocessor.**",
      "org.nd4j.linalg.api.ndarray.**",
      "org.nd4j.linalg.api.buffer.**",
      "org.nd4j.linalg.api.shape.**",
      "org.nd4j.linalg.cpu.nativecpu.**",
      "org.nd4j.linalg.jcublas.**",
      "java.lang.String", "java.lang.Number", "java.lang.Integer", "java.lang.Long",
      "java.lang.Double", "java.lang.Float", "java.lang.Short", "java.lang.Byte",
      "java.lang.Boolean", "java.lang.Character", "java.lang.Enum");

  /** Whether a class name is on {@link #ALLOWED} (array names by their element type). */
  public static boolean allowed(String className) {
    String n = className;
    while (n.startsWith("[")) {
      n = n.substring(1);
    }
    if (n.length() == 1) {
      return true; // an array of a primitive type
    }
    if (n.startsWith("L") && n.endsWith(";")) {
      n = n.substring(1, n.length() - 1);
    }
    for (String a : ALLOWED) {
      if (a.endsWith(".**") ? n.startsWith(a.substring(0, a.length() - 2)) : n.equals(a)) {
        return true;
      }
    }
    return false;
  }

  private static final long MAX_DEPTH = 32;
  private static final long MAX_REFS = 1_000_000;
  private static final long MAX_ARRAY = 1L << 28;

  /** The filter: {@link #ALLOWED} classes and primitives, within depth and size limits. */
  public static final ObjectInputFilter FILTER = info -> {
    if (info.depth() > MAX_DEPTH || info.references() > MAX_REFS
        || info.arrayLength() > MAX_ARRAY) {
      return ObjectInputFilter.Status.REJECTED;
    }
    Class<?> c = info.serialClass();
    if (c == null) {
      return ObjectInputFilter.Status.UNDECIDED;
    }
    while (c.isArray()) {
      c = c.getComponentType();
    }
    return c.isPrimitive() || allowed(c.getName()) ? ObjectInputFilter.Status.ALLOWED
        : ObjectInputFilter.Status.REJECTED;
  };

  private static volatile boolean installed;

  /**
   * Sets {@link #FILTER} as the process-wide serialization filter, once. When one was set
   * already (e.g. with {@code -Djdk.serialFilter}), that one stays: returns false.
   */
  public static synchronized boolean installSerialFilter() {
    if (installed) {
      return true;
    }
    ObjectInputFilter current = ObjectInputFilter.Config.getSerialFilter();
    if (current == FILTER) {
      installed = true;
      return true;
    }
    if (current != null) {
      return false;
    }
    try {
      ObjectInputFilter.Config.setSerialFilter(FILTER);
      installed = true;
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  /**
   * The bytes of a model zip, checked: a zip, within {@code limits}, every Java-serialized
   * entry of allowed classes only. Read them with the library's stream readers
   * ({@code new ByteArrayInputStream(bytes)}), never the file again.
   *
   * @throws IOException one line naming the file and what is wrong
   */
  public static byte[] readZip(Path file, Limits limits) throws IOException {
    long size = Files.size(file);
    if (size > limits.maxFileBytes()) {
      throw new IOException(file + ": " + mb(size) + " is more than a model file may be ("
          + mb(limits.maxFileBytes()) + ", -Dreffakd.model.max-mb)");
    }
    byte[] bytes = Files.readAllBytes(file);
    checkZip(file.toString(), bytes, limits);
    return bytes;
  }

  /** {@link #readZip} with {@link Limits#defaults}. */
  public static byte[] readZip(Path file) throws IOException {
    return readZip(file, Limits.defaults());
  }

  private static String mb(long bytes) {
    return bytes >= 1 << 20 ? (bytes >> 20) + " MiB" : bytes + " bytes";
  }

  /** Counts the compressed bytes the zip reader takes from the file. */
  private static final class Counting extends FilterInputStream {
    long count;

    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }

  static void checkZip(String name, byte[] bytes, Limits limits) throws IOException {
    if (bytes.length < 4 || bytes[0] != 'P' || bytes[1] != 'K') {
      throw new IOException(name + ": not a zip file (a model file is a zip)");
    }
    Counting raw = new Counting(new ByteArrayInputStream(bytes));
    int entries = 0;
    long total = 0;
    byte[] buf = new byte[1 << 16];
    try (ZipInputStream zin = new ZipInputStream(raw)) {
      for (ZipEntry e = zin.getNextEntry(); e != null; e = zin.getNextEntry()) {
        if (++entries > limits.maxEntries()) {
          throw new IOException(name + ": more than " + limits.maxEntries() + " entries "
              + "(-Dreffakd.model.max-entries): refused");
        }
        long startRaw = raw.count;
        long n = 0;
        byte[] head = new byte[4];
        int headLen = 0;
        for (int r = zin.read(buf); r >= 0; r = zin.read(buf)) {
          for (int i = 0; i < r && headLen < 4; i++) {
            head[headLen++] = buf[i];
          }
          n += r;
          total += r;
          if (n > limits.maxEntryBytes() || total > limits.maxTotalBytes()) {
            throw new IOException(name + ": entry " + e.getName() + " inflates to more than "
                + mb(Math.min(limits.maxEntryBytes(), limits.maxTotalBytes()))
                + " (-Dreffakd.model.max-mb): refused, a zip bomb or not a model");
          }
          long packed = Math.max(1, raw.count - startRaw);
          if ((n > RATIO_FLOOR && n / packed > limits.maxRatio())
              || (total > RATIO_FLOOR && total / Math.max(1, raw.count) > limits.maxRatio())) {
            throw new IOException(name + ": entry " + e.getName() + " inflates more than "
                + limits.maxRatio() + " times (" + mb(n) + " from " + mb(packed)
                + " so far, -Dreffakd.model.max-ratio): refused, a zip bomb");
          }
        }
        if (headLen == 4 && (head[0] & 0xff) == 0xAC && (head[1] & 0xff) == 0xED
            && head[2] == 0 && head[3] == 5) {
          checkSerialized(name, e.getName(), bytes, n);
        }
      }
    } catch (ZipException e) {
      throw new IOException(name + ": not a readable zip file (" + e.getMessage() + ")", e);
    }
    if (entries == 0) {
      throw new IOException(name + ": not a zip file, or an empty one (no entries)");
    }
  }

  /** Reads one Java-serialized entry with {@link #ALLOWED} classes only. */
  private static void checkSerialized(String name, String entry, byte[] zip, long entryBytes)
      throws IOException {
    try (ZipInputStream zin = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = zin.getNextEntry(); e != null; e = zin.getNextEntry()) {
        if (!e.getName().equals(entry)) {
          continue;
        }
        try (ObjectInputStream in = new AllowListStream(zin, name, entry)) {
          // no array longer than the entry itself: a length is allocated before it is read
          in.setObjectInputFilter(info -> info.arrayLength() > entryBytes
              || info.streamBytes() > entryBytes + 16 ? ObjectInputFilter.Status.REJECTED
              : FILTER.checkInput(info));
          in.readObject();
        } catch (Refused r) {
          throw new IOException(r.getMessage());
        } catch (InvalidClassException | ClassNotFoundException x) {
          throw new IOException(name + ": entry " + entry + " holds a Java-serialized object "
              + "that is refused (" + x.getMessage() + "); a model file may carry serialized "
              + "objects only of ND4J's pre-processor classes (Java deserialization can run "
              + "code)", x);
        } catch (IOException | RuntimeException x) {
          throw new IOException(name + ": entry " + entry + " is not a readable Java-"
              + "serialized pre-processor (" + x + ")", x);
        }
        return;
      }
    }
  }

  private static final class Refused extends IOException {
    Refused(String m) {
      super(m);
    }
  }

  /** Resolves a class only when its name is allowed: an unknown name is never looked up. */
  private static final class AllowListStream extends ObjectInputStream {
    private final String file;
    private final String entry;

    AllowListStream(InputStream in, String file, String entry) throws IOException {
      super(in);
      this.file = file;
      this.entry = entry;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException,
        ClassNotFoundException {
      if (!allowed(desc.getName())) {
        throw new Refused(file + ": entry " + entry + " holds a Java-serialized "
            + desc.getName() + ": refused (a model file may carry serialized objects only of "
            + "ND4J's pre-processor classes; Java deserialization can run code)");
      }
      return super.resolveClass(desc);
    }

    @Override
    protected Class<?> resolveProxyClass(String[] interfaces) throws IOException {
      throw new Refused(file + ": entry " + entry + " holds a serialized proxy "
          + String.join(",", interfaces) + ": refused");
    }
  }
}
