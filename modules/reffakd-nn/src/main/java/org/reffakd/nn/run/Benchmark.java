package org.reffakd.nn.run;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reffakd.nn.data.FashionMnistReader;
import org.reffakd.nn.data.ImageDataset;
import org.reffakd.nn.loss.ConfiguredLoss;
import org.reffakd.nn.loss.LossRegistry;
import org.reffakd.backend.AutoencoderModel;
import org.reffakd.backend.Backend;
import org.reffakd.backend.Backends;
import org.reffakd.backend.Classifier;
import org.reffakd.nn.prep.Augmentation;
import org.reffakd.nn.prep.BatchAssembler;
import org.reffakd.nn.prep.Normalization;
import org.reffakd.nn.prep.PreparedImages;
import org.reffakd.nn.softlabel.SoftLabelOptions;
import org.reffakd.nn.softlabel.SoftLabels;
import org.reffakd.nn.train.AutoencoderTrainer;
import org.reffakd.nn.train.Progress;
import org.reffakd.nn.train.StudentTrainer;
import org.reffakd.nn.util.CodeVersion;

/**
 * The speed benchmark: one training epoch over the 60,000 Fashion-MNIST training images (batch
 * 128, augmentation on) for the autoencoder and for the LeNet-5-BN student with the reffakd loss,
 * repeated; reports medians. Only the training pass is timed (not validation or evaluation).
 */
public final class Benchmark {

  /** Steps of the student's warm-up before the first timed epoch (batch 128). */
  static final int WARMUP_STEPS = 40;

  private Benchmark() {}

  public static Map<String, Object> run(Path dataDir, int runs, int threads, String what,
                                        PrintStream log) {
    return run(dataDir, runs, threads, what, Backends.DEFAULT, log);
  }

