package org.reffakd.nn.train;

import org.reffakd.nn.prep.BatchAssembler;

/**
 * The one epoch loop both trainers use: the epoch's seeded order, batches assembled on the
 * loader thread, one training step per batch, the running mean loss to the progress reporter.
 */
final class EpochLoop {

  /** One training step on a batch; returns the batch's mean loss. */
  interface Step {
    double run(BatchStream.Batch batch);
  }

  /** What a pass over the training data did: images seen, their summed loss, seconds. */
  record Pass(int seen, double lossSum, double seconds) {

    double meanLoss() {
      return lossSum / seen;
    }

    double imagesPerSecond() {
      return seen / seconds;
    }
  }

  private EpochLoop() {}

  static Pass run(BatchAssembler train, int batchSize, long seed, int epoch,
                  EpochProgress reporter, Step step) {
    long t0 = System.nanoTime();
    int[] order = BatchAssembler.permutation(train.images().count(), seed, epoch);
    double lossSum = 0;
    int seen = 0;
    try (BatchStream stream = new BatchStream(train, order, batchSize, seed, epoch)) {
      for (BatchStream.Batch b = stream.next(); b != null; b = stream.next()) {
        lossSum += step.run(b) * b.n();
        seen += b.n();
        reporter.after(seen, lossSum / seen);
      }
    }
    return new Pass(seen, lossSum, (System.nanoTime() - t0) / 1e9);
  }
}
