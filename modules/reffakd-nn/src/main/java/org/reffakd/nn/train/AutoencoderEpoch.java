package org.reffakd.nn.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One finished autoencoder epoch: a line of {@code autoencoder_metrics.csv}, an entry of
 * result.json's {@code autoencoder_history} and of the stage's output on the bus (in JSON:
 * {@code epoch, lr, train_mse, val_mse, seconds, train_seconds, images_per_s}).
 */
public record AutoencoderEpoch(int epoch, double lr, @JsonProperty("train_mse") double trainMse,
                               @JsonProperty("val_mse") double valMse, double seconds,
                               @JsonProperty("train_seconds") double trainSeconds,
                               @JsonProperty("images_per_s") double imagesPerS)
    implements Progress.Row {

  /** The record's JSON names, in its order: the CSV columns. */
  @Override
  @SuppressWarnings("unchecked")
  public Map<String, Object> columns() {
    return Checkpoint.JSON.convertValue(this, LinkedHashMap.class);
  }
}
