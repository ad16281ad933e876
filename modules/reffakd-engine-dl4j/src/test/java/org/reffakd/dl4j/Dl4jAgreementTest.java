package org.reffakd.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.reffakd.backend.ImageBatch;
import org.reffakd.nn.engine.Param;
import org.reffakd.nn.engine.Sgd;
import org.reffakd.nn.engine.Tensor;
import org.reffakd.nn.model.Autoencoder;
import org.reffakd.nn.model.Models;
import org.reffakd.nn.model.Network;

/**
 * The DL4J backend against the java engine on real networks: same seed, same initial
 * weights, same inputs, same logits gradient; logits agree within 1e-4 and the changes of
 * every parameter, running statistic and momentum buffer over two SGD steps within 1e-3
 * (relative to the largest value of the java engine's array).
 */
class Dl4jAgreementTest {

  private static final double MU = 0.9;
  private static final double WD = 5e-4;
  private static final double LR = 0.05;

  private final Dl4jBackend backend = new Dl4jBackend();

  @ParameterizedTest(name = "{0} {1}x{2}x{2} n={3}")
  @CsvSource({"lenet5bn, 1, 32, 8", "lenet5bn-wide, 1, 28, 8", "resnet18-w16, 3, 32, 4",
      "resnet18-w16, 3, 32, 2"})
  void classifierAgrees(String arch, int channels, int side, int n) {
    int classes = 10;
    long seed = 11;
    Network java = Models.create(arch, channels, side, classes, seed);
    NetPlan plan = NetPlan.classifier(arch, channels, side, classes, seed);
    Random rng = new Random(3);
    Sgd sgd = new Sgd(java.params(), MU, WD);
    try (Dl4jClassifier dl4j = backend.classifier(arch, channels, side, classes, seed)) {
      dl4j.sgd(MU, WD);
      Map<String, float[]> javaStart = javaState(plan, java, null);
      assertEquals(List.copyOf(javaStart.keySet()), dl4j.state().keySet().stream()
          .filter(k -> !k.startsWith("momentum.")).toList());
      Map<String, float[]> dl4jBefore = dl4j.state();
      Map<String, float[]> javaBefore = javaState(plan, java, sgd);
      double worstLogits = 0;
      for (int stepNo = 0; stepNo < 2; stepNo++) {
        float[] cnhw = gaussian(rng, channels * n * side * side);
        ImageBatch batch = new ImageBatch(cnhw, ImageBatch.Layout.CNHW, n, channels, side,
            side);
        // evaluation mode (running statistics)
        float[] je = java.forward(new Tensor(cnhw, channels, n, side, side), false).data
            .clone();
        float[] de = dl4j.forward(batch, false);
        worstLogits = Math.max(worstLogits, Compare.rel(de, je, n * classes));
        // training mode, one step with the same logits gradient
        float[] jt = java.forward(new Tensor(cnhw, channels, n, side, side), true).data;
        float[] dt = dl4j.forward(batch.to(ImageBatch.Layout.NCHW), true);
        worstLogits = Math.max(worstLogits, Compare.rel(dt, jt, n * classes));
        int[] labels = rng.ints(n, 0, classes).toArray();
        float[] grad = softmaxCeGradient(jt, labels, n, classes);
        java.backward(new Tensor(grad.clone(), n, classes));
        sgd.step(LR);
        dl4j.backward(grad);
        dl4j.step(LR);
      }
      Map<String, Double> diffs = Compare.changes(dl4jBefore, dl4j.state(), javaBefore,
          javaState(plan, java, sgd));
      Map.Entry<String, Double> worst = Compare.worst(diffs);
      System.out.printf("AGREEMENT %s: logits max rel diff %.2e; after 2 SGD steps worst"
          + " rel diff of changes %.2e (%s) over %d arrays%n", arch, worstLogits,
          worst.getValue(), worst.getKey(), diffs.size());
      assertTrue(worstLogits < 1e-4, "logits differ by " + worstLogits);
      assertTrue(worst.getValue() < 1e-3, "changes differ: " + diffs);
      assertEquals(java.parameterCount(), dl4j.parameterCount());
      assertEquals(java.macsPerImage(channels, side), dl4j.macsPerImage(channels, side));
    }
  }