  /** The benchmark on the named engine ({@code bench --engine}); same keys for every engine. */
  public static Map<String, Object> run(Path dataDir, int runs, int threads, String what,
                                        String engine, PrintStream log) {
    Backend backend = Backends.get(engine);
    backend.threads(threads);
    ImageDataset train = FashionMnistReader.read(dataDir, "train");
    PreparedImages img = PreparedImages.of(train, 32);
    Normalization norm = img.statistics();
    Augmentation aug = Augmentation.reference("fashion-mnist");
    PreparedImages small = img.subset(java.util.stream.IntStream.range(0, 512).toArray());
    BatchAssembler full = new BatchAssembler(img, norm, aug);
    BatchAssembler eval = new BatchAssembler(small, norm, Augmentation.NONE);
    List<Double> ae = new ArrayList<>();
    List<Double> st = new ArrayList<>();
    double stWarmup = Double.NaN;
    Path tmp;
    try {
      tmp = Files.createTempDirectory("reffakd-bench");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      for (int r = 0; r < runs; r++) {
        if (!what.equals("student")) {
          AutoencoderModel a = backend.autoencoder(1, r);
          Path d = tmp.resolve("ae" + r);
          AutoencoderTrainer.Result res = AutoencoderTrainer.train(a, full, eval,
              new AutoencoderTrainer.Settings(1, 128, 0.1, 0.9, 5e-4, "constant", r), d,
              null, Progress.NONE);
          double s = res.history().get(0).trainSeconds();
          ae.add(s);
          log.printf("run %d/%d: autoencoder epoch %.2f s (%.0f img/s)%n", r + 1, runs, s,
              img.count() / s);
        }
        if (!what.equals("autoencoder")) {
          if (r == 0) {
            // the JIT's warm-up outside the epoch clock, counted and reported on its own: a
            // throwaway LeNet (its own seed) trains on a synthetic batch; nothing of the timed
            // runs changes (StudentWarmUpTest)
            try (Classifier w = backend.classifier("lenet5bn", 1, 32, 10, -1)) {
              stWarmup = StudentTrainer.warmUp(w, 1, 32, 128, WARMUP_STEPS);
            }
            log.printf("student warm-up: %d steps on a synthetic batch of 128, %.2f s (not in "
                + "the epoch times)%n", WARMUP_STEPS, stWarmup);
          }
          Classifier net = backend.classifier("lenet5bn", 1, 32, 10, r);
          SoftLabels soft = SoftLabelStage.softLabels(backend, backend.autoencoder(1, r), img, norm, aug,
              SoftLabelOptions.paper("fashion-mnist"), r);
          Path d = tmp.resolve("st" + r);
          ConfiguredLoss loss = ConfiguredLoss.create(LossRegistry.discover(List.of()),
              "reffakd", Map.of("alpha", "0.5", "temperature", "5"));
          StudentTrainer.Result res = StudentTrainer.train(net, loss, soft, null, full, null, eval,
              new StudentTrainer.Settings(1, 128, 0.1, 0.9, 5e-4, "constant", r), d, null,
              Progress.NONE);
          double s = res.history().get(0).trainSeconds();
          st.add(s);
          log.printf("run %d/%d: student epoch %.2f s (%.0f img/s)%n", r + 1, runs, s,
              img.count() / s);
        }
      }
    } finally {
      deleteTree(tmp);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("runs", runs);
    out.put("threads", threads);
    out.put("engine", backend.name());
    out.put("engine_description", backend.describe());
    out.put("images_per_epoch", img.count());
    out.put("batch_size", 128);
    out.put("augmentation", true);
    if (!st.isEmpty()) {
      double m = median(st);
      out.put("student_epoch_s", m);
      out.put("images_per_s", img.count() / m);
      out.put("student_epoch_s_all", st);
      // the JVM's first, after the warm-up below (before it, the JIT's compiling ran in it)
      out.put("student_epoch_s_first", st.get(0));
      out.put("student_warmup_s", stWarmup);
      out.put("student_warmup_steps", WARMUP_STEPS);
      // what the first epoch cost with its warm-up: the figure to set against the median
      out.put("student_epoch_s_first_with_warmup", st.get(0) + stWarmup);
    }
    if (!ae.isEmpty()) {
      double m = median(ae);
      out.put("autoencoder_epoch_s", m);
      out.put("autoencoder_images_per_s", img.count() / m);
      out.put("autoencoder_epoch_s_all", ae);
      out.put("autoencoder_epoch_s_first", ae.get(0)); // the JVM's first: warm-up included
    }
    out.put("peak_rss_mb", peakRssMb());
    out.put("cpus", Runtime.getRuntime().availableProcessors());
    out.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    // the java engine's width (REFFAKD_VECTOR_BITS); null when the backend does not say
    out.put("vector_bits", backend.vectorBits() > 0 ? backend.vectorBits() : null);
    out.put("code_version", CodeVersion.get());
    return out;
  }

  /**
   * Training throughput of a CIFAR-format network ({@code bench --only resnet18}): synthetic
   * 32x32x3 images with 100 random labels, batch 128, softmax cross-entropy, SGD; only the
   * forward, backward and step are timed (the synthetic batches are made outside the clock).
   * With fewer than {@code epochImages} images the epoch time is extrapolated, and said so.
   *
   * @param images the images actually trained on (a multiple of 128 is exact)
   */
  public static Map<String, Object> cifar(String arch, int images, int epochImages,
                                          int threads, String engine, PrintStream log) {
    Backend backend = Backends.get(engine);
    backend.threads(threads);
    int batch = 128;
    int classes = 100;
    int side = 32;
    int plane = 3 * side * side;
    Map<String, Object> out = new LinkedHashMap<>();
    try (Classifier net = backend.classifier(arch, 3, side, classes, 1)) {
      long macs = net.macsPerImage(3, side);
      net.sgd(0.9, 5e-4);
      java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
      float[] x = new float[batch * plane];
      int[] y = new int[batch];
      double seconds = 0;
      double firstBatch = 0;
      int done = 0;
      long nextLog = System.nanoTime();
      while (done < images) {
        int n = Math.min(batch, images - done);
        for (int i = 0; i < n * plane; i++) {
          x[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        for (int i = 0; i < n; i++) {
          y[i] = rng.nextInt(classes);
        }
        org.reffakd.backend.ImageBatch b = new org.reffakd.backend.ImageBatch(x,
            org.reffakd.backend.ImageBatch.Layout.CNHW, n, 3, side, side);
        long t0 = System.nanoTime();
        float[] z = net.forward(b, true);
        float[] g = Classifier.crossEntropyGradient(z, y, n, classes);
        net.backward(g);
        net.step(0.1);
        double s = (System.nanoTime() - t0) / 1e9;
        if (done == 0) {
          firstBatch = s;
        }
        seconds += s;
        done += n;
        if (System.nanoTime() >= nextLog || done == images) {
          log.printf("%s (%s): %d/%d images, %.1f img/s%n", arch, engine, done, images,
              done / seconds);
          nextLog = System.nanoTime() + 30_000_000_000L;
        }
      }
      double ips = done / seconds;
      out.put("cifar_arch", arch);
      out.put("cifar_images_timed", done);
      out.put("cifar_images_per_s", ips);
      out.put("cifar_first_batch_s", firstBatch);
      if (done > batch) { // the first batch carries the JIT's (and native libraries') warm-up
        out.put("cifar_images_per_s_after_first_batch", (done - batch) / (seconds - firstBatch));
      }
      out.put("cifar_epoch_images", epochImages);
      out.put("cifar_epoch_s" + (done < epochImages ? "_extrapolated" : ""), epochImages / ips);
      out.put("cifar_macs_per_image", macs);
      // training = forward + two backward products: 3 x 2 FLOPs per multiply-add (Costs)
      out.put("cifar_achieved_gflops", Costs.trainingFlops(macs, done) / seconds / 1e9);
      out.put("threads", threads);
      out.put("engine", backend.name());
      out.put("engine_description", backend.describe());
      out.put("vector_bits", backend.vectorBits() > 0 ? backend.vectorBits() : null);
    }
    out.put("peak_rss_mb", peakRssMb());
    out.put("code_version", CodeVersion.get());
    return out;
  }

  static double median(List<Double> v) {
    double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(a);
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }

  /** Peak resident set size of this process (VmHWM), or -1 where /proc is missing. */
  public static double peakRssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  private static void deleteTree(Path p) {
    try (var s = Files.walk(p)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // best effort
    }
  }
}
