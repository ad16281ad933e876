package org.reffakd.engine.java;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Splits large matrix products across a small fixed pool of compute threads. The number of
 * threads is process-wide ({@link #setThreads}); 1 runs everything on the calling thread.
 * Products below {@link #MIN_WORK} multiply-adds are never split: the hand-off costs more.
 */
public final class Parallel {

  static final long MIN_WORK = 4_000_000L;
  private static volatile int threads = 1;
  private static ExecutorService pool;

  private Parallel() {}

  /** Compute threads for matrix products (at least 1). */
  public static synchronized void setThreads(int t) {
    if (t < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + t);
    }
    if (t == threads && (t == 1) == (pool == null)) {
      return; // unchanged: a pool other threads may be using stays
    }
    if (pool != null) {
      pool.shutdown();
      pool = null;
    }
    threads = t;
    if (t > 1) {
      pool = Executors.newFixedThreadPool(t - 1, r -> {
        Thread th = new Thread(r, "reffakd-compute");
        th.setDaemon(true);
        return th;
      });
    }
  }

  public static int threads() {
    return threads;
  }

  static void gemm(int m, int n, int kk, float[] a, int aOff, int ars, int acs,
                   float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean acc) {
    int t = threads;
    if (t == 1 || (long) m * n * kk < MIN_WORK || n < 64 * t) {
      Kernels.gemm(m, n, kk, a, aOff, ars, acs, b, bOff, ldb, c, cOff, ldc, acc);
      return;
    }
    int step = ((n + t - 1) / t + 31) & ~31;
    run(t, part -> {
      int j0 = part * step;
      int j1 = Math.min(n, j0 + step);
      if (j0 < j1) {
        Kernels.gemm(m, j1 - j0, kk, a, aOff, ars, acs, b, bOff + j0, ldb, c, cOff + j0, ldc, acc);
      }
    });
  }

  static void gemmNT(int m, int n, int kk, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean acc) {
    int t = threads;
    if (t == 1 || (long) m * n * kk < MIN_WORK || n < 2 * t) {
      Kernels.gemmNT(m, n, kk, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, acc);
      return;
    }
    int step = (n + t - 1) / t;
    run(t, part -> {
      int j0 = part * step;
      int j1 = Math.min(n, j0 + step);
      if (j0 < j1) {
        Kernels.gemmNT(m, j1 - j0, kk, a, aOff, lda, b, bOff + j0 * ldb, ldb, c, cOff + j0, ldc,
            acc);
      }
    });
  }

  /**
   * Runs body(from, to) over [0, n) split into one contiguous range per thread when the work
   * (n * costPerItem) is large enough; the ranges must write disjoint memory.
   */
  static void forRange(int n, long costPerItem, RangeBody body) {
    int t = threads;
    if (t == 1 || n < t || (long) n * costPerItem < MIN_WORK / 4) {
      body.run(0, n);
      return;
    }
    int step = (n + t - 1) / t;
    run(t, part -> {
      int from = part * step;
      int to = Math.min(n, from + step);
      if (from < to) {
        body.run(from, to);
      }
    });
  }

  interface RangeBody {
    void run(int from, int to);
  }

  private interface Part {
    void run(int part);
  }

  private static void run(int t, Part body) {
    Future<?>[] fs = new Future<?>[t - 1];
    ExecutorService p = pool;
    for (int i = 1; i < t; i++) {
      final int part = i;
      fs[i - 1] = p.submit(() -> body.run(part));
    }
    body.run(0);
    for (Future<?> f : fs) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("compute thread failed", e.getCause());
      }
    }
  }
}
