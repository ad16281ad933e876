package org.reffakd.nn.train;

/**
 * Throttles the per-batch reports of one epoch: at most one a second, and none before a few
 * batches have run (the first batches, still in the JIT's warm-up, give a wild time left).
 */
final class EpochProgress {

  private final Progress progress;
  private final String stage;
  private final int epoch;
  private final int epochs;
  private final int total;
  private final int minImages;
  private final long t0 = System.nanoTime();
  private long last = t0;

  EpochProgress(Progress progress, String stage, int epoch, int epochs, int total,
                int batchSize) {
    this.progress = progress;
    this.stage = stage;
    this.epoch = epoch;
    this.epochs = epochs;
    this.total = total;
    this.minImages = 4 * batchSize;
  }

  /** After a batch: images seen so far this epoch and their mean loss. */
  void after(int seen, double meanLoss) {
    long now = System.nanoTime();
    if (now - last > 1_000_000_000L && seen >= minImages) {
      last = now;
      progress.batch(stage, epoch, epochs, seen, total, meanLoss, seen / ((now - t0) / 1e9));
    }
  }
}
