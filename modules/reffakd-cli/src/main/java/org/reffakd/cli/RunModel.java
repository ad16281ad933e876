package org.reffakd.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.reffakd.backend.Backends;
import org.reffakd.backend.Classifier;
import org.reffakd.nn.run.ModelInput;
import org.reffakd.nn.run.Provenance;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.nn.run.RunData;
import org.reffakd.nn.run.Teachers;
import org.reffakd.nn.train.Checkpoint;
import org.reffakd.nn.train.StudentTrainer;

/**
 * A run's (or a teacher folder's) last-epoch model and what it expects: the student behind
 * test_accuracy.last, checkpoints/student-last.ckpt, read by the java engine. Used by
 * {@code export} and {@code predict}.
 *
 * @param header what the checkpoint's header says of the model (its epoch, the input it expects,
 *               the code and data that trained it)
 * @param lastAccuracy the run's (or teacher's) last-epoch test accuracy, null when not recorded
 */
record RunModel(Path dir, RunConfig cfg, Path checkpoint, Provenance.ModelFacts header, int channels,
                int size, int classes, float[] mean, float[] std, Double lastAccuracy) {

  static RunModel read(Path run) throws Exception {
    Path cfgFile = run.resolve("config.json");
    Path ckpt = run.resolve("checkpoints").resolve(StudentTrainer.LAST);
    if (!Files.isRegularFile(cfgFile)) {
      throw new IllegalArgumentException(run + ": no config.json (not a run folder)");
    }
    if (!Files.isRegularFile(ckpt)) {
      throw new IllegalArgumentException(run + ": no checkpoints/" + StudentTrainer.LAST
          + " (the student has not finished an epoch)");
    }
    RunConfig cfg = RunConfig.read(cfgFile);
    Provenance.ModelFacts header = Checkpoint.read(ckpt).header(Provenance.ModelFacts.class);
    Double last = null;
    for (String f : new String[] {"result.json", Teachers.DESCRIPTOR}) {
      Path p = run.resolve(f);
      if (last == null && Files.isRegularFile(p)) {
        com.fasterxml.jackson.databind.JsonNode acc = RunConfig.JSON.readTree(p.toFile())
            .path("test_accuracy").path("last");
        if (acc.isNumber()) {
          last = acc.doubleValue();
        }
      }
    }
    // what the model expects: recorded by runs in their provenance, else from the data
    if (header.input() != null) {
      ModelInput in = header.input();
      return new RunModel(run, cfg, ckpt, header, in.channels(), in.imageSize(),
          in.classesCount(), toFloat(in.mean()), toFloat(in.std()), last);
    }
    RunData data = RunData.load(cfg, System.err);
    return new RunModel(run, cfg, ckpt, header, data.trainImages().channels(), cfg.input().imageSize(),
        data.trainImages().classes(), toFloat(data.norm().mean()), toFloat(data.norm().std()),
        last);
  }

  /** The last epoch the checkpoint holds (1-based), or -1. */
  int epoch() {
    return header.epoch() != null ? header.epoch() : -1;
  }

  /** The model in the java engine, its weights restored. */
  Classifier open() {
    Classifier c = Backends.get("java").classifier(cfg.student().arch(), channels, size, classes, 0);
    Checkpoint.read(checkpoint).restore(c, checkpoint.toString());
    return c;
  }

  static float[] toFloat(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }
}
