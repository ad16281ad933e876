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

  @Override
  public Map<String, Object> columns() {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("epoch", epoch);
    row.put("lr", lr);
    row.put("train_mse", trainMse);
    row.put("val_mse", valMse);
    row.put("seconds", seconds);
    row.put("train_seconds", trainSeconds);
    row.put("images_per_s", imagesPerS);
    return row;
  }
}
