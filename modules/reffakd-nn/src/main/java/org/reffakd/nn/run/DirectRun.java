package org.reffakd.nn.run;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.reffakd.nn.train.Progress;

/**
 * One ReffAKD run, end to end, in this thread (the {@code --direct} path): the stages run one
 * after the other and hand each other artefacts, exactly as the platform's verticles do over
 * the event bus and Kafka: {@link AutoencoderStage} gives an encoder artefact (in the
 * artefact store), {@link SoftLabelStage} a soft-label record, {@link DistillStage} the
 * result. Every stage checkpoints into the run directory, so running again on the same
 * directory resumes where it stopped.
 */
public final class DirectRun {

  private final RunConfig cfg;
  private final Path runDir;
  private final ArtifactStore store;
  private final Progress progress;
  private final PrintStream log;

  public DirectRun(RunConfig cfg, Path runDir, ArtifactStore store, Progress progress,
                   PrintStream log) {
    this.cfg = cfg.validate();
    this.runDir = runDir;
    this.store = store;
    this.progress = progress;
    this.log = log;
  }

  /** A run whose artefacts go to the default store ({@link RunDir#defaultStore}). */
  public DirectRun(RunConfig cfg, Path runDir, Progress progress, PrintStream log) {
    this(cfg, runDir, RunDir.defaultStore(runDir), progress, log);
  }

  /** Runs (or resumes) every stage, data from files, and returns result.json's content. */
  public RunResult execute() {
    RunResult done = RunDir.finished(cfg, runDir);
    if (done != null) {
      log.println("run already finished: " + runDir.resolve("result.json") + " (nothing to do)");
      return done;
    }
    RunDir.prepare(cfg, runDir);
    long t = System.nanoTime();
    RunData data = RunData.load(cfg, log);
    double dataSecs = secs(t);
    AutoencoderStage.Output ae = AutoencoderStage.run(cfg, data, runDir, store, progress);
    t = System.nanoTime();
    SoftLabelRecord soft = SoftLabelStage.run(cfg, data, ae.encoderSha256(), store);
    double softSecs = secs(t);
    SoftLabelStage.logSoftLabels(log, soft);
    Teachers.Ref teacher = cfg.objective().teacher() == null ? null : Teachers.ref(Path.of(cfg.objective().teacher()));
    return DistillStage.run(cfg, data, soft, teacher, runDir, progress,
        ae.upstream(Map.of("data", dataSecs, "autoencoder", ae.seconds(), "soft_labels",
            softSecs)));
  }

  private static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
