package org.reffakd.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.nn.run.TeacherRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code reffakd teacher}: trains a teacher for the kd and dkd baselines. */
@Command(name = "teacher", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Train a teacher with cross-entropy (same data pipeline as the students) for "
        + "the kd/dkd baselines; writes teacher.json (accuracy, training cost, provenance) and "
        + "teacher.ckpt into --out. Pass that folder to 'reffakd run --teacher DIR'. Running "
        + "again on the same folder resumes."})
final class TeacherCommand implements Callable<Integer> {

  @Mixin
  DataOptions source = new DataOptions();
  @Option(names = "--arch", defaultValue = "lenet5bn-wide", description = "lenet5bn-wide (about "
      + "a minute per Fashion-MNIST epoch on 2 cores), resnet18 (the reference teacher; hours "
      + "per epoch on a CPU), resnet18-w16, lenet5bn (default ${DEFAULT-VALUE})")
  String arch;
  @Option(names = "--epochs", paramLabel = "N", defaultValue = "5",
      description = "epochs (default ${DEFAULT-VALUE})")
  int epochs;
  @Option(names = "--lr", defaultValue = "0.1", description = "learning rate (default "
      + "${DEFAULT-VALUE})")
  double lr;
  @Option(names = "--schedule", defaultValue = "cosine", description = "cosine, step or "
      + "constant (default ${DEFAULT-VALUE})")
  String schedule;
  @Option(names = "--val-size", paramLabel = "N", defaultValue = "5000", description = "images "
      + "held out of training to select the epoch, as a run does (default ${DEFAULT-VALUE})")
  int valSize;
  @Option(names = "--train-fraction", paramLabel = "F", defaultValue = "1", description = "train "
      + "on this fraction of the training images left after the validation split (default "
      + "${DEFAULT-VALUE})")
  double trainFraction;
  @Option(names = "--seed", defaultValue = "1", description = "seed (default ${DEFAULT-VALUE})")
  long seed;
  @Mixin
  EngineOptions backend = new EngineOptions();
  @Option(names = "--out", paramLabel = "DIR", required = true, description = "teacher folder")
  Path out;

  @Override
  public Integer call() {
    RunConfig d = RunConfig.defaults(source.datasetOrDefault());
    String dataDir = source.folder().toString();
    Path cfgFile = out.resolve("config.json");
    RunConfig cfg = Files.isRegularFile(cfgFile) ? RunConfig.read(cfgFile)
        : d.with(Map.ofEntries(Map.entry("data", dataDir), Map.entry("arch", arch),
            Map.entry("ae_epochs", 0), Map.entry("epochs", epochs), Map.entry("lr", lr),
            Map.entry("schedule", schedule), Map.entry("loss", "ce"),
            Map.entry("loss_params", Map.of()), Map.entry("seed", seed),
            Map.entry("threads", backend.threadsOrDefault()),
            Map.entry("val_size", valSize), Map.entry("train_fraction", trainFraction),
            Map.entry("engine", backend.engineOrDefault())));
    if (Files.isRegularFile(cfgFile)) {
      System.out.println("resuming the teacher in " + out + " with its config.json");
    }
    Map<String, Object> r = TeacherRun.execute(cfg, out, new ConsoleProgress(System.out),
        System.out);
    @SuppressWarnings("unchecked")
    Map<String, Object> acc = (Map<String, Object>) r.get("test_accuracy");
    System.out.printf("teacher %s: test accuracy best %.4f, last %.4f; written to %s%n",
        r.get("arch"), ((Number) acc.get("best")).doubleValue(),
        ((Number) acc.get("last")).doubleValue(), out.resolve("teacher.json"));
    return 0;
  }
}
