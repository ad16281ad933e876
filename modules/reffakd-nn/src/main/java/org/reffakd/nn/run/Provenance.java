package org.reffakd.nn.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/**
 * What every artefact of a run records of what made it: the config, the seed, the code
 * version and the dataset's checksums. The keys lead the header of the run's checkpoints
 * ({@code config}, {@code seed}, {@code code_version}, {@code dataset_sha256}) and stand in
 * result.json.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Provenance(RunConfig config, long seed, String codeVersion,
                         DatasetChecksums datasetSha256) {

  /**
   * A student's provenance: the run's, then what its distillation used (loss parameters as
   * validated, soft labels, engine, the input the model expects, the teacher without its
   * history). Absent parts (no soft labels, no teacher) are left out.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Student(@JsonUnwrapped Provenance run,
                        Map<String, Map<String, Object>> lossParameters, String softLabelKey,
                        String softLabelVariant, String encoderSha256, String engine,
                        String engineDescription, ModelInput input, TeacherInfo teacher) {}

  /**
   * What an exported model needs of a student checkpoint's header (older checkpoints lack some:
   * null).
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record ModelFacts(Integer epoch, ModelInput input, DatasetChecksums datasetSha256,
                           String codeVersion) {}
}
