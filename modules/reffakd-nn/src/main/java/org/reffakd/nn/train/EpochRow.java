package org.reffakd.nn.train;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One finished student epoch: the typed form of a line of {@code metrics.csv}, of an entry of
 * result.json's {@code history} and of a {@code reffakd.epoch} event's row. {@link #columns} and
 * {@link #fromMap} are the one place that knows the column names.
 *
 * @param terms    the loss's named terms (columns {@code loss_<term>})
 * @param valTop1  top-1 on the validation split, NaN when the run has none
 */
public record EpochRow(int epoch, double lr, double loss, Map<String, Double> terms,
                       double trainAcc, double valTop1, double testTop1, double testTop5,
                       double seconds, double trainSeconds, double imagesPerS)
    implements Progress.Row {

  public EpochRow {
    terms = Map.copyOf(terms);
  }

  /** The flat row, columns in the order of metrics.csv. */
  @Override
  @com.fasterxml.jackson.annotation.JsonValue
  public Map<String, Object> columns() {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("epoch", epoch);
    row.put("lr", lr);
    row.put("loss", loss);
    terms.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(t -> row.put("loss_" + t.getKey(), t.getValue()));
    row.put("train_acc", trainAcc);
    if (!Double.isNaN(valTop1)) {
      row.put("val_top1", valTop1);
    }
    row.put("test_top1", testTop1);
    row.put("test_top5", testTop5);
    row.put("seconds", seconds);
    row.put("train_seconds", trainSeconds);
    row.put("images_per_s", imagesPerS);
    return row;
  }

  /** Parses a row written by {@link #columns} (values may be numbers or numeric strings). */
  @com.fasterxml.jackson.annotation.JsonCreator(
      mode = com.fasterxml.jackson.annotation.JsonCreator.Mode.DELEGATING)
  public static EpochRow fromMap(Map<String, ?> m) {
    Map<String, Double> terms = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : m.entrySet()) {
      if (e.getKey().startsWith("loss_")) {
        terms.put(e.getKey().substring(5), num(e.getValue()));
      }
    }
    return new EpochRow((int) num(m.get("epoch")), num(m.get("lr")), num(m.get("loss")), terms,
        num(m.get("train_acc")), m.containsKey("val_top1") ? num(m.get("val_top1")) : Double.NaN,
        num(m.get("test_top1")), num(m.get("test_top5")), num(m.get("seconds")),
        num(m.get("train_seconds")), num(m.get("images_per_s")));
  }

  private static double num(Object o) {
    if (o instanceof Number n) {
      return n.doubleValue();
    }
    if (o == null || o.toString().isBlank()) {
      return Double.NaN;
    }
    return Double.parseDouble(o.toString());
  }

  /**
   * Which epoch a protocol selects: the honest one picks the best validation accuracy (first on
   * ties) and reports the test accuracy there; the paper's picks the best test accuracy.
   */
  @JsonAutoDetect(getterVisibility = JsonAutoDetect.Visibility.NONE,
      isGetterVisibility = JsonAutoDetect.Visibility.NONE,
      fieldVisibility = JsonAutoDetect.Visibility.NONE)
  @JsonPropertyOrder({"at_best_val", "best_val_epoch", "best", "best_epoch", "last", "last_top5"})
  public record Selection(int bestValEpoch, double testAtBestVal,
                          @JsonProperty("best_epoch") int bestTestEpoch,
                          @JsonProperty("best") double bestTest,
                          @JsonProperty("last") double lastTest,
                          @JsonProperty("last_top5") double lastTop5) {

    public static Selection of(List<EpochRow> history) {
      EpochRow bestVal = null;
      EpochRow bestTest = null;
      for (EpochRow r : history) {
        if (!Double.isNaN(r.valTop1()) && (bestVal == null || r.valTop1() > bestVal.valTop1())) {
          bestVal = r;
        }
        if (bestTest == null || r.testTop1() > bestTest.testTop1()) {
          bestTest = r;
        }
      }
      EpochRow last = history.get(history.size() - 1);
      return new Selection(bestVal == null ? 0 : bestVal.epoch(),
          bestVal == null ? Double.NaN : bestVal.testTop1(), bestTest.epoch(),
          bestTest.testTop1(), last.testTop1(), last.testTop5());
    }

    /**
     * Reads result.json's and teacher.json's {@code test_accuracy}: {@code at_best_val} and
     * {@code best_val_epoch} only when there was a validation split; {@code last_top5} absent
     * in the first releases' files (NaN).
     */
    @JsonCreator
    static Selection read(@JsonProperty("at_best_val") Double atBestVal,
                          @JsonProperty("best_val_epoch") Integer bestValEpoch,
                          @JsonProperty("best") double best,
                          @JsonProperty("best_epoch") int bestEpoch,
                          @JsonProperty("last") double last,
                          @JsonProperty("last_top5") Double lastTop5) {
      return new Selection(atBestVal == null ? 0 : bestValEpoch,
          atBestVal == null ? Double.NaN : atBestVal, bestEpoch, best, last,
          lastTop5 == null ? Double.NaN : lastTop5);
    }

    /** {@code at_best_val}: written only when there was a validation split. */
    @JsonProperty("at_best_val")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    Double jsonAtBestVal() {
      return bestValEpoch > 0 ? testAtBestVal : null;
    }

    @JsonProperty("best_val_epoch")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    Integer jsonBestValEpoch() {
      return bestValEpoch > 0 ? bestValEpoch : null;
    }
  }
}
