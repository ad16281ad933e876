package org.reffakd.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.reffakd.nn.run.Benchmark;
import org.reffakd.nn.run.RunConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code reffakd bench}: the speed benchmark. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Time one training epoch (60,000 Fashion-MNIST images, batch 128, augmentation on) "
            + "of the autoencoder and of the LeNet-5-BN student with the reffakd loss, "
            + "several times; print the medians, images/s and peak RSS. Only the training "
            + "pass is timed (no validation, no evaluation)."})
final class BenchCommand implements Callable<Integer> {

  @Option(names = "--runs", paramLabel = "N", defaultValue = "3",
      description = "repetitions; medians are reported (default ${DEFAULT-VALUE})")
  int runs;
  @Option(names = "--threads", paramLabel = "N",
      description = "compute threads (default: cores, at most 2)")
  Integer threads;
  @Option(names = "--only", paramLabel = "WHAT", defaultValue = "both",
      description = "student, autoencoder or both (default ${DEFAULT-VALUE})")
  String only;
  @Option(names = "--data", paramLabel = "DIR",
      description = "Fashion-MNIST folder (default /usr/share/datasets/fashion-mnist)")
  String data;
  @Option(names = "--json", paramLabel = "FILE", description = "also write the figures as JSON")
  Path json;

  @Override
  public Integer call() throws Exception {
    if (runs < 1) {
      throw new IllegalArgumentException("--runs must be >= 1, got " + runs);
    }
    if (!only.equals("both") && !only.equals("student") && !only.equals("autoencoder")) {
      throw new IllegalArgumentException("--only must be student, autoencoder or both, got "
          + only);
    }
    Path dir = DataLocation.resolve("fashion-mnist", data);
    Map<String, Object> res = Benchmark.run(dir, runs,
        threads != null ? threads : RunConfig.defaultThreads(), only, System.out);
    String text = RunConfig.JSON.writeValueAsString(res);
    System.out.println(text);
    if (json != null) {
      java.nio.file.Files.writeString(json, text + "\n");
      System.out.println("written to " + json);
    }
    return 0;
  }
}
