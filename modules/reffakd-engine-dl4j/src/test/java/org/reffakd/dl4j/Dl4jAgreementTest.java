package org.reffakd.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.reffakd.backend.AutoencoderModel;
import org.reffakd.backend.Classifier;
import org.reffakd.backend.ImageBatch;
import org.reffakd.backend.Trainable;
import org.reffakd.engine.java.model.JavaBackend;

/**
 * The DL4J backend against the java engine through the seam, on real networks: same seed,
 * same initial weights, same inputs, same logits gradient. Compared: logits (evaluation and
 * training mode), and the changes of every parameter, running statistic and momentum buffer
 * over SGD steps (momentum 0.9, weight decay 5e-4), by state name, relative to the largest
 * change of the java engine's array (see {@link Compare}).
 *
 * <p>Why the tolerances hold on any machine: two float implementations (or one implementation
 * at another vector width, REFFAKD_VECTOR_BITS) round differently, by a few units in the last
 * place per operation. How much that moves the result depends on the computation, so each case
 * measures its own sensitivity: a second java model whose initial state is moved by
 * {@value #ULPS} ulp at random runs the same steps, and DL4J must agree with the java engine
 * within {@value #FACTOR} times that measured spread, and never worse than the fixed floors
 * (1e-4 for logits, 1e-3 for changes) where the spread is smaller. Measured at 128, 256 and
 * 512 bits: DL4J's difference is 0.55 to 1.1 times the perturbed java model's in every case
 * kept here. A wrong gradient or a missing term differs by order 1 and fails either way.
 *
 * <p>Residual networks on 2 images are compared over one step only. Their second step passes
 * batch-norm statistics of very few values and ReLU kinks, and is not a stable function of the
 * state at float precision: a value near a kink flips or not, so the change of one array jumps
 * by ~6e-2 (momentum.8.main.3.weight of resnet18-w16) for the java engine moved by one ulp at
 * 512 bits, and for DL4J against the java engine at 128 and 256 bits, while either stays at
 * ~7e-5 otherwise. A single perturbation does not reliably find such a jump, so no measured
 * tolerance would hold; resnet18-w16 on 4 images keeps its two steps. See the module README.
 */
class Dl4jAgreementTest {

  private static final double MU = 0.9;
  private static final double WD = 5e-4;
  private static final double LR = 0.05;
  /** Size of the perturbation that measures a case's sensitivity to rounding. */
  static final int ULPS = 1;
  /** How many times the measured spread DL4J may differ by. */
  static final double FACTOR = 20;

  private final Dl4jBackend dl4jBackend = new Dl4jBackend();
  private final JavaBackend javaBackend = new JavaBackend();

