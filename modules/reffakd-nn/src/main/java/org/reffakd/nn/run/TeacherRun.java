package org.reffakd.nn.run;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.reffakd.nn.loss.ConfiguredLoss;
import org.reffakd.nn.loss.LossRegistry;
import org.reffakd.backend.Backend;
import org.reffakd.backend.Classifier;
import org.reffakd.nn.train.Progress;
import org.reffakd.nn.train.StudentTrainer;

/**
 * Trains a teacher for the kd/dkd baselines with cross-entropy (same data pipeline and
 * augmentation as the students) and writes {@code teacher.json} (accuracy, cost, provenance)
 * and {@code teacher.ckpt} into its directory. Resumable like a run.
 */
public final class TeacherRun {

  private TeacherRun() {}

  public static TeacherInfo execute(RunConfig cfg, Path dir, Progress progress,
                                            PrintStream log) {
    return execute(cfg, null, dir, progress, log);
  }

  /**
   * Trains (or resumes) a teacher on the run's training subset (the same images a student with
   * this config trains on: the validation split is set aside, train_fraction applies).
   *
   * @param data the data, or null to read it from the config's files
   */
  public static TeacherInfo execute(RunConfig cfg, RunData data, Path dir,
                                            Progress progress, PrintStream log) {
    cfg.validate();
    Backend backend = cfg.backend();
    backend.threads(cfg.threads());
    ConfiguredLoss ce = ConfiguredLoss.create(LossRegistry.discover(java.util.List.of()), "ce",
        Map.of());
    Costs.Meter meter = new Costs.Meter();
    try {
      Files.createDirectories(dir.resolve("checkpoints"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    cfg.write(dir.resolve("config.json"));
    if (data == null) {
      data = RunData.load(cfg, log);
    }
    RunData.Parts parts = data.parts(cfg);
    Classifier net = backend.classifier(cfg.student().arch(), data.trainImages().channels(), cfg.input().imageSize(),
        data.trainImages().classes(), cfg.seed());
    Provenance provenance = data.provenance(cfg);
    StudentTrainer.Result r = DistillStage.train(net, ce, null, null, cfg, data, parts, dir,
        provenance, progress.as("teacher"));
    try {
      Files.copy(dir.resolve("checkpoints").resolve(StudentTrainer.LAST),
          dir.resolve(Teachers.WEIGHTS), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(Teachers.WEIGHTS), e);
    }
    long macs = net.macsPerImage(data.trainImages().channels(), cfg.input().imageSize());
    TeacherInfo d = new TeacherInfo(null, null, cfg.dataset(), data.train().classNames(),
        data.train().numClasses(), net.arch(), cfg.engine(), backend.describe(),
        cfg.input().imageSize(), data.trainImages().channels(), net.parameterCount(),
        cfg.student().epochs(), r.selection(), parts.student().count(), cfg.trainFraction(),
        "the last epoch's (" + Teachers.WEIGHTS + ")", r.seconds(), cfg.threads(),
        meter.cost(net.parameterCount(), macs, Costs.trainingFlops(macs,
            (long) parts.student().count() * cfg.student().epochs())),
        r.history(), cfg, cfg.seed(), provenance.codeVersion(), provenance.datasetSha256());
    try {
      RunConfig.JSON.writeValue(dir.resolve(Teachers.DESCRIPTOR).toFile(), d);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write teacher.json", e);
    }
    return d;
  }
}
