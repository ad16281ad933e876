package org.reffakd.nn.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ids are names, never paths: the one helper every id-to-folder step goes through. */
class RunIdsTest {

  @TempDir
  Path tmp;

  @Test
  void plainNamesPassAnythingPathLikeIsRefused() {
    for (String ok : List.of("a", "run-1", "fashion-mnist-reffakd-1a2b3c4d", "s0f-ce_x+y.z",
        "9", "x".repeat(200))) {
      assertTrue(RunIds.valid(ok), ok);
      assertEquals(ok, RunIds.check("run id", ok));
    }
    for (String bad : List.of(".", "..", "../x", "x/..", "a/b", "a\\b", "/abs", ".hidden",
        "-x", "_x", "", " ", "a b", "a..b", "x".repeat(201), "a\u0000b", "é", "%2e%2e",
        "C:x", "a\nb")) {
      assertFalse(RunIds.valid(bad), bad);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> RunIds.check("job id", bad));
      assertTrue(e.getMessage().startsWith("malformed job id"), e.getMessage());
    }
    assertFalse(RunIds.valid(null));
  }

  @Test
  void aResolvedFolderStaysDirectlyUnderTheRoot() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("runs"));
    assertEquals(root.toAbsolutePath().normalize().resolve("r1"),
        RunIds.resolve(root, "run id", "r1"));
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.createSymbolicLink(root.resolve("link"), outside);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RunIds.resolve(root, "run id", "link"));
    assertTrue(e.getMessage().contains("leads outside"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RunIds.resolve(root, "run id", ".."));
  }
}
