package org.reffakd.nn.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The content-addressed store: named by content, idempotent, verified on every read. */
class ArtifactStoreTest {

  @TempDir
  Path tmp;

  /** A stored file that does not match its name is replaced on the next put, not kept. */
  @Test
  void aCorruptStoredCopyIsReplacedOnWrite(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) throws Exception {
    ArtifactStore store = new ArtifactStore(dir.resolve("store"));
    java.nio.file.Path f = java.nio.file.Files.writeString(dir.resolve("encoder.ckpt"),
        "the weights");
    String sha = store.put(f);
    java.nio.file.Path stored = store.get(sha);
    for (String bad : new String[] {"corrupt", ""}) {
      java.nio.file.Files.writeString(stored, bad);
      org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
          () -> store.get(sha));
      org.junit.jupiter.api.Assertions.assertEquals(sha, store.put(f));
      org.junit.jupiter.api.Assertions.assertEquals("the weights",
          java.nio.file.Files.readString(store.get(sha)));
    }
    // a folder in its place is named, not skipped
    java.nio.file.Files.delete(stored);
    java.nio.file.Files.createDirectories(stored);
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalStateException.class, () -> store.put(f));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("is a folder"),
        e.getMessage());
  }

  @Test
  void filesAreNamedByTheirContentAndCheckedOnRead() throws Exception {
    ArtifactStore store = new ArtifactStore(tmp.resolve("store"));
    Path a = Files.writeString(tmp.resolve("a.ckpt"), "encoder weights");
    Path b = Files.writeString(tmp.resolve("b.ckpt"), "encoder weights");
    String sha = store.put(a);
    // sha256("encoder weights"), computed independently with sha256sum
    assertEquals("c6bc468a8f3dd3f8eae0595d57e351af612461a2a3b938174a9d6d4d4b87b0f3", sha);
    assertEquals(sha, store.put(b), "same content, same name");
    assertTrue(store.contains(sha));
    assertEquals("encoder weights", Files.readString(store.get(sha)));
    assertEquals(tmp.resolve("store/sha256").resolve(sha.substring(0, 2)).resolve(sha),
        store.get(sha));

    Files.writeString(store.get(sha), "tampered");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.get(sha));
    assertTrue(e.getMessage().contains("corrupt"), e.getMessage());

    String missing = "0".repeat(64);
    assertFalse(store.contains(missing));
    IllegalArgumentException m = assertThrows(IllegalArgumentException.class,
        () -> store.get(missing));
    assertTrue(m.getMessage().contains("--artifacts"), m.getMessage());
    assertThrows(IllegalArgumentException.class, () -> store.get("../../etc/passwd"));
  }
}
