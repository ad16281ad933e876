package org.reffakd.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reffakd.backend.Classifier;
import org.reffakd.engine.java.model.Models;
import org.reffakd.nn.data.ImageDataset;
import org.reffakd.nn.loss.ConfiguredLoss;
import org.reffakd.nn.loss.LossRegistry;
import org.reffakd.nn.prep.Augmentation;
import org.reffakd.nn.prep.BatchAssembler;
import org.reffakd.nn.prep.PreparedImages;

/**
 * The bench's JIT warm-up ({@link StudentTrainer#warmUp}) changes no result: a student trained
 * after it has the same metrics and weights, bit for bit, as one trained without it (run
 * against run on this machine, never against stored numbers).
 */
class StudentWarmUpTest {

  @TempDir
  Path dir;

  private static BatchAssembler data(int n, long seed) {
    Random r = new Random(seed);
    byte[] px = new byte[n * 28 * 28];
    r.nextBytes(px);
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = r.nextInt(10);
    }
    ImageDataset ds = new ImageDataset("t", "train", 1, 28, 28, px, labels,
        List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), "sha");
    PreparedImages img = PreparedImages.of(ds, 32);
    return new BatchAssembler(img, img.statistics(), Augmentation.reference("fashion-mnist"));
  }

  private record Trained(List<EpochRow> history, Map<String, float[]> state) {}

  private Trained train(String name) {
    BatchAssembler train = data(300, 1);
    BatchAssembler test = data(100, 2);
    Classifier net = Models.create("lenet5bn", 1, 32, 10, 7);
    ConfiguredLoss loss = ConfiguredLoss.create(LossRegistry.discover(List.of()), "ce",
        Map.of());
    StudentTrainer.Result res = StudentTrainer.train(net, loss, null, null, train, null, test,
        new StudentTrainer.Settings(2, 64, 0.1, 0.9, 5e-4, "constant", 3), dir.resolve(name),
        null, Progress.NONE);
    return new Trained(res.history(), net.state());
  }

  private static void assertSame(Trained a, Trained b) {
    assertEquals(a.history().size(), b.history().size());
    for (int e = 0; e < a.history().size(); e++) {
      EpochRow x = a.history().get(e);
      EpochRow y = b.history().get(e);
      assertEquals(Double.doubleToLongBits(x.loss()), Double.doubleToLongBits(y.loss()));
      assertEquals(x.terms(), y.terms());
      assertEquals(x.trainAcc(), y.trainAcc());
      assertEquals(x.testTop1(), y.testTop1());
      assertEquals(x.testTop5(), y.testTop5());
    }
    assertEquals(a.state().keySet(), b.state().keySet());
    for (String k : a.state().keySet()) {
      assertArrayEquals(a.state().get(k), b.state().get(k), 0f, k);
    }
  }

  @Test
  void warmUpLeavesTheTrainedStudentBitForBitTheSame() {
    Trained without = train("without");
    double s;
    try (Classifier w = Models.create("lenet5bn", 1, 32, 10, -1)) {
      s = StudentTrainer.warmUp(w, 1, 32, 64, 5);
    }
    assertTrue(s > 0);
    Trained with = train("with");
    assertSame(without, with);
    // and once more after it (nothing left over from the warm-up's buffers either)
    assertSame(without, train("again"));
  }
}
