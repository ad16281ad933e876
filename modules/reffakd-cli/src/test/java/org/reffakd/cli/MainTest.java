package org.reffakd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reffakd.nn.run.RunConfig;

class MainTest {

  @TempDir
  Path tmp;

  @Test
  void writeConfigRoundTrips() throws Exception {
    Path f = tmp.resolve("c.json");
    int rc = Main.execute("run", "--data", tmp.toString(), "--alpha", "0.3", "--epochs", "7",
        "--kl-reduction", "batchmean", "--write-config", f.toString());
    assertEquals(0, rc);
    RunConfig c = RunConfig.read(f);
    assertEquals("0.3", c.objective().params().get("alpha"));
    assertEquals("5", c.objective().params().get("temperature"));
    assertEquals(7, c.student().epochs());
    assertEquals("batchmean", c.objective().params().get("reffakd.reduction"));
    assertEquals(tmp.toString(), c.input().dir());
    // and --config reads it back, flags still override
    Path g = tmp.resolve("d.json");
    assertEquals(0, Main.execute("run", "--config", f.toString(), "--seed", "9",
        "--write-config", g.toString()));
    RunConfig d = RunConfig.read(g);
    assertEquals(9, d.seed());
    assertEquals(7, d.student().epochs());
  }

  @Test
  void aYamlConfigIsReadLikeJson() throws Exception {
    Path y = tmp.resolve("run.yaml");
    Files.writeString(y, "dataset: fashion-mnist\ndata: " + tmp + "\nimage_size: 32\n"
        + "arch: lenet5bn\nae_epochs: 2\nae_lr: 0.1\nae_schedule: step\n"
        + "ae_val_fraction: 0.1\nepochs: 4\nbatch_size: 128\nlr: 0.1\nmomentum: 0.9\n"
        + "weight_decay: 0.0005\nschedule: cosine\naugment: true\nloss: ce\n"
        + "loss_params: {}\nteacher: null\nplugins: []\nsoft_per_class: 40\n"
        + "soft_diagonal_boost: null\nsoft_temperature: 1.0\nsoft_centered: false\n"
        + "seed: 3\nthreads: 1\n");
    Path out = tmp.resolve("y.json");
    assertEquals(0, Main.execute("run", "--config", y.toString(), "--write-config",
        out.toString()));
    RunConfig c = RunConfig.read(out);
    assertEquals(4, c.student().epochs());
    assertEquals("ce", c.objective().name());
    assertEquals(3, c.seed());
  }

  @Test
  void dashboardTokenComesFromTheFlagOrReffakdToken() {
    DashboardFlags none = new DashboardFlags();
    picocli.CommandLine.populateCommand(none);
    assertEquals("from-env", none.token(java.util.Map.of("REFFAKD_TOKEN", "from-env")));
    assertEquals(null, none.token(java.util.Map.of()));
    assertEquals(null, none.token(java.util.Map.of("REFFAKD_TOKEN", " ")));
    DashboardFlags flag = new DashboardFlags();
    picocli.CommandLine.populateCommand(flag, "--token", "from-flag");
    assertEquals("from-flag", flag.token(java.util.Map.of("REFFAKD_TOKEN", "from-env")));
    // serve beyond loopback without either: one line naming both
    if (System.getenv("REFFAKD_TOKEN") == null) {
      Cli r = Cli.run("serve", "--host", "0.0.0.0", "--port", "0", "--runs", tmp.toString());
      String err = r.err();
      assertEquals(1, r.rc(), err);
      assertTrue(err.contains("--token or REFFAKD_TOKEN"), err);
    }
    String help = new picocli.CommandLine(new ServeCommand()).getUsageMessage();
    assertTrue(help.contains("REFFAKD_TOKEN") && help.contains("/login?token="), help);
  }

  @Test
  void badParameterIsOneClearLineAndNonZeroExit() {
    Cli r = Cli.run("run", "--data", tmp.toString(),
        "--alpha", "1.5", "--write-config", tmp.resolve("x.json").toString());
    String err = r.err();
    assertEquals(1, r.rc());
    assertTrue(err.contains("reffakd: parameter alpha must be in [0, 1], got 1.5"), err);
    assertEquals(1, err.strip().lines().count(), err);
  }

