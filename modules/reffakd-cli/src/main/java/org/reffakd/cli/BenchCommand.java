package org.reffakd.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.reffakd.nn.run.Benchmark;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.kafka.IngestBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code reffakd bench}: the speed benchmark. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Time one training epoch (60,000 Fashion-MNIST images, batch 128, augmentation on) "
            + "of the autoencoder and of the LeNet-5-BN student with the reffakd loss, "
            + "several times; print the medians, images/s and peak RSS. Only the training "
            + "pass is timed (no validation, no evaluation). Before the first student epoch, "
            + "a JIT warm-up (40 steps of a throwaway LeNet-5-BN on a synthetic batch of 128) "
            + "runs outside the epoch clock and is reported on its own (student_warmup_s; "
            + "student_epoch_s_first_with_warmup); it changes no result.",
        "Then the ingest figure: Fashion-MNIST's 70,000 images through an embedded Kafka "
            + "broker and back (ingest_produce_images_per_s, ingest_consume_images_per_s; "
            + "medians), beside a plain kafka-clients producer and consumer moving the same "
            + "records (raw_produce_images_per_s, raw_consume_images_per_s).",
        "With --compare, the same epochs are then timed in PyTorch on the CPU "
            + "(tools/bench-torch, 1 and 2 threads, same --runs and --only) and a table gives "
            + "ours, PyTorch's best thread count and the ratio ours/PyTorch.",
        "--only resnet18 (or resnet18-w16) times instead a CIFAR-format network training on "
            + "synthetic 32x32x3 images (100 classes, batch 128, --images of them): images/s, "
            + "achieved GFLOP/s and the epoch time for 50,000 images (extrapolated when "
            + "--images is smaller). --engine picks the backend for every part (java or dl4j)."})
final class BenchCommand implements Callable<Integer> {

  @Option(names = "--runs", paramLabel = "N", defaultValue = "3",
      description = "repetitions; medians are reported (default ${DEFAULT-VALUE})")
  int runs;
  @Mixin
  EngineOptions backend = new EngineOptions();
  @Option(names = "--only", paramLabel = "WHAT", defaultValue = "both",
      description = "student, autoencoder, ingest or both (both = all three; default "
          + "${DEFAULT-VALUE}); or resnet18 / resnet18-w16 (synthetic CIFAR-format training)")
  String only;
  @Option(names = "--data", paramLabel = "DIR",
      description = "Fashion-MNIST folder (default /usr/share/datasets/fashion-mnist)")
  String data;
  @Option(names = "--images", paramLabel = "N", defaultValue = "50000", description = "with "
      + "--only resnet18 or resnet18-w16: synthetic CIFAR-format images to train on (default "
      + "${DEFAULT-VALUE}, one CIFAR epoch; fewer give an extrapolated epoch time)")
  int images;
  @Option(names = "--json", paramLabel = "FILE", description = "also write the figures as JSON")
  Path json;
  @Option(names = "--compare", description = "also time the student/autoencoder epochs in "
      + "PyTorch (tools/bench-torch: Debian's python3-torch, installed when missing and run "
      + "as root) with 1 and 2 threads; print ours/PyTorch and add torch, ratio_student, "
      + "ratio_autoencoder to the JSON")
  boolean compare;

  @Override
  public Integer call() throws Exception {
    if (runs < 1) {
      throw new IllegalArgumentException("--runs must be >= 1, got " + runs);
    }
    if (!List.of("both", "student", "autoencoder", "ingest", "resnet18", "resnet18-w16")
        .contains(only)) {
      throw new IllegalArgumentException("--only must be student, autoencoder, ingest, both, "
          + "resnet18 or resnet18-w16, got " + only);
    }
    if (only.startsWith("resnet18")) {
      if (images < 1 || compare) {
        throw new IllegalArgumentException(images < 1 ? "--images must be >= 1, got " + images
            : "--compare times the Fashion-MNIST epochs, not --only " + only);
      }
      Map<String, Object> res = Benchmark.cifar(only, images, 50_000,
          backend.threadsOrDefault(), backend.engineOrDefault(), System.out);
      return print(res);
    }
    if (compare && only.equals("ingest")) {
      throw new IllegalArgumentException("--compare compares training epochs: use it with "
          + "--only student, autoencoder or both");
    }
    Path dir = DataLocation.resolve("fashion-mnist", data);
    Map<String, Object> res = new LinkedHashMap<>();
    // ingest first: measured after training in the same JVM it ran at half speed (the
    // training's garbage and heap); each part is timed in a clean state
    if (only.equals("both") || only.equals("ingest")) {
      IngestBenchmark.Result r = IngestBenchmark.runEmbedded(dir, Math.max(runs, 3));
      System.out.printf("ingest: %d images, produce %.0f images/s, consume %.0f images/s%n",
          r.imagesPerRun(), r.produceImagesPerSecond(), r.consumeImagesPerSecond());
      System.out.printf("raw kafka-clients, same records: produce %.0f images/s, consume %.0f "
              + "images/s (ours/raw: produce %.2f, consume %.2f)%n",
          r.rawProduceImagesPerSecond(), r.rawConsumeImagesPerSecond(),
          r.produceImagesPerSecond() / r.rawProduceImagesPerSecond(),
          r.consumeImagesPerSecond() / r.rawConsumeImagesPerSecond());
      res.putAll(r.metrics());
      res.put("ingest_images_per_run", r.imagesPerRun());
    }
    if (!only.equals("ingest")) {
      res.putAll(Benchmark.run(dir, runs,
          backend.threadsOrDefault(), only, backend.engineOrDefault(), System.out));
    }
    if (compare) {
      Map<String, Object> torch = TorchComparison.run(TorchComparison.defaultScript(), runs,
          only, dir);
      List<TorchComparison.Row> rows = TorchComparison.rows(res, torch);
      System.out.println(TorchComparison.table(rows, String.valueOf(torch.get("torch_version"))));
      res.putAll(TorchComparison.metrics(rows, torch));
    }
    res.put("peak_rss_mb", Benchmark.peakRssMb());
    return print(res);
  }

  private int print(Map<String, Object> res) throws java.io.IOException {
    String text = RunConfig.JSON.writeValueAsString(res);
    System.out.println(text);
    if (json != null) {
      java.nio.file.Files.writeString(json, text + "\n");
      System.out.println("written to " + json);
    }
    return 0;
  }
}
