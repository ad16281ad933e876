package org.reffakd.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reffakd.backend.ModelFiles;

/**
 * A model file is untrusted input: a DL4J zip handed to {@code --teacher} (or named by a job's
 * config) that carries a serialized {@code java.util.HashMap}, a class name that is not on the
 * allow-list, a zip bomb (1.5 GiB of zeros in a 1.5 MB file, or more entries than any model
 * has), or is not a zip at all, is refused with one line naming the file and the reason, before
 * DL4J deserializes or inflates anything; and the process-wide filter refuses the HashMap too.
 */
class HostileModelFilesTest {

  @TempDir
  Path tmp;

  /** A zip with DL4J's two marker entries (junk content) plus {@code more}. */
  static Path zip(Path file, Map<String, byte[]> more) throws Exception {
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
      Map<String, byte[]> all = new LinkedHashMap<>();
      all.put("configuration.json", "{}".getBytes(StandardCharsets.UTF_8));
      all.put("coefficients.bin", new byte[] {1, 2, 3, 4});
      all.putAll(more);
      for (Map.Entry<String, byte[]> e : all.entrySet()) {
        z.putNextEntry(new ZipEntry(e.getKey()));
        z.write(e.getValue());
        z.closeEntry();
      }
    }
    return file;
  }

  static byte[] serialize(Object o) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(b)) {
      out.writeObject(o);
    }
    return b.toByteArray();
  }

  /** A class the test serializes, then renames in the stream to a class nobody has. */
  static final class Decoy implements Serializable {
    private static final long serialVersionUID = 1L;
    int x = 7;
  }

  static String refusal(Path file) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Dl4jBackend().open(file));
    String m = e.getMessage();
    assertFalse(m.contains("\n"), m);
    return m;
  }

  @Test
  void aSerializedHashMapIsRefusedBeforeDl4jReadsIt() throws Exception {
    HashMap<String, Object> map = new HashMap<>();
    map.put("k", "v");
    Path f = zip(tmp.resolve("hashmap.zip"), Map.of("preprocessor.bin", serialize(map)));
    String m = refusal(f);
    assertTrue(m.contains("preprocessor.bin") && m.contains("java.util.HashMap")
        && m.contains("refused"), m);
    // any entry name, not only the one DL4J reads
    f = zip(tmp.resolve("other.zip"), Map.of("updaterState.bin", serialize(
        new java.util.PriorityQueue<>(java.util.List.of(1, 2)))));
    m = refusal(f);
    assertTrue(m.contains("java.util.PriorityQueue") && m.contains("refused"), m);
  }

  @Test
  void anUnknownClassNameIsRefusedWithoutBeingLookedUp() throws Exception {
    byte[] s = serialize(new Decoy());
    String name = Decoy.class.getName();
    String evil = ("evil.Gadget" + "_".repeat(name.length())).substring(0, name.length());
    byte[] renamed = new String(s, StandardCharsets.ISO_8859_1).replace(name, evil)
        .getBytes(StandardCharsets.ISO_8859_1);
    Path f = zip(tmp.resolve("gadget.zip"), Map.of("preprocessor.bin", renamed));
    String m = refusal(f);
    assertTrue(m.contains(evil) && m.contains("refused"), m);
    assertFalse(m.contains("ClassNotFoundException"), m);
  }

  @Test
  void aZipBombIsRefusedWithOneLineAndNoOutOfMemory() throws Exception {
    Path f = tmp.resolve("bomb.zip");
    byte[] zeros = new byte[1 << 20];
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
      z.setLevel(Deflater.BEST_COMPRESSION);
      z.putNextEntry(new ZipEntry("configuration.json"));
      z.write("{}".getBytes(StandardCharsets.UTF_8));
      z.closeEntry();
      z.putNextEntry(new ZipEntry("coefficients.bin"));
      for (int i = 0; i < 1536; i++) { // 1.5 GiB
        z.write(zeros);
      }
      z.closeEntry();
    }
    assertTrue(Files.size(f) < 3 << 20, "the bomb is small: " + Files.size(f));
    String m = refusal(f);
    assertTrue(m.contains("coefficients.bin") && m.contains("zip bomb"), m);

    // many small entries: more than any model has
    Path many = tmp.resolve("many.zip");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(many))) {
      z.putNextEntry(new ZipEntry("configuration.json"));
      z.closeEntry();
      z.putNextEntry(new ZipEntry("coefficients.bin"));
      z.closeEntry();
      for (int i = 0; i < 10_001; i++) {
        z.putNextEntry(new ZipEntry("e" + i));
        z.closeEntry();
      }
    }
    m = refusal(many);
    assertTrue(m.contains("more than 10000 entries"), m);
  }

  @Test
  void aFileThatIsNotAZipSaysSo() throws Exception {
    Path f = Files.writeString(tmp.resolve("teacher.zip"), "not a zip at all");
    java.io.IOException e = assertThrows(java.io.IOException.class,
        () -> ModelFiles.readZip(f));
    assertTrue(e.getMessage().contains("not a zip file"), e.getMessage());
  }

  @Test
  void theProcessWideFilterRefusesWhatIsNotAllowed() throws Exception {
    ModelFiles.installSerialFilter();
    assertEquals(ModelFiles.FILTER, java.io.ObjectInputFilter.Config.getSerialFilter());
    byte[] s = serialize(new HashMap<>(Map.of("k", "v")));
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(s))) {
      InvalidClassException e = assertThrows(InvalidClassException.class, in::readObject);
      assertTrue(e.getMessage().contains("REJECTED"), e.getMessage());
    }
    // what the allow-list has still reads
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(
        serialize(new float[] {1, 2})))) {
      assertEquals(2, ((float[]) in.readObject()).length);
    }
  }
}
