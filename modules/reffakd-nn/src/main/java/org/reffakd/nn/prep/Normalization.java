package org.reffakd.nn.prep;

import java.util.ArrayList;
import java.util.List;

/** Per-channel mean and standard deviation used to normalise inputs: (x - mean) / std. */
public record Normalization(double[] mean, double[] std) {

  /**
   * Below this standard deviation a channel counts as constant (pixels are in [0, 1]: one grey
   * level is 1/255 = 0.004). Dividing by such a std would blow the channel's rounding noise up
   * by a million (an autoencoder MSE of 7e8); it is normalised with std 1 instead.
   */
  public static final double MIN_STD = 1e-3;

  /** The channels whose std is below {@link #MIN_STD}, in order. */
  public List<Integer> constantChannels() {
    List<Integer> c = new ArrayList<>();
    for (int i = 0; i < std.length; i++) {
      if (std[i] < MIN_STD) {
        c.add(i);
      }
    }
    return c;
  }

  /** This normalisation with std 1 for every {@link #constantChannels constant channel}. */
  public Normalization safe() {
    double[] s = std.clone();
    for (int i : constantChannels()) {
      s[i] = 1.0;
    }
    return new Normalization(mean.clone(), s);
  }
}
