package org.reffakd.nn.run;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What a student exported from a run expects: its input's channels and side, the classes it
 * predicts and the normalisation the run trained with (per-channel mean and std of [0, 1]
 * pixels). Recorded as {@code input} in the student checkpoint's header and result.json's
 * provenance; {@code reffakd export} and {@code predict} read it back.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ModelInput(int channels, int imageSize, int classesCount, double[] mean,
                         double[] std) {}