  @Test
  void autoencoderAgrees() {
    int channels = 3;
    int side = 32;
    int n = 4;
    long seed = 5;
    Autoencoder java = new Autoencoder(channels, seed);
    NetPlan plan = NetPlan.autoencoder(channels, seed);
    Sgd sgd = new Sgd(java.params(), MU, WD);
    Random rng = new Random(9);
    try (Dl4jAutoencoder dl4j = backend.autoencoder(channels, seed)) {
      dl4j.sgd(MU, WD);
      Map<String, float[]> dl4jBefore = dl4j.state();
      Map<String, float[]> javaBefore = JavaInit.name(plan, java.params(), List.of());
      double worstOut = 0;
      double worstLoss = 0;
      for (int stepNo = 0; stepNo < 2; stepNo++) {
        float[] cnhw = new float[channels * n * side * side];
        for (int i = 0; i < cnhw.length; i++) {
          cnhw[i] = rng.nextFloat();
        }
        ImageBatch batch = new ImageBatch(cnhw, ImageBatch.Layout.CNHW, n, channels, side,
            side);
        Tensor x = new Tensor(cnhw, channels, n, side, side);
        float[] jr = java.forward(x, false).data.clone();
        worstOut = Math.max(worstOut, Compare.rel(dl4j.reconstruct(batch), jr, jr.length));
        float[] jembed = java.embed(x);
        worstOut = Math.max(worstOut, Compare.rel(dl4j.encode(batch), jembed, jembed.length));
        assertEquals(n * Autoencoder.embeddingSize(side), dl4j.encode(batch).length);
        // java training step: MSE over all values
        float[] r = java.forward(x, true).data;
        double loss = 0;
        float[] g = new float[cnhw.length];
        for (int i = 0; i < g.length; i++) {
          double d = r[i] - cnhw[i];
          loss += d * d;
          g[i] = (float) (2 * d / g.length);
        }
        loss /= g.length;
        java.backward(new Tensor(g, channels, n, side, side));
        sgd.step(LR);
        double dloss = dl4j.trainStep(batch, LR);
        worstLoss = Math.max(worstLoss, Math.abs(dloss - loss) / loss);
      }
      Map<String, float[]> javaAfter = new LinkedHashMap<>(JavaInit.name(plan, java.params(),
          List.of()));
      addMomenta(plan, javaAfter, sgd, java.params());
      Map<String, Double> diffs = Compare.changes(dl4jBefore, dl4j.state(), javaBefore,
          javaAfter);
      Map.Entry<String, Double> worst = Compare.worst(diffs);
      System.out.printf("AGREEMENT autoencoder: reconstruction/embedding max rel diff %.2e,"
          + " loss %.2e; after 2 SGD steps worst rel diff of changes %.2e (%s)%n", worstOut,
          worstLoss, worst.getValue(), worst.getKey());
      assertTrue(worstOut < 1e-4, "outputs differ by " + worstOut);
      assertTrue(worstLoss < 1e-4, "losses differ by " + worstLoss);
      assertTrue(worst.getValue() < 1e-3, "changes differ: " + diffs);
    }
  }

  private static Map<String, float[]> javaState(NetPlan plan, Network java, Sgd sgd) {
    Map<String, float[]> m = new LinkedHashMap<>(JavaInit.name(plan, java.params(),
        java.buffers()));
    if (sgd != null) {
      addMomenta(plan, m, sgd, java.params());
    }
    return m;
  }

  private static void addMomenta(NetPlan plan, Map<String, float[]> m, Sgd sgd,
                                 List<Param> params) {
    int p = 0;
    for (Binding b : plan.bindings) {
      if (b.trainable()) {
        m.put("momentum." + b.name(), sgd.velocity()[p++].clone());
      }
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
    float[] g = new float[n * classes];
    for (int i = 0; i < n; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < classes; j++) {
        max = Math.max(max, logits[i * classes + j]);
      }
      double sum = 0;
      for (int j = 0; j < classes; j++) {
        sum += Math.exp(logits[i * classes + j] - max);
      }
      for (int j = 0; j < classes; j++) {
        double p = Math.exp(logits[i * classes + j] - max) / sum;
        g[i * classes + j] = (float) ((p - (j == labels[i] ? 1 : 0)) / n);
      }
    }
    return g;
  }
}
