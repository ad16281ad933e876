package org.reffakd.nn.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the stages before distillation report into a run's result.json: the autoencoder's
 * figures (absent for a job that has none) and the seconds each earlier stage took. It crosses
 * the event bus and Kafka inside the distillation request, in this JSON form (snake_case, the
 * keys result.json has: {@code autoencoder_parameters}, ..., {@code timings_s}).
 *
 * @param autoencoderHistory the autoencoder's per-epoch rows (autoencoder_metrics.csv)
 * @param timingsS           seconds per earlier stage ({@code data}, {@code autoencoder}, ...)
 */
public record Upstream(Long autoencoderParameters, Integer autoencoderEpochs,
                       Double autoencoderValMse, Integer autoencoderBestEpoch,
                       String autoencoderSelection,
                       List<org.reffakd.nn.train.AutoencoderEpoch> autoencoderHistory,
                       Cost autoencoderCost, Map<String, Double> timingsS) {

  /** Nothing upstream: a job given its soft labels or teacher by reference. */
  public static final Upstream NONE = new Upstream(null, null, null, null, null, null, null,
      Map.of());

  public Upstream {
    timingsS = timingsS == null ? Map.of() : java.util.Collections.unmodifiableMap(
        new LinkedHashMap<>(timingsS));
  }

  /** The autoencoder's figures with the stage timings so far. */
  public static Upstream of(AutoencoderStage.Output ae, Map<String, Double> timings) {
    return new Upstream(ae.parameters(), ae.history().size(),
        Double.isNaN(ae.bestValMse()) ? null : ae.bestValMse(), ae.bestEpoch(),
        "validation split of " + ae.valImages()
            + " training images (the reference selected on the test split)",
        ae.history(), ae.cost(), timings);
  }

  /**
   * The autoencoder's entries of result.json: this record's JSON but the timings (which go to
   * {@code timings_s}), in its order; none without an autoencoder.
   */
  @SuppressWarnings("unchecked")
  public Map<String, Object> details() {
    if (autoencoderParameters == null) {
      return new LinkedHashMap<>();
    }
    Upstream u = autoencoderCost != null ? this : new Upstream(autoencoderParameters,
        autoencoderEpochs, autoencoderValMse, autoencoderBestEpoch, autoencoderSelection,
        autoencoderHistory, Cost.UNKNOWN, timingsS);
    Map<String, Object> d = RunConfig.JSON.convertValue(u, LinkedHashMap.class);
    d.remove("timings_s");
    return d;
  }
}
