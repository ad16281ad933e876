package org.reffakd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reffakd.backend.ImageBatch;
import org.reffakd.nn.prep.Augmentation;
import org.reffakd.nn.prep.BatchAssembler;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.nn.run.RunData;
import org.reffakd.nn.run.RunResult;

/**
 * {@code reffakd export}: a real run's student as a DL4J zip that Deeplearning4j alone (a child
 * JVM with none of this project's classes) loads, and whose accuracy on the run's test set is
 * the run's reported last accuracy; the same zip then serves as a kd teacher.
 */
class ExportCommandTest {

  @TempDir
  Path tmp;

  @Test
  void theExportedStudentScoresTheRunsAccuracyInDl4jAlone() throws Exception {
    Path data = tmp.resolve("fmnist");
    org.reffakd.nn.run.FashionSubset.writeIdx(data, 1000, 300);
    Path run = tmp.resolve("run");
    Cli.shortCeRun(data, run, 100);
    Path zip = tmp.resolve("student.zip");
    assertEquals(0, Main.execute("export", run.toString(), "--out", zip.toString()));
    double last = RunResult.read(run.resolve("result.json")).accuracy().lastTest();

    // the run's test set, as the run fed it (resized, normalised), in DL4J's NCHW layout
    RunConfig cfg = RunConfig.read(run.resolve("config.json"));
    RunData d = RunData.load(cfg, System.out);
    int n = d.testImages().count();
    int[] order = java.util.stream.IntStream.range(0, n).toArray();
    int[] labels = new int[n];
    ImageBatch x = new BatchAssembler(d.testImages(), d.norm(), Augmentation.NONE)
        .batch(order, 0, n, 0, 0, null, labels).to(ImageBatch.Layout.NCHW);
    File in = tmp.resolve("in.bin").toFile();
    try (DataOutputStream o = new DataOutputStream(new BufferedOutputStream(
        new java.io.FileOutputStream(in)))) {
      o.writeInt(n);
      o.writeInt(x.channels());
      o.writeInt(x.height());
      o.writeInt(x.width());
      for (int i = 0; i < x.size(); i++) {
        o.writeFloat(x.data()[i]);
      }
    }
    File out = tmp.resolve("out.bin").toFile();
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-Xmx1g", "-cp", org.reffakd.dl4j.ChildJvm.dl4jOnlyClassPath(), "org.reffakd.dl4j.Dl4jZipPredict",
        zip.toString(), in.toString(), out.toString()).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(5, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), log);
    assertTrue(log.contains("classpath-has-reffakd-main=false"), log);
    long hits = 0;
    try (DataInputStream r = new DataInputStream(new BufferedInputStream(
        new java.io.FileInputStream(out)))) {
      assertEquals(n, r.readInt());
      int k = r.readInt();
      assertEquals(10, k);
      for (int i = 0; i < n; i++) {
        int best = 0;
        float bestZ = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
          float z = r.readFloat();
          if (z > bestZ) {
            bestZ = z;
            best = j;
          }
        }
        hits += best == labels[i] ? 1 : 0;
      }
    }
    double acc = (double) hits / n;
    assertTrue(last > 0.3, "the run did not learn: " + last);
    // the same model in two runtimes: logits agree to ~1e-6 relative (Dl4jExportTest), so a
    // top-1 can differ only where an image's two best logits are that close (expected count
    // over 300 images ~3e-4); the tolerance admits no flip, at any vector width
    assertEquals(last, acc, 0.001, "DL4J's accuracy on the run's test set");

    // the zip as a kd teacher (another engine's model file)
    Path kd = tmp.resolve("kd");
    assertEquals(0, Main.execute("run", "--data", data.toString(), "--loss", "kd",
        "--teacher", zip.toString(), "--epochs", "1", "--ae-epochs", "0", "--val-size", "100",
        "--direct", "--no-dashboard", "--out", kd.toString()));
    String result = Files.readString(kd.resolve("result.json"));
    assertTrue(result.contains("\"format\" : \"model-file\""), result);
  }
}
