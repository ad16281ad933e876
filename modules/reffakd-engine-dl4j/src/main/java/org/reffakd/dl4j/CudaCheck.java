package org.reffakd.dl4j;

import java.lang.management.ManagementFactory;
import java.util.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.reffakd.backend.AutoencoderModel;
import org.reffakd.backend.Classifier;
import org.reffakd.backend.ImageBatch;

/**
 * A device check for the DL4J backend (run by {@code tools/cuda-check.sh} on a CUDA host
 * with the {@code cuda} build; also runs on the CPU backend). Prints the ND4J backend and
 * device, how well the backend's logits agree with the java engine's (CPU) on the same
 * weights and images, and the time of one training epoch on synthetic images.
 *
 * <p>Options: {@code --arch resnet18} (or {@code autoencoder}: its {@code trainStep} on
 * uniform images) {@code --channels 3} {@code --side 32} {@code --classes 10}
 * {@code --images 50000} {@code --batch 128} {@code --threads N} {@code --no-agreement}.
 * Prints wall and process CPU time (the CPU machines are shared).
 */
public final class CudaCheck {

  private CudaCheck() {}

  public static void main(String[] args) {
    String arch = "resnet18";
    int channels = 3;
    int side = 32;
    int classes = 10;
    int images = 50000;
    int batch = 128;
    int threads = 0;
    boolean agreement = true;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--arch" -> arch = args[++i];
        case "--channels" -> channels = Integer.parseInt(args[++i]);
        case "--side" -> side = Integer.parseInt(args[++i]);
        case "--classes" -> classes = Integer.parseInt(args[++i]);
        case "--images" -> images = Integer.parseInt(args[++i]);
        case "--batch" -> batch = Integer.parseInt(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--no-agreement" -> agreement = false;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Dl4jBackend backend = new Dl4jBackend();
    if (threads > 0) {
      backend.threads(threads);
    }
    System.out.println("backend: " + backend.describe());
    System.out.println("nd4j environment: " + Nd4j.getExecutioner().getEnvironmentInformation());
    Random rng = new Random(1);
    if (arch.equals("autoencoder")) {
      autoencoder(backend, rng, channels, side, images, batch);
      return;
    }
    try (Classifier dl4j = backend.classifier(arch, channels, side, classes, 1)) {
      if (agreement) {
        int n = 16;
        ImageBatch x = gaussian(rng, n, channels, side);
        try (Classifier java = JavaInit.java().classifier(arch, channels, side, classes, 1)) {
          float[] a = dl4j.forward(x, false);
          float[] b = java.forward(x, false);
          double diff = 0;
          double scale = 0;
          for (int i = 0; i < n * classes; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
          }
          System.out.printf("agreement: %s logits of %d images, max |dl4j - java| / max |java|"
              + " = %.3e%n", arch, n, diff / scale);
        }
      }
      dl4j.sgd(0.9, 5e-4);
      ImageBatch x = gaussian(rng, batch, channels, side);
      int[] labels = rng.ints(batch, 0, classes).toArray();
      // warm-up (native initialisation, first allocations)
      for (int i = 0; i < 2; i++) {
        step(dl4j, x, labels, classes);
      }
      int steps = (images + batch - 1) / batch;
      long t0 = System.nanoTime();
      long c0 = cpuNanos();
      for (int s = 0; s < steps; s++) {
        step(dl4j, x, labels, classes);
      }
      report(arch, channels, side, batch, steps, t0, c0);
    }
  }

  private static void autoencoder(Dl4jBackend backend, Random rng, int channels, int side,
                                  int images, int batch) {
    float[] d = new float[batch * channels * side * side];
    for (int i = 0; i < d.length; i++) {
      d[i] = rng.nextFloat();
    }
    ImageBatch x = new ImageBatch(d, ImageBatch.Layout.NCHW, batch, channels, side, side);
    try (AutoencoderModel ae = backend.autoencoder(channels, 1)) {
      ae.sgd(0.9, 5e-4);
      for (int i = 0; i < 2; i++) {
        ae.trainStep(x, 0.01);
      }
      int steps = (images + batch - 1) / batch;
      long t0 = System.nanoTime();
      long c0 = cpuNanos();
      for (int s = 0; s < steps; s++) {
        ae.trainStep(x, 0.01);
      }
      report("autoencoder", channels, side, batch, steps, t0, c0);
    }
  }

  private static void report(String arch, int channels, int side, int batch, int steps,
                             long t0, long c0) {
    double sec = (System.nanoTime() - t0) / 1e9;
    double cpu = (cpuNanos() - c0) / 1e9;
    System.out.printf("epoch: %s, %d synthetic %dx%dx%d images, batch %d, %d steps: %.1f s"
        + " (%.0f images/s), process CPU %.1f s (%.0f images per CPU-second), load %.1f%n",
        arch, steps * batch, channels, side, side, batch, steps, sec, steps * batch / sec, cpu,
        steps * batch / cpu, ManagementFactory.getOperatingSystemMXBean()
            .getSystemLoadAverage());
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static void step(Classifier c, ImageBatch x, int[] labels, int classes) {
    float[] logits = c.forward(x, true);
    int n = x.n();
    float[] g = Classifier.crossEntropyGradient(logits, labels, n, classes);
    c.backward(g);
    c.step(0.05);
  }

  private static ImageBatch gaussian(Random rng, int n, int channels, int side) {
    float[] d = new float[n * channels * side * side];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) rng.nextGaussian();
    }
    return new ImageBatch(d, ImageBatch.Layout.NCHW, n, channels, side, side);
  }
}
