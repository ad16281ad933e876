package org.reffakd.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.nn.run.TeacherInfo;
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
  @Mixin
  TrainingOptions training = new TrainingOptions();
  @Mixin
  RouteOptions route = new RouteOptions();
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
        : route.over(training.over(d.withInput(d.input().withDir(dataDir))
            .withStudent(d.student().withArch(arch).withEpochs(epochs))
            .withAutoencoder(d.autoencoder().withEpochs(0))
            .withLoss("ce", Map.of())
            .withThreads(backend.threadsOrDefault())
            .withEngine(backend.engineOrDefault())));
    if (Files.isRegularFile(cfgFile)) {
      System.out.println("resuming the teacher in " + out + " with its config.json");
    }
    TeacherInfo r = TeacherRun.execute(cfg, out, new ConsoleProgress(System.out), System.out);
    System.out.printf("teacher %s: test accuracy best %.4f, last %.4f; written to %s%n",
        r.arch(), r.testAccuracy().bestTest(), r.testAccuracy().lastTest(),
        out.resolve("teacher.json"));
    return 0;
  }
}
