package org.reffakd.study;

/** One epoch of a job: validation and test top-1 accuracy, as fractions in [0, 1]. */
public record EpochPoint(int epoch, double valTop1, double testTop1) {}
