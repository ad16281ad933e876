package org.reffakd.nn.prep;

/** Per-channel mean and standard deviation used to normalise inputs: (x - mean) / std. */
public record Normalization(double[] mean, double[] std) {}
