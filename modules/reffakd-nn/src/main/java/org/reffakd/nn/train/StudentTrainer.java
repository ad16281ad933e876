package org.reffakd.nn.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;
import org.reffakd.backend.Classifier;
import org.reffakd.nn.loss.ConfiguredLoss;
import org.reffakd.nn.prep.BatchAssembler;
import org.reffakd.nn.softlabel.SoftLabels;
import org.reffakd.spi.LossInput;
import org.reffakd.spi.LossOutput;
import org.reffakd.spi.LossPlugin;

/**
 * Trains a student with any loss strategy (through the plugin contract only): the loss sees the
 * logits, the hard labels and, when it asks, the soft label of each sample's class and the
 * teacher's logits on the same augmented batch; it returns named terms plus the gradient that
 * is back-propagated. Evaluates top-1/top-5 on the test split every epoch and
 * checkpoints {@code student-last.ckpt} after each epoch.
 */
public final class StudentTrainer {

  /** Hyper-parameters of the student stage. */
  public record Settings(int epochs, int batchSize, double lr, double momentum,
                         double weightDecay, String schedule, long seed) {}

  /** The per-epoch rows, the epoch each protocol selects, and the training time. */
  public record Result(List<EpochRow> history, EpochRow.Selection selection, double seconds) {}

  public static final String LAST = "student-last.ckpt";

  /**
   * The header of {@link #LAST}: the run's provenance (its keys first), then the trainer's
   * state: which epoch the weights are of, the seconds so far, and the rows so far.
   *
   * @param provenance a record of what made the run (null: none)
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Header(@JsonUnwrapped Record provenance, String stage, int epoch, double seconds,
                       List<EpochRow> history) {}

  /** What a resumed training reads back of {@link Header}. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Resume(int epoch, double seconds, List<EpochRow> history) {
    Resume {
      history = history == null ? List.of() : history;
    }
  }

  private StudentTrainer() {}

  /**
   * @param val the validation split evaluated after every epoch (selects the epoch), or null
   */
  public static Result train(Classifier net, ConfiguredLoss loss, SoftLabels soft,
                             Classifier teacher,
                             BatchAssembler train, BatchAssembler val, BatchAssembler test,
                             Settings s, Path dir, Record provenance,
                             Progress progress) {
    boolean needSoft = loss.needs(LossPlugin.Need.SOFT_LABELS);
    boolean needTeacher = loss.needs(LossPlugin.Need.TEACHER);
    if (needSoft && soft == null) {
      throw new IllegalArgumentException("loss " + loss.spec() + " needs soft labels");
    }
    if (needTeacher && teacher == null) {
      throw new IllegalArgumentException("loss " + loss.spec() + " needs a teacher: train one "
          + "with 'reffakd teacher' and pass --teacher DIR");
    }
    net.sgd(s.momentum(), s.weightDecay());
    LrSchedule lr = new LrSchedule(s.schedule(), s.lr(), s.epochs());
    List<EpochRow> history = new ArrayList<>();
    int start = 0;
    double seconds = 0;
    Path lastFile = dir.resolve("checkpoints").resolve(LAST);
    if (lastFile.toFile().exists()) {
      Checkpoint ck = Checkpoint.read(lastFile);
      ck.restore(net, "student checkpoint " + lastFile);
      Resume was = ck.header(Resume.class);
      start = was.epoch();
      seconds = was.seconds();
      history.addAll(was.history());
    }
    int n = train.images().count();
    int classes = train.images().classes();
    for (int epoch = start; epoch < s.epochs(); epoch++) {
      long t0 = System.nanoTime();
      double rate = lr.at(epoch);
      Map<String, Double> termSums = new LinkedHashMap<>();
      long[] correct = {0};
      int[] batch = {0};
      int ep = epoch;
      EpochProgress reporter = new EpochProgress(progress, "student", epoch + 1,
          s.epochs(), n, s.batchSize());
      EpochLoop.Pass pass = EpochLoop.run(train, s.batchSize(), s.seed(), epoch, reporter, b -> {
        batch[0]++;
        int bn = b.n();
        float[] logits = net.forward(b.x(), true);
        double[] z = new double[bn * classes];
        for (int i = 0; i < z.length; i++) {
          z[i] = logits[i];
        }
        int[] labels = java.util.Arrays.copyOf(b.labels(), bn);
        double[] targets = needSoft ? soft.targetsFor(labels, bn) : null;
        double[] tz = null;
        if (needTeacher) {
          float[] tl = teacher.forward(b.x(), false);
          tz = new double[bn * classes];
          for (int i = 0; i < tz.length; i++) {
            tz[i] = tl[i];
          }
        }
        // checks labels, logits, targets and the strategy's result before the step: a NaN
        // fails here, naming the loss, its origin, the epoch and the batch
        LossOutput res = loss.compute(new LossInput(z, bn, classes, labels, targets, tz, ep),
            batch[0]);
        float[] g = new float[bn * classes];
        for (int i = 0; i < g.length; i++) {
          g[i] = (float) res.gradient()[i];
        }
        net.backward(g);
        net.step(rate);
        for (Map.Entry<String, Double> t : res.terms().entrySet()) {
          termSums.merge(t.getKey(), t.getValue() * bn, Double::sum);
        }
        correct[0] += Evaluation.countTopK(z, bn, classes, labels, 1);
        return res.total();
      });
      int seen = pass.seen();
      double lossSum = pass.lossSum();
      double trainSecs = pass.seconds();
      double valTop1 = val == null ? Double.NaN : Evaluation.evaluate(net, val, 500).top1();
      Evaluation.Accuracy acc = Evaluation.evaluate(net, test, 500);
      double secs = (System.nanoTime() - t0) / 1e9;
      seconds += secs;
      Map<String, Double> terms = new LinkedHashMap<>();
      for (Map.Entry<String, Double> t : termSums.entrySet()) {
        terms.put(t.getKey(), t.getValue() / seen);
      }
      EpochRow row = new EpochRow(epoch + 1, rate, lossSum / seen, terms,
          (double) correct[0] / seen, valTop1, acc.top1(), acc.top5(), secs, trainSecs,
          seen / trainSecs);
      history.add(row);
      Checkpoint.of(new Header(provenance, "student", epoch + 1, seconds, List.copyOf(history)),
          net.state()).write(lastFile);
      org.reffakd.nn.util.Csv.writeRows(dir.resolve("metrics.csv"), Progress.columns(history));
      progress.epoch("student", epoch + 1, s.epochs(), String.format(
          "loss %.4f  train acc %.4f  %stest top1 %.4f top5 %.4f  %.0f img/s  %.1fs",
          lossSum / seen, (double) correct[0] / seen,
          Double.isNaN(valTop1) ? "" : String.format("val top1 %.4f  ", valTop1), acc.top1(),
          acc.top5(), seen / trainSecs, secs), row);
    }
    return new Result(history, EpochRow.Selection.of(history), seconds);
  }

