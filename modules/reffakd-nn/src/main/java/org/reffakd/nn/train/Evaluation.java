package org.reffakd.nn.train;

import org.reffakd.backend.Classifier;
import org.reffakd.backend.ImageBatch;
import org.reffakd.nn.prep.BatchAssembler;

/** Top-1 / top-5 accuracy of a network on a split (evaluation mode, no augmentation). */
public final class Evaluation {

  public record Accuracy(double top1, double top5) {}

  private Evaluation() {}

  public static Accuracy evaluate(Classifier net, BatchAssembler data, int batchSize) {
    int n = data.images().count();
    int classes = data.images().classes();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    int[] lb = new int[batchSize];
    float[] buf = null;
    long c1 = 0;
    long c5 = 0;
    for (int from = 0; from < n; from += batchSize) {
      int to = Math.min(n, from + batchSize);
      ImageBatch x = data.batch(order, from, to, 0, 0, buf, lb);
      buf = x.data();
      float[] z = net.forward(x, false);
      double[] zd = new double[(to - from) * classes];
      for (int i = 0; i < zd.length; i++) {
        zd[i] = z[i];
      }
      c1 += countTopK(zd, to - from, classes, lb, 1);
      c5 += countTopK(zd, to - from, classes, lb, Math.min(5, classes));
    }
    return new Accuracy((double) c1 / n, (double) c5 / n);
  }

  /** Rows whose label is among the k largest logits (ties counted against the label). */
  public static long countTopK(double[] z, int n, int classes, int[] labels, int k) {
    long hits = 0;
    for (int i = 0; i < n; i++) {
      double zy = z[i * classes + labels[i]];
      int above = 0;
      for (int j = 0; j < classes; j++) {
        if (j != labels[i] && z[i * classes + j] >= zy) {
          above++;
        }
      }
      if (above < k) {
        hits++;
      }
    }
    return hits;
  }
}
