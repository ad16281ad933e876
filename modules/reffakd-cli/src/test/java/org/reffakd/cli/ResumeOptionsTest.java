package org.reffakd.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.reffakd.nn.run.FashionIdx;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.nn.run.RunResult;

/**
 * {@code run --resume DIR} with other options: --epochs raises the budget, options that change
 * nothing computed pass, the rest is refused by name; a run that failed its pre-flight is
 * rescued by --resume with other soft-label options or by --out again.
 */
class ResumeOptionsTest {

  @TempDir
  static Path tmp;
  /** About 30 images a class: soft_per_class 40 fails. */
  @RegisterExtension
  static final FashionIdx data = new FashionIdx(() -> tmp, 300, 100);

  private static Cli fresh(Path dir, String... more) {
    List<String> a = new ArrayList<>(List.of("run", "--direct", "--data", data.dir().toString(),
        "--val-size", "100", "--ae-epochs", "1", "--epochs", "1", "--batch-size", "64",
        "--threads", "1", "--out", dir.toString()));
    a.addAll(List.of(more));
    return Cli.run(a.toArray(String[]::new));
  }

  private static Cli resume(Path dir, String... more) {
    List<String> a = new ArrayList<>(List.of("run", "--direct", "--resume", dir.toString()));
    a.addAll(List.of(more));
    return Cli.run(a.toArray(String[]::new));
  }

  private static void refused(Cli r, String message) {
    assertEquals(1, r.rc(), r.printed());
    assertEquals("reffakd: error: " + message, r.err().strip());
  }

  @Test
  void resumeChangesWhatItMayAndRefusesTheRestByName() throws Exception {
    Path dir = tmp.resolve("run");
    Cli r = fresh(dir);
    assertEquals(1, r.rc());
    assertTrue(r.err().startsWith("reffakd: error: soft_per_class 40 needs 40 training images"),
        r.err());
    // the soft labels were never computed: --resume may change their options
    r = resume(dir, "--soft-per-class", "5");
    assertEquals(0, r.rc(), r.printed());
    assertEquals(5, RunConfig.read(dir.resolve("config.json")).soft().perClass());
    assertEquals(1, RunResult.read(dir.resolve("result.json")).history().size());

    // more epochs continue the student; --threads changes nothing computed
    r = resume(dir, "--epochs", "2", "--threads", "2");
    assertEquals(0, r.rc(), r.printed());
    RunResult two = RunResult.read(dir.resolve("result.json"));
    assertEquals(2, two.epochs());
    assertEquals(2, two.history().size());

    byte[] result = Files.readAllBytes(dir.resolve("result.json"));
    refused(resume(dir, "--seed", "9"),
        "--seed cannot change on --resume: the run was trained with seed 42");
    refused(resume(dir, "--soft-per-class", "6"), "--soft-per-class cannot change on --resume:"
        + " the soft labels were computed with soft_per_class 5 (" + dir.resolve(
        "soft_labels.csv") + ")");
    refused(resume(dir, "--alpha", "0.3"),
        "--alpha cannot change on --resume: the run was trained with alpha 0.5");
    refused(resume(dir, "--val-size", "50"),
        "--val-size cannot change on --resume: the run was trained with val_size 100");
    refused(resume(dir, "--epochs", "1"), "--epochs can only be raised on --resume: the run "
        + "was set to 2 epochs, got 1");
    refused(resume(dir, "--out", tmp.resolve("elsewhere").toString()),
        "--out cannot be used with --resume: the run directory is " + dir);

    // resuming the finished run changes nothing
    r = resume(dir);
    assertEquals(0, r.rc(), r.printed());
    assertTrue(r.out().contains("run already finished"), r.out());
    assertArrayEquals(result, Files.readAllBytes(dir.resolve("result.json")));
  }

  /** Every file under a folder with its bytes' SHA-256 and time stamp. */
  private static java.util.Map<String, String> snapshot(Path dir) throws Exception {
    java.util.Map<String, String> m = new java.util.TreeMap<>();
    try (var s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        m.put(dir.relativize(p).toString(), org.reffakd.nn.run.ArtifactStore.sha256(p) + " "
            + Files.getLastModifiedTime(p).toMillis());
      }
    }
    return m;
  }

  @Test
  void aFinishedRunIsNeverRecomputedUnderAnotherConfig() throws Exception {
    Path dir = tmp.resolve("finished");
    Cli r = fresh(dir, "--soft-per-class", "5");
    assertEquals(0, r.rc(), r.printed());
    java.util.Map<String, String> before = snapshot(dir);
    // the default engine is left out of config.json: a change of it is a change all the same
    refused(resume(dir, "--engine", "dl4j"),
        "--engine cannot change on --resume: the run was trained with engine java");
    refused(resume(dir, "--ae-pool", "all"),
        "--ae-pool cannot change on --resume: the run was trained with ae_pool labelled");
    refused(resume(dir, "--kl-reduction", "batchmean"), "--kl-reduction cannot change on "
        + "--resume: the run was trained with the default KL reduction (reference)");
    refused(resume(dir, "--image-size", "40"),
        "--image-size cannot change on --resume: the run was trained with image_size 32");
    refused(resume(dir, "--lr", "0.2"),
        "--lr cannot change on --resume: the run was trained with lr 0.1");
    // what changes nothing computed leaves every file as it is
    r = resume(dir, "--threads", "2");
    assertEquals(0, r.rc(), r.printed());
    assertTrue(r.out().contains("run already finished"), r.out());
    assertEquals(before, snapshot(dir));
  }

  @Test
  void aDirectRunPutsItsArtefactsWhereArtifactsSays() throws Exception {
    Path store = tmp.resolve("store");
    Path dir = tmp.resolve("direct").resolve("run");
    Cli r = fresh(dir, "--soft-per-class", "5", "--artifacts", store.toString());
    assertEquals(0, r.rc(), r.printed());
    assertTrue(Files.isDirectory(store.resolve("sha256")), "nothing in " + store);
    assertTrue(!Files.exists(dir.getParent().resolve("artifacts")),
        "the default store beside --out was used");
  }

  @Test
  void aRunThatFailedItsPreflightCanBeStartedAgainWithOut() {
    Path dir = tmp.resolve("again");
    assertEquals(1, fresh(dir).rc());
    Cli r = fresh(dir, "--soft-per-class", "5");
    assertEquals(0, r.rc(), r.printed());
    // a directory with a run in it is still refused
    r = fresh(dir, "--soft-per-class", "5");
    assertEquals(1, r.rc());
    assertTrue(r.err().contains("already holds a run"), r.err());
  }
}