  @Test
  void corruptDatasetNamesTheFile() throws Exception {
    Files.write(tmp.resolve("train-images-idx3-ubyte"), new byte[] {0, 0, 8, 1, 0, 0});
    Files.write(tmp.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 0});
    Files.write(tmp.resolve("t10k-images-idx3-ubyte"), new byte[] {0});
    Files.write(tmp.resolve("t10k-labels-idx1-ubyte"), new byte[] {0});
    Cli r = Cli.run("run", "--data", tmp.toString(),
        "--no-dashboard", "--out", tmp.resolve("run").toString());
    String err = r.err();
    assertEquals(1, r.rc());
    assertTrue(err.contains("train-images-idx3-ubyte"), err);
    assertTrue(err.startsWith("reffakd: error: "), err);
  }

  @Test
  void unknownLossAndUnknownOptionFail() {
    assertEquals(1, Main.execute("run", "--data", tmp.toString(), "--loss", "nope",
        "--write-config", tmp.resolve("y.json").toString()));
    assertEquals(2, Main.execute("run", "--no-such-flag"));
    assertEquals(1, Main.execute("bench", "--runs", "0"));
  }

  @Test
  void aMissingPluginFolderFailsAndABrokenJarIsNamed() throws Exception {
    Path missing = tmp.resolve("no-such-dir");
    Cli r = Cli.run("run", "--data", tmp.toString(),
        "--plugins", missing.toString(), "--write-config", tmp.resolve("m.json").toString());
    String err = r.err();
    assertEquals(1, r.rc(), err);
    assertTrue(err.contains("plugin folder " + missing + " does not exist"), err);
    Path dir = Files.createDirectories(tmp.resolve("plugins"));
    Path jar = Files.writeString(dir.resolve("broken.jar"), "this is not a zip file");
    // the run's loss is not found: the run fails, naming the broken jar
    r = Cli.run("run", "--data", tmp.toString(), "--plugins",
        dir.toString(), "--loss", "mine", "--write-config", tmp.resolve("b.json").toString());
    err = r.err();
    assertEquals(1, r.rc(), err);
    assertTrue(err.contains("unknown loss 'mine'") && err.contains(jar.toString()), err);
    // the run's loss is found elsewhere: a warning naming the jar, and the run goes on
    r = Cli.run("run", "--data", tmp.toString(), "--plugins",
        dir.toString(), "--write-config", tmp.resolve("w.json").toString());
    err = r.err();
    assertEquals(0, r.rc(), err);
    assertTrue(err.contains("warning: plugin not loaded: " + jar), err);
  }

  @Test
  void lossesThatNeedATeacherFailAtStartWithoutOne() {
    Cli r = Cli.run("run", "--data", tmp.toString(),
        "--loss", "dkd", "--no-dashboard", "--out", tmp.resolve("r").toString());
    String err = r.err();
    assertEquals(1, r.rc());
    assertTrue(err.contains("needs a teacher") && err.contains("--teacher DIR"), err);
    assertTrue(!Files.exists(tmp.resolve("r").resolve("checkpoints")), "nothing trained");
  }

  @Test
  void anEpochListIsAStudysAxisAndAFractionThatStarvesTheDrawIsRefusedBeforeAnything()
      throws Exception {
    Cli r = Cli.run("run", "--data", tmp.toString(),
        "--epochs", "10,30", "--write-config", tmp.resolve("e.json").toString());
    String err = r.err();
    assertEquals(1, r.rc(), err);
    assertTrue(err.contains("--epochs 10,30: one number here"), err);
    // --ae-pool is recorded in the config
    assertEquals(0, Main.execute("run", "--data", tmp.toString(), "--ae-pool", "all",
        "--write-config", tmp.resolve("p.json").toString()));
    assertEquals("all", org.reffakd.nn.run.RunConfig.read(tmp.resolve("p.json")).autoencoder().pool());
    Path data = tmp.resolve("fmnist-starve");
    org.reffakd.nn.run.FashionSubset.writeIdx(data, 1000, 200);
    Path out = tmp.resolve("starve");
    // 2% of 900 pool images is about 2 a class: the paper draw (40 a class) cannot come from them
    r = Cli.run("study", "--data", data.toString(), "--losses",
        "ce,reffakd", "--variants", "paper", "--train-fraction", "0.02", "--epochs", "1,2",
        "--val-size", "100", "--no-dashboard", "--out", out.toString());
    err = r.err();
    assertEquals(1, r.rc(), err);
    assertTrue(err.contains("train_fraction 0.02 leaves class '")
        && err.contains("fewer than soft_per_class 40"), err);
    assertTrue(!Files.exists(out.resolve("kafka")), "refused before the platform started");
    r = Cli.run("study", "--data", data.toString(),
        "--epochs-at", "0.02-40", "--out", out.toString());
    err = r.err();
    assertEquals(1, r.rc(), err);
    assertTrue(err.contains("--epochs-at 0.02-40: expected FRACTION:EPOCHS"), err);
  }

  @Test
  void aTinyStudyFromTheCommandLine() throws Exception {
    Path data = tmp.resolve("fmnist-study");
    org.reffakd.nn.run.FashionSubset.writeIdx(data, 1000, 200);
    Path out = tmp.resolve("study");
    String[] study = {"study", "--data", data.toString(), "--losses",
        "ce,label-smoothing,reffakd", "--variants", "paper,clean", "--seeds", "2", "--epochs",
        "1", "--ae-epochs", "1", "--val-size", "100", "--grid", "alpha=0.3,0.7",
        "--no-dashboard", "--out", out.toString()};
    assertEquals(0, Main.execute(study));
    // ce and label-smoothing once per seed; reffakd per variant and alpha
    java.util.List<String> rows = Files.readAllLines(out.resolve("results.csv"));
    assertEquals(1 + 2 * (2 + 2 * 2), rows.size(), String.join("\n", rows));
    String report = Files.readString(out.resolve("report.md"));
    assertTrue(report.contains("reffakd/clean/alpha=0.3") && report.contains("label-smoothing"),
        report);
    assertTrue(Files.isRegularFile(out.resolve("soft-labels/clean-seed2/similarity.csv")));
    // every job has a result: the study's own broker data is gone, and the same command again
    // finds everything in OUT (nothing trains, the same rows)
    assertFalse(Files.exists(out.resolve("kafka")), "broker data deleted");
    String again = Cli.run(study).out();
    assertTrue(again.contains("(0 run now, 12 found done)"), again);
    assertEquals(rows, Files.readAllLines(out.resolve("results.csv")));
    // a bad option fails before anything trains, naming it
    String err = Cli.run("study", "--data", data.toString(), "--losses",
        "ce,nope", "--out", tmp.resolve("study2").toString()).err();
    assertTrue(err.contains("nope"), err);
    assertTrue(!Files.exists(tmp.resolve("study2").resolve("autoencoders")), "nothing trained");
  }

  @Test
  void ingestThenRunFromTheTopicOfAnEmbeddedBroker() throws Exception {
    Path data = tmp.resolve("fmnist");
    org.reffakd.nn.run.FashionSubset.writeIdx(data, 1200, 300);
    Path broker = tmp.resolve("broker");
    assertEquals(0, Main.execute("ingest", "--data", data.toString(), "--kafka-dir",
        broker.toString()));
    Path run = tmp.resolve("run");
    // from the topic: no --data, and no data folder in the config
    assertEquals(0, Main.execute("run", "--dataset", "fashion-mnist", "--kafka-dir",
        broker.toString(), "--from-topic", "--no-dashboard", "--ae-epochs", "1", "--epochs", "1",
        "--val-size", "200",
        "--out",
        run.toString()));
    java.util.Map<?, ?> result = new com.fasterxml.jackson.databind.ObjectMapper().readValue(
        run.resolve("result.json").toFile(), java.util.Map.class);
    assertEquals("fashion-mnist", result.get("dataset"));
    assertTrue(Files.isRegularFile(run.resolve("metrics.csv")));
    assertEquals(null, org.reffakd.nn.run.RunConfig.read(run.resolve("config.json")).input().dir());
  }

  /** Bytes under the samples topic's log folder(s) of an embedded broker's data folder. */
  private static long samplesLogBytes(Path kafkaDir) throws Exception {
    try (java.util.stream.Stream<Path> s = Files.walk(kafkaDir)) {
      return s.filter(f -> f.toString().contains("reffakd.fashion-mnist.samples-")
          && f.getFileName().toString().endsWith(".log")).mapToLong(f -> {
            try {
              return Files.size(f);
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }).sum();
    }
  }

  @Test
  void aResumedRunReusesItsTopicAndAFinishedRunLeavesNoBrokerData() throws Exception {
    Path data = tmp.resolve("fmnist");
    org.reffakd.nn.run.FashionSubset.writeIdx(data, 1200, 300);
    Path run = tmp.resolve("run");
    String[] args = {"run", "--data", data.toString(), "--no-dashboard", "--ae-epochs", "1",
        "--epochs", "1", "--val-size", "200", "--out", run.toString(), "--keep-kafka"};
    Cli r = Cli.run(args);
    String out = r.out();
    assertEquals(0, r.rc(), out);
    assertTrue(out.contains("ingest: 1500 images to reffakd.fashion-mnist.samples"), out);
    long log = samplesLogBytes(run.resolve("kafka"));
    assertTrue(log > 1500 * 784, "samples log " + log + " bytes");

    // a finished run resumes to nothing; one more epoch makes a resume that trains
    r = Cli.run("run", "--resume", run.toString(),
        "--epochs", "2", "--no-dashboard", "--keep-kafka");
    out = r.out();
    assertEquals(0, r.rc(), out);
    assertTrue(out.contains("ingest: skipped, reffakd.fashion-mnist.samples already holds "
        + "these 1500 images"), out);
    assertEquals(log, samplesLogBytes(run.resolve("kafka")), "the samples log did not grow");

    // without --keep-kafka, a finished run's own broker data goes
    r = Cli.run("run", "--resume", run.toString(),
        "--epochs", "3", "--no-dashboard");
    out = r.out();
    assertEquals(0, r.rc(), out);
    assertTrue(out.contains("ingest: skipped"), out);
    assertTrue(out.contains("kafka: deleted the run's broker data"), out);
    assertFalse(Files.exists(run.resolve("kafka")), "RUN_DIR/kafka deleted");
    assertTrue(Files.isRegularFile(run.resolve("result.json")));
  }

  @Test
  void anUnreachableKafkaIsOneLineNamingTheAddressWithinSeconds() throws Exception {
    Path data = tmp.resolve("fmnist");
    org.reffakd.nn.run.FashionSubset.writeIdx(data, 100, 50);
    for (String[] args : List.of(
        new String[] {"run", "--data", data.toString(), "--kafka", "127.0.0.1:1",
            "--no-dashboard", "--out", tmp.resolve("r").toString()},
        new String[] {"submit", "--data", data.toString(), "--kafka", "127.0.0.1:1"})) {
      long t0 = System.nanoTime();
      Cli r = Cli.run(args);
      String err = r.err();
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertEquals(1, r.rc(), err);
      assertTrue(seconds < 15, args[0] + " took " + seconds + " s");
      assertEquals("reffakd: error: cannot reach Kafka at 127.0.0.1:1: no broker answered "
          + "within 10000 ms", err.strip(), args[0]);
    }
  }

  @Test
  void pluginsListsTheBuiltIns() {
    Cli r = Cli.run("plugins");
    assertEquals(0, r.rc());
    String out = r.out();
    for (String name : new String[] {"ce", "reffakd", "kd", "dkd", "reffakd-dkd", "tfkd-reg",
        "label-smoothing"}) {
      assertTrue(out.lines().anyMatch(l -> l.startsWith(name + " ")), name + " in\n" + out);
    }
    assertTrue(out.contains("--param alpha=0.5") && out.contains("built-in"), out);
  }

  /**
   * The help texts read the run defaults from RunConfig.defaults (their one home), so they
   * cannot drift from what a run uses: every default shown for run is the config's.
   */
  @Test
  void runHelpShowsTheConfigsOwnDefaults() {
    org.reffakd.nn.run.RunConfig d = org.reffakd.nn.run.RunConfig.defaults("fashion-mnist");
    String help = Cli.run("run", "--help").out().replaceAll("\\s+", " ");
    for (String expect : new String[] {
        "autoencoder epochs (default " + d.autoencoder().epochs() + ";",
        "student epochs (default " + d.student().epochs() + ";",
        "batch size (default " + d.student().batchSize() + ")",
        "learning rate (default " + d.student().lr() + ")",
        "random seed (default " + d.seed() + ")", "(default " + d.objective().name() + ")",
        "(default " + d.softVariant() + ")", "0 = none (default " + d.input().valSize() + ")"}) {
      assertTrue(help.contains(expect), expect + " not in: " + help);
    }
    assertTrue(!help.contains("${sys:"), help);
    // the teacher shares the route and training options (mixins): the same defaults
    String teacher = Cli.run("teacher", "--help").out()
        .replaceAll("\\s+", " ");
    for (String expect : new String[] {"random seed (default " + d.seed() + ")",
        "learning rate (default " + d.student().lr() + ")",
        "0 = none (default " + d.input().valSize() + ")",
        "(default " + d.student().schedule() + ")"}) {
      assertTrue(teacher.contains(expect), expect + " not in: " + teacher);
    }
  }
}
