package org.reffakd.nn.train;

import java.nio.file.Path;
import java.util.ArrayList;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import org.reffakd.backend.AutoencoderModel;
import org.reffakd.backend.ImageBatch;
import org.reffakd.nn.prep.BatchAssembler;

/**
 * Trains the autoencoder with MSE against the normalised input (METHOD.md section 1), keeps the
 * parameters with the lowest validation MSE, and checkpoints every epoch:
 * {@code autoencoder-last.ckpt} (resumable state) and {@code autoencoder-best.ckpt}.
 */
public final class AutoencoderTrainer {

  /** Hyper-parameters of the autoencoder stage. */
  public record Settings(int epochs, int batchSize, double lr, double momentum,
                         double weightDecay, String schedule, long seed) {}

  /** What the stage produced. */
  public record Result(double bestValMse, int bestEpoch, List<AutoencoderEpoch> history,
                       double seconds) {}

  public static final String LAST = "autoencoder-last.ckpt";
  public static final String BEST = "autoencoder-best.ckpt";

  /**
   * The header of {@link #LAST}: the provenance (its keys first; the stage's names the stage),
   * then the trainer's state.
   *
   * @param provenance a record of what made the encoder (null: none)
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Header(@JsonUnwrapped Record provenance, int epoch, double bestValMse,
                       int bestEpoch, double seconds, List<AutoencoderEpoch> history) {}

  /**
   * The header of {@link #BEST}, the encoder artefact: no timing and no history, so equal
   * trainings give equal artefacts (the same SHA-256). An untrained encoder (0 epochs) records
   * its epoch only.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Best(@JsonUnwrapped Record provenance, int epoch, Double bestValMse,
                     Integer bestEpoch, Double valMse) {}

  /** What a reader of {@link #BEST} learns of it: its epoch and validation MSE (null: none). */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Selected(int epoch, Double valMse) {}

  /** What a resumed training reads back of {@link Header}. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Resume(int epoch, double bestValMse, int bestEpoch, double seconds,
                List<AutoencoderEpoch> history) {
    Resume {
      history = history == null ? List.of() : history;
    }
  }

  private AutoencoderTrainer() {}

  public static Result train(AutoencoderModel ae, BatchAssembler train, BatchAssembler val,
                             Settings s, Path dir, Record provenance,
                             Progress progress) {
    ae.sgd(s.momentum(), s.weightDecay());
    LrSchedule lr = new LrSchedule(s.schedule(), s.lr(), s.epochs());
    List<AutoencoderEpoch> history = new ArrayList<>();
    double best = Double.POSITIVE_INFINITY;
    int bestEpoch = 0;
    int start = 0;
    double seconds = 0;
    Path lastFile = dir.resolve("checkpoints").resolve(LAST);
    if (lastFile.toFile().exists()) {
      Checkpoint ck = Checkpoint.read(lastFile);
      ck.restore(ae, "autoencoder checkpoint " + lastFile);
      Resume was = ck.header(Resume.class);
      start = was.epoch();
      best = was.bestValMse();
      bestEpoch = was.bestEpoch();
      seconds = was.seconds();
      history.addAll(was.history());
    }
    int n = train.images().count();
    for (int epoch = start; epoch < s.epochs(); epoch++) {
      long t0 = System.nanoTime();
      double rate = lr.at(epoch);
      EpochProgress reporter = new EpochProgress(progress, "autoencoder", epoch + 1,
          s.epochs(), n, s.batchSize());
      EpochLoop.Pass pass = EpochLoop.run(train, s.batchSize(), s.seed(), epoch, reporter,
          b -> ae.trainStep(b.x(), rate));
      double sum = pass.lossSum();
      int seen = pass.seen();
      double trainSecs = pass.seconds();
      double valMse = validationMse(ae, val, s.batchSize());
      double secs = (System.nanoTime() - t0) / 1e9;
      seconds += secs;
      boolean improved = valMse < best;
      if (improved) {
        best = valMse;
        bestEpoch = epoch + 1;
      }
      AutoencoderEpoch row = new AutoencoderEpoch(epoch + 1, rate, sum / seen, valMse, secs,
          trainSecs, seen / trainSecs);
      history.add(row);
      if (improved) {
        Checkpoint.of(new Best(provenance, epoch + 1, best, bestEpoch, valMse), ae.parameters())
            .write(dir.resolve("checkpoints").resolve(BEST));
      }
      Checkpoint.of(new Header(provenance, epoch + 1, best, bestEpoch, seconds, history),
          ae.state()).write(lastFile);
      org.reffakd.nn.util.Csv.writeRows(dir.resolve("autoencoder_metrics.csv"), Progress.columns(history));
      progress.epoch("autoencoder", epoch + 1, s.epochs(), String.format(
          "train mse %.4f  val mse %.4f%s  %.0f img/s  %.1fs", sum / seen, valMse,
          improved ? " (best)" : "", seen / trainSecs, secs), row);
    }
    return new Result(best, bestEpoch, history, seconds);
  }

  /** Mean squared reconstruction error over a split, without augmentation. */
  public static double validationMse(AutoencoderModel ae, BatchAssembler data, int batchSize) {
    int n = data.images().count();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    double sum = 0;
    long count = 0;
    int[] lb = new int[batchSize];
    float[] buf = null;
    for (int from = 0; from < n; from += batchSize) {
      int to = Math.min(n, from + batchSize);
      ImageBatch x = data.batch(order, from, to, 0, 0, buf, lb);
      buf = x.data();
      float[] y = ae.reconstruct(x);
      for (int i = 0; i < x.size(); i++) {
        double d = y[i] - x.data()[i];
        sum += d * d;
      }
      count += x.size();
    }
    return sum / count;
  }

  /** Loads the best parameters into ae; what its header says of them. */
  public static Selected loadBest(AutoencoderModel ae, Path dir) {
    Path best = dir.resolve("checkpoints").resolve(BEST);
    Checkpoint ck = Checkpoint.read(best);
    ck.restore(ae, "autoencoder " + best);
    return ck.header(Selected.class);
  }
}