  @ParameterizedTest(name = "{0} {1}x{2}x{2} n={3} steps={4}")
  @CsvSource({"lenet5bn, 1, 32, 8, 2", "lenet5bn-wide, 1, 28, 8, 2", "resnet18-w16, 3, 32, 4, 2",
      "resnet18-w16, 3, 32, 2, 1", "resnet18, 3, 32, 2, 1"})
  void classifierAgrees(String arch, int channels, int side, int n, int steps) {
    int classes = 10;
    long seed = 11;
    Random rng = new Random(3);
    try (Classifier java = javaBackend.classifier(arch, channels, side, classes, seed);
         Classifier moved = javaBackend.classifier(arch, channels, side, classes, seed);
         Classifier dl4j = dl4jBackend.classifier(arch, channels, side, classes, seed)) {
      Three<Classifier> three = Three.of(java, moved, dl4j);
      assertEquals(List.copyOf(three.javaBefore().keySet()),
          List.copyOf(three.dl4jBefore().keySet()));
      for (String k : three.javaBefore().keySet()) {
        assertEquals(0.0, Compare.rel(three.dl4jBefore().get(k), three.javaBefore().get(k)), k);
      }
      double worstLogits = 0;
      double spreadLogits = 0;
      for (int stepNo = 0; stepNo < steps; stepNo++) {
        ImageBatch batch = new ImageBatch(gaussian(rng, channels * n * side * side),
            ImageBatch.Layout.CNHW, n, channels, side, side);
        float[] je = java.forward(batch, false).clone();
        worstLogits = Math.max(worstLogits, Compare.rel(dl4j.forward(batch, false), je,
            n * classes));
        spreadLogits = Math.max(spreadLogits, Compare.rel(moved.forward(batch, false), je,
            n * classes));
        float[] jt = java.forward(batch, true).clone();
        worstLogits = Math.max(worstLogits, Compare.rel(dl4j.forward(
            batch.to(ImageBatch.Layout.NCHW), true), jt, n * classes));
        spreadLogits = Math.max(spreadLogits, Compare.rel(moved.forward(batch, true), jt,
            n * classes));
        float[] grad = softmaxCeGradient(jt, rng.ints(n, 0, classes).toArray(), n, classes);
        java.backward(grad.clone());
        java.step(LR);
        moved.backward(grad.clone());
        moved.step(LR);
        dl4j.backward(grad);
        dl4j.step(LR);
      }
      Map.Entry<String, Double> worst = three.worstChange();
      Map.Entry<String, Double> spread = three.spreadChange();
      double tolLogits = Math.max(1e-4, FACTOR * spreadLogits);
      double tolChanges = Math.max(1e-3, FACTOR * spread.getValue());
      System.out.printf("AGREEMENT %s n=%d (%d-bit java): logits max rel diff %.2e (java moved"
          + " by %d ulp: %.2e; tolerance %.2e); after %d SGD step(s) worst rel diff of changes"
          + " %.2e (%s; java moved: %.2e (%s); tolerance %.2e; ratio %.2f)%n", arch, n,
          javaBackend.vectorBits(), worstLogits, ULPS, spreadLogits, tolLogits, steps,
          worst.getValue(), worst.getKey(), spread.getValue(), spread.getKey(), tolChanges,
          worst.getValue() / spread.getValue());
      assertTrue(worstLogits < tolLogits, "logits differ by " + worstLogits);
      assertTrue(worst.getValue() < tolChanges, "changes differ: " + worst + ", tolerance "
          + tolChanges + " (java moved by " + ULPS + " ulp: " + spread + ")");
      assertEquals(java.parameterCount(), dl4j.parameterCount());
      assertEquals(java.macsPerImage(channels, side), dl4j.macsPerImage(channels, side));
    }
  }

