package org.reffakd.dl4j;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.reffakd.backend.Backend;
import org.reffakd.backend.Backends;
import org.reffakd.backend.Classifier;

/**
 * A short real training run, the same in both backends (found through ServiceLoader as
 * "java" and "dl4j"): LeNet-5-BN on 1,000 Fashion-MNIST training images, 4 epochs of batch
 * 50 in the same shuffled order, SGD momentum 0.9, weight decay 5e-4; both reach a useful
 * accuracy on 500 test images and the same one within 2 points.
 */
class Dl4jFashionTrainingTest {

  private static final int TRAIN = 1000;
  private static final int TEST = 500;

  @Test
  void bothBackendsLearnAlike() throws Exception {
    assumeTrue(FashionMnist.available(), "Fashion-MNIST not found");
    FashionMnist train = FashionMnist.load(true, TRAIN);
    FashionMnist test = FashionMnist.load(false, TEST);
    double[] acc = new double[2];
    String[] names = {"java", "dl4j"};
    for (int e = 0; e < 2; e++) {
      Backend backend = Backends.get(names[e]);
      long t0 = System.nanoTime();
      try (Classifier c = backend.classifier("lenet5bn", 1, 28, 10, 42)) {
        c.sgd(0.9, 5e-4);
        Random rng = new Random(7);
        int bs = 50;
        for (int epoch = 0; epoch < 4; epoch++) {
          int[] order = shuffle(rng, TRAIN);
          for (int b = 0; b < TRAIN; b += bs) {
            float[] logits = c.forward(train.batch(b, bs, order), true);
            int[] y = new int[bs];
            for (int i = 0; i < bs; i++) {
              y[i] = train.label(b + i, order);
            }
            c.backward(Dl4jAgreementTest.softmaxCeGradient(logits, y, bs, 10));
            c.step(0.05);
          }
        }
        int right = 0;
        float[] logits = c.forward(test.batch(0, TEST, null), false);
        for (int i = 0; i < TEST; i++) {
          int best = 0;
          for (int j = 1; j < 10; j++) {
            if (logits[i * 10 + j] > logits[i * 10 + best]) {
              best = j;
            }
          }
          right += best == test.label(i, null) ? 1 : 0;
        }
        acc[e] = (double) right / TEST;
      }
      System.out.printf("TRAINING %s (%s): test accuracy %.4f after 4 epochs on %d images,"
          + " %.1f s%n", names[e], backend.describe(), acc[e], TRAIN,
          (System.nanoTime() - t0) / 1e9);
    }
    assertTrue(acc[0] > 0.65 && acc[1] > 0.65, "accuracies " + acc[0] + " " + acc[1]);
    assertTrue(Math.abs(acc[0] - acc[1]) <= 0.02, "accuracies " + acc[0] + " " + acc[1]);
  }

  static int[] shuffle(Random rng, int n) {
    int[] o = new int[n];
    for (int i = 0; i < n; i++) {
      o[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = o[i];
      o[i] = o[j];
      o[j] = t;
    }
    return o;
  }
}
