package org.reffakd.nn.train;

import java.util.Map;

/** Receives progress of long work. Implementations must be cheap; called on the training thread. */
public interface Progress {

  /**
   * @param stage       e.g. {@code autoencoder} or {@code student}
   * @param epoch       1-based epoch
   * @param epochs      total epochs
   * @param done        images done in this epoch
   * @param total       images per epoch
   * @param loss        running mean loss of this epoch
   * @param imagesPerS  throughput so far in this epoch
   */
  void batch(String stage, int epoch, int epochs, int done, int total, double loss,
             double imagesPerS);

  /**
   * One finished epoch, with its summary line and its metrics row (the line written to the
   * stage's metrics CSV).
   */
  void epoch(String stage, int epoch, int epochs, String summary, Row row);

  /** A finished epoch's metrics (a student's {@link EpochRow}, an {@link AutoencoderEpoch}). */
  interface Row {
    /** The row's columns by name, in the order of the stage's metrics CSV. */
    Map<String, Object> columns();
  }

  /** Rows as the metrics CSV takes them. */
  static java.util.List<Map<String, Object>> columns(java.util.List<? extends Row> rows) {
    return rows.stream().map(Row::columns).toList();
  }

  /** The same reports under another stage name (a teacher trains through the student loop). */
  default Progress as(String stageName) {
    Progress outer = this;
    return new Progress() {
      @Override
      public void batch(String s, int e, int es, int d, int t, double l, double ips) {
        outer.batch(stageName, e, es, d, t, l, ips);
      }

      @Override
      public void epoch(String s, int e, int es, String summary, Row row) {
        outer.epoch(stageName, e, es, summary, row);
      }
    };
  }

  Progress NONE = new Progress() {
    @Override
    public void batch(String s, int e, int es, int d, int t, double l, double ips) {}

    @Override
    public void epoch(String s, int e, int es, String summary, Row row) {}
  };
}
