package org.reffakd.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.reffakd.backend.Backends;
import org.reffakd.backend.Classifier;
import org.reffakd.dl4j.Dl4jExport;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.nn.run.RunData;
import org.reffakd.nn.train.Checkpoint;
import org.reffakd.nn.train.StudentTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code reffakd export}: a run's student as a model file another framework loads. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Write a run's student (its last epoch: checkpoints/student-last.ckpt, the model "
            + "behind test_accuracy.last) as a model file another framework loads.",
        "--format dl4j: a Deeplearning4j ModelSerializer zip (ComputationGraph; input "
            + "\"input\": NCHW float32 images resized as the run did and normalised per channel "
            + "with the run's mean/std; output: the logits, no softmax). The zip also holds "
            + "reffakd-model.json with the architecture, sizes and normalisation (DL4J ignores "
            + "it). README shows the lines that load it."})
final class ExportCommand implements Callable<Integer> {

  @Parameters(paramLabel = "RUN_DIR", description = "a run folder (config.json, checkpoints/)")
  Path run;
  @Option(names = "--format", defaultValue = "dl4j", description = "dl4j (the only format; "
      + "default ${DEFAULT-VALUE})")
  String format;
  @Option(names = "--out", paramLabel = "FILE.zip", required = true, description = "the file "
      + "to write")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (!format.equals("dl4j")) {
      throw new IllegalArgumentException("--format must be dl4j, got " + format);
    }
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
    Input in = input(run, cfg);
    Map<String, float[]> state;
    try (Classifier c = Backends.get("java").classifier(cfg.arch(), in.channels, in.size,
        in.classes, 0)) {
      Checkpoint.read(ckpt).restore(c, ckpt.toString());
      state = c.state();
    }
    Path parent = out.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, ".export", ".zip");
    try {
      Files.delete(tmp); // ModelSerializer writes a new file
      Dl4jExport.write(state, cfg.arch(), in.channels, in.size, in.classes, in.mean, in.std,
          tmp.toFile());
      Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    System.out.printf("wrote %s: %s, input %dx%dx%d (NCHW, normalised with mean %s std %s), "
            + "%d logits%s%n", out, cfg.arch(), in.channels, in.size, in.size,
        java.util.Arrays.toString(in.mean), java.util.Arrays.toString(in.std), in.classes,
        in.lastAccuracy == null ? "" : String.format("; the run's last test accuracy %.4f",
            in.lastAccuracy));
    return 0;
  }

  private record Input(int channels, int size, int classes, float[] mean, float[] std,
                       Double lastAccuracy) {}

  /** What the model expects, from result.json (runs record it), else from the data. */
  private static Input input(Path run, RunConfig cfg) throws Exception {
    Path result = run.resolve("result.json");
    if (Files.isRegularFile(result)) {
      Map<String, Object> r = RunConfig.JSON.readValue(result.toFile(),
          new TypeReference<Map<String, Object>>() {});
      Double last = null;
      if (r.get("test_accuracy") instanceof Map<?, ?> acc && acc.get("last") instanceof Number n) {
        last = n.doubleValue();
      }
      if (r.get("input") instanceof Map<?, ?> in) {
        return new Input(((Number) in.get("channels")).intValue(),
            ((Number) in.get("image_size")).intValue(),
            ((Number) in.get("classes_count")).intValue(), floats(in.get("mean")),
            floats(in.get("std")), last);
      }
    }
    // older runs, or a run that has not finished: the data gives the facts
    RunData data = RunData.load(cfg, System.err);
    return new Input(data.trainImages().channels(), cfg.imageSize(),
        data.trainImages().classes(), toFloat(data.norm().mean()), toFloat(data.norm().std()),
        null);
  }

  private static float[] floats(Object list) {
    List<?> l = (List<?>) list;
    float[] f = new float[l.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = ((Number) l.get(i)).floatValue();
    }
    return f;
  }

  private static float[] toFloat(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }
}
