package org.reffakd.nn.train;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.reffakd.backend.ImageBatch;
import org.reffakd.nn.prep.BatchAssembler;

/**
 * The batches of one epoch in a seeded order, the next one assembled (augmented, normalised)
 * on a background thread while the current one trains.
 */
final class BatchStream implements AutoCloseable {

  record Batch(ImageBatch x, int[] labels, int n) {}

  private static final ExecutorService LOADER = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "reffakd-batch-loader");
    t.setDaemon(true);
    return t;
  });

  private final BatchAssembler assembler;
  private final int[] order;
  private final int batchSize;
  private final long seed;
  private final int epoch;
  private final float[][] buffers = new float[2][];
  private final int[][] labels;
  private int next;
  private Future<Batch> pending;

  BatchStream(BatchAssembler assembler, int[] order, int batchSize, long seed, int epoch) {
    this.assembler = assembler;
    this.order = order;
    this.batchSize = batchSize;
    this.seed = seed;
    this.epoch = epoch;
    this.labels = new int[][] {new int[batchSize], new int[batchSize]};
    schedule();
  }

  private void schedule() {
    if (next >= order.length) {
      pending = null;
      return;
    }
    int from = next;
    int to = Math.min(order.length, from + batchSize);
    int slot = (from / batchSize) & 1;
    next = to;
    pending = LOADER.submit(() -> {
      int[] lb = labels[slot];
      ImageBatch x = assembler.batch(order, from, to, seed, epoch, buffers[slot], lb);
      buffers[slot] = x.data();
      return new Batch(x, lb, to - from);
    });
  }

  /** The next batch, or null at the end of the epoch. */
  Batch next() {
    if (pending == null) {
      return null;
    }
    Batch b;
    try {
      b = pending.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading a batch", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("batch loading failed: " + e.getCause(), e.getCause());
    }
    schedule(); // the other slot: safe while this batch trains
    return b;
  }

  @Override
  public void close() {
    if (pending != null) {
      pending.cancel(false);
    }
  }
}
