package org.reffakd.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reffakd.backend.Classifier;
import org.reffakd.backend.ImageBatch;
import org.reffakd.engine.java.model.Models;

class CheckpointTest {

  @TempDir
  Path dir;

  private static float[] logits(Classifier c) {
    float[] x = new float[2 * 32 * 32];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.sin(i);
    }
    return Arrays.copyOf(c.forward(new ImageBatch(x, ImageBatch.Layout.CNHW, 2, 1, 32, 32),
        false), 20);
  }

  /** A checkpoint file whose declared lengths lie: one line each, nothing huge allocated. */
  @Test
  void lyingLengthsAreRefusedBeforeAnythingIsAllocated(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) throws Exception {
    int[][] cases = {
        {Integer.MAX_VALUE, 0, 0}, // header length
        {2, Integer.MAX_VALUE, 0}, // array count
        {2, 1, 1 << 28}, // one array of 1 GiB in a file of a few bytes
        {-1, 0, 0}};
    String[] expected = {"header length", "arrays", "bad length", "header length"};
    for (int k = 0; k < cases.length; k++) {
      java.nio.file.Path f = dir.resolve("c" + k + ".ckpt");
      try (java.io.DataOutputStream out = new java.io.DataOutputStream(
          java.nio.file.Files.newOutputStream(f))) {
        out.writeInt(0x52464b44);
        out.writeInt(2);
        out.writeInt(cases[k][0]);
        out.write("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        out.writeInt(cases[k][1]);
        out.writeUTF("w");
        out.writeInt(cases[k][2]);
        out.write(new byte[16]);
      }
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
          IllegalArgumentException.class, () -> Checkpoint.read(f));
      org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(expected[k])
          && e.getMessage().startsWith(f.toString()), e.getMessage());
    }
  }

  @Test
  void arraysTravelByName() {
    Classifier a = Models.create("lenet5bn", 1, 32, 10, 1);
    a.sgd(0.9, 5e-4);
    Path f = dir.resolve("a.ckpt");
    Checkpoint.of(Map.of("epoch", 3), a.state()).write(f);
    Checkpoint ck = Checkpoint.read(f);
    assertTrue(ck.arrays().containsKey("momentum.13.bias"));
    Classifier b = Models.create("lenet5bn", 1, 32, 10, 2);
    ck.restore(b, "a.ckpt"); // no optimizer in b: the momentum buffers are not needed
    assertArrayEquals(logits(a), logits(b));
  }

  @Test
  void aFirstReleaseCheckpointReadsByPosition() throws Exception {
    Classifier a = Models.create("lenet5bn", 1, 32, 10, 1);
    Path f = dir.resolve("v1.ckpt");
    List<float[]> arrays = List.copyOf(a.state().values()); // parameters, then buffers
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(f))) {
      out.writeInt(0x52464b44);
      out.writeInt(1);
      byte[] h = "{\"epoch\":1}".getBytes();
      out.writeInt(h.length);
      out.write(h);
      out.writeInt(arrays.size());
      for (float[] x : arrays) {
        out.writeInt(x.length);
        for (float v : x) {
          out.writeFloat(v);
        }
      }
    }
    Classifier b = Models.create("lenet5bn", 1, 32, 10, 2);
    Checkpoint.read(f).restore(b, "v1.ckpt");
    assertArrayEquals(logits(a), logits(b));
    Classifier wide = Models.create("lenet5bn-wide", 1, 32, 10, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Checkpoint.read(f).restore(wide, "v1.ckpt"));
    assertTrue(e.getMessage().startsWith("v1.ckpt: '0.weight' has 150 values"), e.getMessage());
  }
}
