package org.reffakd.nn.run;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.reffakd.nn.train.EpochRow;

/**
 * A teacher's descriptor: {@code teacher.json} in a folder written by {@code reffakd teacher}
 * (every field), or what a model file given as {@code --teacher FILE} says of itself
 * ({@code format} {@link Teachers#MODEL_FILE}, {@code file}, {@code arch}, {@code classes_count},
 * {@code engine}). It travels with a teacher artefact in a distillation job and is recorded in
 * the student's provenance (without its history). Absent fields are left out of the JSON;
 * fields a later release adds are ignored by this one.
 *
 * @param testAccuracy the epochs each protocol selects ({@code test_accuracy})
 * @param weights      which weights teacher.ckpt holds
 * @param config       the teacher's run config, {@code seed}, {@code code_version} and
 *                     {@code dataset_sha256}: its provenance
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@com.fasterxml.jackson.databind.annotation.JsonNaming(
    com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TeacherInfo(String format, String file, String dataset, List<String> classes,
                          Integer classesCount, String arch, String engine,
                          String engineDescription, Integer imageSize, Integer channels,
                          Long parameters, Integer epochs, EpochRow.Selection testAccuracy,
                          Integer trainImages, Double trainFraction, String weights,
                          Double trainingSeconds, Integer threads, Cost cost,
                          List<EpochRow> history, RunConfig config, Long seed,
                          String codeVersion, DatasetChecksums datasetSha256) {

  /** The descriptor of a model file (ONNX, DL4J, a checkpoint) given as the teacher. */
  public static TeacherInfo modelFile(String file, String arch, int classes, String engine) {
    return new TeacherInfo(Teachers.MODEL_FILE, file, null, null, classes, arch, engine, null,
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null);
  }

  /** Whether the teacher is a model file (no dataset or size facts). */
  public boolean isModelFile() {
    return Teachers.MODEL_FILE.equals(format);
  }

  /** This descriptor without its per-epoch history (what a student's provenance records). */
  public TeacherInfo withoutHistory() {
    return new TeacherInfo(format, file, dataset, classes, classesCount, arch, engine,
        engineDescription, imageSize, channels, parameters, epochs, testAccuracy, trainImages,
        trainFraction, weights, trainingSeconds, threads, cost, null, config, seed, codeVersion,
        datasetSha256);
  }

  /** The teacher's cost (a teacher.json older than the cost record kept the count outside). */
  public Cost costOrUnknown() {
    Cost c = cost == null ? Cost.UNKNOWN : cost;
    return c.parameters() < 0 && parameters != null ? c.withParameters(parameters) : c;
  }
}