  @Test
  void autoencoderAgrees() {
    int channels = 3;
    int side = 32;
    int n = 4;
    Random rng = new Random(9);
    try (AutoencoderModel java = javaBackend.autoencoder(channels, 5);
         AutoencoderModel moved = javaBackend.autoencoder(channels, 5);
         AutoencoderModel dl4j = dl4jBackend.autoencoder(channels, 5)) {
      Three<AutoencoderModel> three = Three.of(java, moved, dl4j);
      double worstOut = 0;
      double spreadOut = 0;
      double worstLoss = 0;
      double spreadLoss = 0;
      for (int stepNo = 0; stepNo < 2; stepNo++) {
        float[] x = new float[channels * n * side * side];
        for (int i = 0; i < x.length; i++) {
          x[i] = rng.nextFloat();
        }
        ImageBatch batch = new ImageBatch(x, ImageBatch.Layout.CNHW, n, channels, side, side);
        float[] jr = java.reconstruct(batch).clone();
        worstOut = Math.max(worstOut, Compare.rel(dl4j.reconstruct(batch), jr, jr.length));
        spreadOut = Math.max(spreadOut, Compare.rel(moved.reconstruct(batch), jr, jr.length));
        float[] jn = java.reconstruct(batch.to(ImageBatch.Layout.NCHW)).clone();
        worstOut = Math.max(worstOut, Compare.rel(
            dl4j.reconstruct(batch.to(ImageBatch.Layout.NCHW)), jn, jn.length));
        float[] je = java.encode(batch).clone();
        float[] de = dl4j.encode(batch);
        assertEquals(n * AutoencoderModel.embeddingSize(side, side), de.length);
        worstOut = Math.max(worstOut, Compare.rel(de, je, je.length));
        spreadOut = Math.max(spreadOut, Compare.rel(moved.encode(batch), je, je.length));
        double jl = java.trainStep(batch, LR);
        worstLoss = Math.max(worstLoss, Math.abs(dl4j.trainStep(batch, LR) - jl) / jl);
        spreadLoss = Math.max(spreadLoss, Math.abs(moved.trainStep(batch, LR) - jl) / jl);
      }
      Map.Entry<String, Double> worst = three.worstChange();
      Map.Entry<String, Double> spread = three.spreadChange();
      double tolChanges = Math.max(1e-3, FACTOR * spread.getValue());
      System.out.printf("AGREEMENT autoencoder (%d-bit java): reconstruction/embedding max rel"
          + " diff %.2e (java moved by %d ulp: %.2e), loss %.2e (%.2e); after 2 SGD steps worst"
          + " rel diff of changes %.2e (%s; java moved: %.2e; tolerance %.2e)%n",
          javaBackend.vectorBits(), worstOut, ULPS, spreadOut, worstLoss, spreadLoss,
          worst.getValue(), worst.getKey(), spread.getValue(), tolChanges);
      assertTrue(worstOut < Math.max(1e-4, FACTOR * spreadOut), "outputs differ by " + worstOut);
      assertTrue(worstLoss < Math.max(1e-4, FACTOR * spreadLoss), "losses differ by "
          + worstLoss);
      assertTrue(worst.getValue() < tolChanges, "changes differ: " + worst + ", tolerance "
          + tolChanges);
    }
  }

  /**
   * The three models of an agreement check, set up alike: SGD (MU, WD) on each, their states
   * before training, and {@code moved} given java's state moved by {@link #ULPS} ulp, whose
   * spread from java is what float rounding alone makes.
   */
  private record Three<T extends Trainable>(T java, T moved, T dl4j,
      Map<String, float[]> javaBefore, Map<String, float[]> dl4jBefore,
      Map<String, float[]> movedBefore) {

    static <T extends Trainable> Three<T> of(T java, T moved, T dl4j) {
      java.sgd(MU, WD);
      moved.sgd(MU, WD);
      dl4j.sgd(MU, WD);
      Map<String, float[]> javaBefore = Compare.copy(java.state());
      Map<String, float[]> dl4jBefore = Compare.copy(dl4j.state());
      Map<String, float[]> movedBefore = Compare.perturbed(javaBefore, 5, ULPS);
      moved.load(movedBefore, "perturbed java state");
      return new Three<>(java, moved, dl4j, javaBefore, dl4jBefore, movedBefore);
    }

    /** The parameter whose change in dl4j differs most from its change in java, and by how much. */
    Map.Entry<String, Double> worstChange() {
      return Compare.worst(Compare.changes(dl4jBefore, dl4j.state(), javaBefore, java.state()));
    }

    /** The same for the moved java model: the spread of rounding alone. */
    Map.Entry<String, Double> spreadChange() {
      return Compare.worst(Compare.changes(movedBefore, moved.state(), javaBefore,
          java.state()));
    }
  }

  static float[] gaussian(Random rng, int size) {
    float[] a = new float[size];
    for (int i = 0; i < size; i++) {
      a[i] = (float) rng.nextGaussian();
    }
    return a;
  }

  /** d(mean cross-entropy)/d logits: (softmax - onehot) / n. */
  static float[] softmaxCeGradient(float[] logits, int[] labels, int n, int classes) {
    return Classifier.crossEntropyGradient(logits, labels, n, classes);
  }
}