  /**
   * A JIT warm-up outside any epoch's clock: {@code steps} forward/backward/SGD steps of a
   * throwaway model (the caller builds it: same architecture, its own seed) on one synthetic
   * batch of {@code batchSize} Gaussian images with random labels, softmax cross-entropy. It
   * touches nothing of the model that is trained (weights, optimizer, RNG streams, data
   * order): it only lets the JIT compile the engine's kernels at the shapes of the epoch, so
   * the first timed epoch of a fresh JVM is not the JIT's. {@code bench} runs it before its
   * first student epoch and reports its time as {@code student_warmup_s}.
   *
   * @return the seconds the warm-up took
   */
  public static double warmUp(Classifier throwaway, int channels, int side, int batchSize,
                              int steps) {
    long t0 = System.nanoTime();
    int classes = throwaway.classes();
    java.util.SplittableRandom rng = new java.util.SplittableRandom(0x5eed);
    float[] x = new float[batchSize * channels * side * side];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    int[] y = new int[batchSize];
    for (int i = 0; i < batchSize; i++) {
      y[i] = rng.nextInt(classes);
    }
    org.reffakd.backend.ImageBatch b = new org.reffakd.backend.ImageBatch(x,
        org.reffakd.backend.ImageBatch.Layout.CNHW, batchSize, channels, side, side);
    throwaway.sgd(0.9, 5e-4);
    for (int k = 0; k < steps; k++) {
      float[] z = throwaway.forward(b, true);
      throwaway.backward(Classifier.crossEntropyGradient(z, y, batchSize, classes));
      throwaway.step(0.01);
    }
    throwaway.forward(b, false); // the evaluation path too
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Loads student weights (parameters and batch-norm statistics) from a checkpoint. */
  public static void load(Classifier net, Path checkpoint) {
    Checkpoint.read(checkpoint).restore(net, "student " + checkpoint);
  }
}
