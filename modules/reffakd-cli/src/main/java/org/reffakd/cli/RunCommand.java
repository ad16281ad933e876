package org.reffakd.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.reffakd.nn.run.DirectRun;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.nn.run.RunDir;
import org.reffakd.nn.run.RunResult;
import org.reffakd.nn.train.EpochRow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code reffakd run}: one ReffAKD run end to end, through the platform. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Train the autoencoder, compute soft labels, train the student; write a run "
            + "directory with config.json, metrics.csv, autoencoder_metrics.csv, "
            + "similarity.csv, soft_labels.csv, checkpoints/ and result.json.",
        "By default the run goes through the platform: an embedded Kafka broker starts in "
            + "this JVM (data under RUN_DIR/kafka, deleted when the run finishes unless "
            + "--keep-kafka), the dataset is ingested to its samples topic (skipped when the "
            + "topic already holds it, as on --resume), and the stage verticles train from "
            + "the topic; --kafka uses an external "
            + "cluster instead, --direct skips Vert.x and Kafka (same results). The live "
            + "dashboard is served on 127.0.0.1:8080 while the run trains (--port, "
            + "--no-dashboard).",
        "Unset options take their value from --config, from --resume's config.json, or "
            + "from the defaults shown. Exits non-zero on any failure."})
final class RunCommand implements Callable<Integer> {

  @Mixin
  RunOptions options;
  @Mixin
  KafkaOptions kafka;
  @Mixin
  DashboardFlags web;
  @Option(names = "--no-dashboard", description = "do not serve the live dashboard while the "
      + "run trains")
  boolean noDashboard;
  @Option(names = "--resume", paramLabel = "RUN_DIR", description = "continue an interrupted run "
      + "from its checkpoints with its config.json; a finished run is left as it is. Other "
      + "options: --threads, --plugins and the dashboard and Kafka flags may change; --epochs "
      + "may be raised (the student continues; a cosine or step schedule is recomputed for "
      + "the new total from the resumed epoch on); the soft-label options may change while the "
      + "soft labels were never computed; any other change is refused, naming the option")
  Path resume;
  @Option(names = "--out", paramLabel = "DIR", description = "run directory (default: "
      + "runs/<dataset>-<loss>-seed<seed>-<time>)")
  Path out;
  @Option(names = "--write-config", paramLabel = "FILE", description = "write the effective "
      + "config to FILE and exit without training")
  Path writeConfig;
  @Option(names = "--from-topic", description = "train from the dataset's samples topic as it "
      + "is (already ingested, e.g. with 'reffakd ingest --kafka ...'): no ingest, and no "
      + "--data needed")
  boolean fromTopic;
  @Option(names = "--keep-kafka", description = "keep the embedded broker's data (RUN_DIR/kafka)"
      + " when the run finishes; by default it is deleted (kept after a failure, for --resume;"
      + " never deleted with --kafka or --kafka-dir)")
  boolean keepKafka;
  @Option(names = "--direct", description = "run the stages in this thread from the files, "
      + "without Vert.x and Kafka (same results; for debugging and benchmarks)")
  boolean direct;

  @Override
  public Integer call() {
    Path runDir;
    RunConfig cfg;
    options.common.dataFromTopic = fromTopic;
    if (resume != null) {
      Path cfgFile = resume.resolve("config.json");
      if (!Files.isRegularFile(cfgFile)) {
        throw new IllegalArgumentException("--resume " + resume + ": no config.json there");
      }
      if (options.common.config != null) {
        throw new IllegalArgumentException("--config cannot be used with --resume: the run "
            + "continues with " + cfgFile);
      }
      if (out != null) {
        throw new IllegalArgumentException("--out cannot be used with --resume: the run "
            + "directory is " + resume);
      }
      RunConfig was = RunConfig.read(cfgFile);
      cfg = RunOptions.checked(ResumeRules.check(was, options.over(options.common.over(was)),
          resume, options.softVariant != null));
      runDir = resume;
    } else {
      cfg = options.resolve();
      runDir = null;
    }
    if (writeConfig != null) {
      cfg.write(writeConfig);
      System.out.println("config written to " + writeConfig);
      return 0;
    }
    if (direct && (fromTopic || kafka.bootstrap != null)) {
      throw new IllegalArgumentException("--direct runs without Kafka: it cannot be combined "
          + "with --kafka or --from-topic");
    }
    if (fromTopic && kafka.bootstrap == null && kafka.embeddedDir == null) {
      throw new IllegalArgumentException("--from-topic needs a broker that holds the topic: "
          + "--kafka host:port, or --kafka-dir DIR of an embedded broker used by 'reffakd "
          + "ingest --kafka-dir DIR'");
    }
    if (runDir == null) {
      runDir = out != null ? out : Path.of("runs", cfg.dataset() + "-"
          + cfg.objective().name().replaceAll("[^A-Za-z0-9.-]", "_") + "-seed" + cfg.seed() + "-"
          + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
      if (holdsARun(runDir)) {
        throw new IllegalArgumentException("--out " + runDir + " already holds a run; use "
            + "--resume " + runDir + " to continue it, or choose another directory");
      }
    }
    System.out.println("run directory: " + runDir);
    RunResult finished = RunDir.finished(cfg, runDir);
    if (finished != null) {
      System.out.println("run already finished: " + runDir.resolve("result.json")
          + " (nothing to do)");
    }
    RunResult result = finished != null ? finished : direct
        ? new DirectRun(cfg, runDir, kafka.artifacts != null
            ? new org.reffakd.nn.run.ArtifactStore(kafka.artifacts)
            : RunDir.defaultStore(runDir), new ConsoleProgress(System.out), System.out)
            .execute()
        : PlatformRun.run(cfg, runDir, kafka, fromTopic, web, !noDashboard, keepKafka);
    EpochRow.Selection acc = result.accuracy();
    System.out.printf("done: %s on %s, test accuracy %s best %.4f (epoch %d, the best test "
            + "epoch), last %.4f; result in %s%n", result.loss(), result.dataset(),
        acc.bestValEpoch() > 0 ? String.format("at the best validation epoch (%d) %.4f;",
            acc.bestValEpoch(), acc.testAtBestVal()) : "",
        acc.bestTest(), acc.bestTestEpoch(), acc.lastTest(), runDir.resolve("result.json"));
    return 0;
  }

  /**
   * Whether a directory holds a run to resume: a checkpoint or a result. A run that failed its
   * pre-flight wrote only config.json and an empty checkpoints/: --out may reuse it.
   */
  static boolean holdsARun(Path dir) {
    if (Files.exists(dir.resolve("result.json"))) {
      return true;
    }
    try (var files = Files.list(dir.resolve("checkpoints"))) {
      return files.findAny().isPresent();
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
