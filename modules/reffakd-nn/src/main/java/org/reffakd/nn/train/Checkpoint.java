package org.reffakd.nn.train;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.List;
import java.util.Map;

/**
 * A training checkpoint: a JSON header (provenance, epoch, history) and a list of float arrays
 * (parameters, batch-norm statistics, momentum buffers). Written to a temporary file and moved
 * into place atomically, so a crash never leaves a half-written checkpoint.
 */
public record Checkpoint(Map<String, Object> header, List<float[]> arrays) {

  private static final int MAGIC = 0x52464b44; // "RFKD"
  private static final int VERSION = 1;
  static final ObjectMapper JSON = new ObjectMapper();

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
        for (float[] a : arrays) {
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

  @SuppressWarnings("unchecked")
  public static Checkpoint read(Path file) {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(
        Files.newInputStream(file), 1 << 16))) {
      if (in.readInt() != MAGIC) {
        throw new IllegalArgumentException(file + ": not a ReffAKD checkpoint (bad magic)");
      }
      int v = in.readInt();
      if (v != VERSION) {
        throw new IllegalArgumentException(file + ": checkpoint format " + v
            + " not supported (this build reads " + VERSION + ")");
      }
      byte[] h = new byte[in.readInt()];
      in.readFully(h);
      Map<String, Object> header = JSON.readValue(h, Map.class);
      int count = in.readInt();
      List<float[]> arrays = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        int len = in.readInt();
        if (len < 0 || len > 1 << 28) {
          throw new IllegalArgumentException(file + ": array " + i + " has bad length " + len);
        }
        byte[] b = new byte[len * 4];
        in.readFully(b);
        float[] a = new float[len];
        java.nio.ByteBuffer.wrap(b).asFloatBuffer().get(a);
        arrays.add(a);
      }
      return new Checkpoint(header, arrays);
    } catch (EOFException e) {
      throw new IllegalArgumentException(file + ": checkpoint is truncated", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
    }
  }

  /** Copies arrays into targets, checking count and sizes. */
  public static void restore(List<float[]> source, List<float[]> targets, String what) {
    if (source.size() < targets.size()) {
      throw new IllegalArgumentException(what + ": checkpoint holds " + source.size()
          + " arrays, the model needs " + targets.size());
    }
    for (int i = 0; i < targets.size(); i++) {
      float[] s = source.get(i);
      float[] t = targets.get(i);
      if (s.length != t.length) {
        throw new IllegalArgumentException(what + ": array " + i + " has " + s.length
            + " values in the checkpoint, the model needs " + t.length
            + " (different architecture or input size?)");
      }
      System.arraycopy(s, 0, t, 0, t.length);
    }
  }
}
