package org.reffakd.nn.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reffakd.backend.Trainable;

/**
 * A training checkpoint: a JSON header (provenance, epoch, history) and named float arrays
 * (parameters, batch-norm statistics, momentum buffers, keyed as {@link Trainable#state()}
 * names them, so any backend reads any backend's checkpoint). Written to a temporary file and
 * moved into place atomically, so a crash never leaves a half-written checkpoint.
 *
 * <p>Format 2 stores each array's name; format 1 (the first release) stored them by position
 * only: such checkpoints read back with names {@code #0, #1, ...} and {@link #restore} maps
 * them onto the model's state in its order (parameters, buffers, momentum), as they were
 * written.
 */
public record Checkpoint(ObjectNode header, Map<String, float[]> arrays) {

  private static final int MAGIC = 0x52464b44; // "RFKD"
  private static final int VERSION = 2;
  private static final String POSITIONAL = "#";
  static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * A checkpoint of these arrays whose header is {@code header} (a record: the trainers'
   * {@code Header}s) as JSON.
   */
  public static Checkpoint of(Object header, Map<String, float[]> arrays) {
    return new Checkpoint(JSON.valueToTree(header), arrays);
  }

  /**
   * The header as {@code type}, a record of the keys its reader needs (other keys are
   * ignored: a header holds what several writers recorded).
   */
  public <T> T header(Class<T> type) {
    try {
      return JSON.treeToValue(header, type);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("checkpoint header does not read as "
          + type.getSimpleName() + ": " + e.getMessage().replaceAll("\\s+", " "), e);
    }
  }

  public void write(Path file) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
          Files.newOutputStream(tmp), 1 << 16))) {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        byte[] h = JSON.writeValueAsBytes(header);
        out.writeInt(h.length);
        out.write(h);
        out.writeInt(arrays.size());
        for (Map.Entry<String, float[]> e : arrays.entrySet()) {
          float[] a = e.getValue();
          out.writeUTF(e.getKey());
          out.writeInt(a.length);
          java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(a.length * 4);
          bb.asFloatBuffer().put(a);
          out.write(bb.array());
        }
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads a checkpoint. A checkpoint is untrusted input (a teacher's weights may come from
   * anyone, docs/security.md): every length it declares (header, array count, each array) is
   * checked against the bytes the file has left before anything is allocated, so a hostile
   * file fails with one line instead of an OutOfMemoryError; no Java deserialization.
   */
  public static Checkpoint read(Path file) {
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
    }
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(
        Files.newInputStream(file), 1 << 16))) {
      if (in.readInt() != MAGIC) {
        throw new IllegalArgumentException(file + ": not a ReffAKD checkpoint (bad magic)");
      }
      int v = in.readInt();
      if (v != VERSION && v != 1) {
        throw new IllegalArgumentException(file + ": checkpoint format " + v
            + " not supported (this build reads " + VERSION + ")");
      }
      long left = size - 12;
      int hl = in.readInt();
      if (hl < 0 || hl > left || hl > 64 << 20) {
        throw new IllegalArgumentException(file + ": checkpoint header length " + hl
            + " does not fit the file (" + size + " bytes)");
      }
      byte[] h = new byte[hl];
      in.readFully(h);
      left -= hl + 4;
      if (!(JSON.readTree(h) instanceof ObjectNode header)) {
        throw new IllegalArgumentException(file + ": checkpoint header is not a JSON object");
      }
      int count = in.readInt();
      if (count < 0 || count > left / 4 + 1) {
        throw new IllegalArgumentException(file + ": checkpoint says " + count + " arrays, "
            + "more than its " + size + " bytes can hold");
      }
      Map<String, float[]> arrays = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        String name = v == 1 ? POSITIONAL + i : in.readUTF();
        int len = in.readInt();
        left -= (v == 1 ? 0 : 2 + name.length()) + 4;
        if (len < 0 || len > 1 << 28 || 4L * len > left) {
          throw new IllegalArgumentException(file + ": array " + i + " has bad length " + len
              + (len >= 0 && 4L * len > left ? " (the file has " + Math.max(0, left)
              + " bytes left)" : ""));
        }
        left -= 4L * len;
        byte[] b = new byte[len * 4];
        in.readFully(b);
        float[] a = new float[len];
        java.nio.ByteBuffer.wrap(b).asFloatBuffer().get(a);
        if (arrays.put(name, a) != null) {
          throw new IllegalArgumentException(file + ": array '" + name + "' appears twice");
        }
      }
      return new Checkpoint(header, arrays);
    } catch (EOFException e) {
      throw new IllegalArgumentException(file + ": checkpoint is truncated", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Loads the checkpoint's arrays into a model by name (a format-1 checkpoint by position, in
   * the order of the model's state).
   */
  public void restore(Trainable model, String what) {
    model.load(named(model), what);
  }

  /** The arrays by name; a format-1 checkpoint's named after the model's state order. */
  public Map<String, float[]> named(Trainable model) {
    if (arrays.isEmpty() || !arrays.keySet().iterator().next().startsWith(POSITIONAL)) {
      return arrays;
    }
    List<String> names = new ArrayList<>(model.state().keySet());
    Map<String, float[]> m = new LinkedHashMap<>();
    int i = 0;
    for (float[] a : arrays.values()) {
      if (i >= names.size()) {
        break;
      }
      m.put(names.get(i++), a);
    }
    return m;
  }
}
