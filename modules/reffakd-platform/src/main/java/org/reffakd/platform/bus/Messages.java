package org.reffakd.platform.bus;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.reffakd.nn.run.AutoencoderStage;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.nn.run.SoftLabelRecord;
import org.reffakd.nn.run.Upstream;

/**
 * What crosses the event bus and Kafka between the stages, as records, and their one codec:
 * Jackson on the records through the project's mapper ({@link RunConfig#JSON}: snake_case,
 * unknown fields refused, the config exactly as config.json has it). No stage reads another's
 * message as a map.
 */
public final class Messages {

  private Messages() {}

  /** What every stage request carries: its run, the config, where the data come from. */
  public interface StageRequest {
    String run();

    RunConfig config();

    boolean fromTopic();
  }

  /** {@link Addresses#AUTOENCODER_TRAIN}: train (or resume in {@code dir}) an autoencoder. */
  public record AutoencoderRequest(String run, RunConfig config, String dir, boolean fromTopic)
      implements StageRequest {}

  /**
   * The reply of {@link Addresses#AUTOENCODER_TRAIN}, also published on {@link
   * Addresses#AUTOENCODER_TRAINED}: the encoder artefact and the seconds its data took to load.
   */
  public record AutoencoderReply(String run, AutoencoderStage.Output output,
                                 double dataSeconds) {}

  /** {@link Addresses#SIMILARITY_COMPUTE}: the soft-label record of an encoder. */
  public record SimilarityRequest(String run, RunConfig config, String encoderSha256,
                                  boolean fromTopic) implements StageRequest {}

  /**
   * The reply of {@link Addresses#SIMILARITY_COMPUTE}, also published on {@link
   * Addresses#SOFTLABELS_READY}: the record (already on the soft-label topic) and the seconds
   * the stage took.
   */
  public record SimilarityReply(String run, SoftLabelRecord record, double seconds) {}

  /** A teacher by reference: its weights' SHA-256 in the artefact store, its teacher.json. */
  public record TeacherArtifact(String sha256, org.reffakd.nn.run.TeacherInfo descriptor) {}

  /**
   * {@link Addresses#DISTILL}: train a student from a soft-label key (or none) and a teacher
   * (or none); {@code upstream} is what the earlier stages report into its result.json.
   */
  public record DistillRequest(String run, RunConfig config, String dir, String softLabelKey,
                               boolean fromTopic, TeacherArtifact teacher, Upstream upstream)
      implements StageRequest {}

  /**
   * A record on {@code reffakd.jobs}, keyed by its run id: a whole run ({@code kind} "run") or a
   * study's distillation job ("distill", with its soft-label key and teacher). The config
   * carries no plugin folders: a record names a loss, never code to load.
   */
  public record Job(String kind, String run, RunConfig config, boolean fromTopic,
                    String softLabelKey, TeacherArtifact teacher, Upstream upstream) {

    public Job {
      kind = kind == null ? "run" : kind;
    }

    public boolean distill() {
      return kind.equals("distill");
    }
  }

  /** A record (or any value) as a JSON object. */
  public static JsonObject json(Object value) {
    if (value instanceof JsonObject j) {
      return j.copy();
    }
    try {
      return new JsonObject(RunConfig.JSON.writeValueAsString(value));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A JSON object as a record; a malformed one fails with one line naming the type and the
   * problem (the mapper's message, whitespace folded).
   */
  public static <T> T read(JsonObject o, Class<T> type) {
    try {
      return RunConfig.JSON.readValue(o.encode(), type);
    } catch (IOException e) {
      String what = e.getMessage() == null ? e.toString() : e.getMessage();
      int cut = what.indexOf(" at [Source");
      throw new IllegalArgumentException("bad " + type.getSimpleName() + ": "
          + (cut > 0 ? what.substring(0, cut) : what).replaceAll("\\s+", " "), e);
    }
  }
}
