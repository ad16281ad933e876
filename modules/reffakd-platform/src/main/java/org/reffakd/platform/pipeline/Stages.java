package org.reffakd.platform.pipeline;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.reffakd.nn.run.AutoencoderStage;
import org.reffakd.nn.run.DistillStage;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.nn.run.RunData;
import org.reffakd.nn.run.SoftLabelRecord;
import org.reffakd.nn.run.SoftLabelStage;
import org.reffakd.nn.run.Teachers;
import org.reffakd.nn.train.Progress;
import org.reffakd.platform.bus.Addresses;

/**
 * The three stage verticles. Requests carry a config, references and paths only (see
 * {@link Addresses}); each stage loads its data itself (files or the samples topic), takes
 * artefacts from the store by SHA-256 and soft labels from the soft-label topic by key.
 */
public final class Stages {

  private Stages() {}

  /** {@link Addresses#AUTOENCODER_TRAIN}: the encoder artefact of a config and its data. */
  public static final class Autoencoder extends StageVerticle {
    public Autoencoder(StageServices services) {
      super(Addresses.AUTOENCODER_TRAIN, services);
    }

    @Override
    protected JsonObject run(JsonObject req, Progress progress) {
      RunConfig cfg = configOf(req);
      long t = System.nanoTime();
      RunData data = services.data(cfg, req.getBoolean("from_topic", false));
      double dataSecs = (System.nanoTime() - t) / 1e9;
      AutoencoderStage.Output out = AutoencoderStage.run(cfg, data,
          Path.of(req.getString("dir")), services.artifacts(), progress);
      return new JsonObject(out.toMap()).put("data_seconds", dataSecs);
    }

    @Override
    protected String eventAddress() {
      return Addresses.AUTOENCODER_TRAINED;
    }
  }

  /**
   * {@link Addresses#SIMILARITY_COMPUTE}: the soft-label record of an encoder, published to
   * the soft-label store; the reply carries its key and matrices.
   */
  public static final class Similarity extends StageVerticle {
    public Similarity(StageServices services) {
      super(Addresses.SIMILARITY_COMPUTE, services);
    }

    @Override
    protected JsonObject run(JsonObject req, Progress progress) {
      RunConfig cfg = configOf(req);
      long t = System.nanoTime();
      RunData data = services.data(cfg, req.getBoolean("from_topic", false));
      SoftLabelRecord r = SoftLabelStage.run(cfg, data, req.getString("encoder_sha256"),
          services.artifacts());
      services.softLabels().publish(r);
      return new JsonObject(r.toJson()).put("seconds", (System.nanoTime() - t) / 1e9);
    }

    @Override
    protected String eventAddress() {
      return Addresses.SOFTLABELS_READY;
    }
  }

  /**
   * {@link Addresses#DISTILL}: trains a student from a soft-label key and an optional teacher
   * artefact; the reply is the result (also sent to {@code reffakd.runs} under the run id).
   */
  public static final class Distillation extends StageVerticle {
    public Distillation(StageServices services) {
      super(Addresses.DISTILL, services);
    }

    @Override
    protected JsonObject run(JsonObject req, Progress progress) {
      RunConfig cfg = configOf(req);
      RunData data = services.data(cfg, req.getBoolean("from_topic", false));
      String key = req.getString("soft_label_key");
      SoftLabelRecord soft = key == null ? null : services.softLabels().fetch(key);
      JsonObject t = req.getJsonObject("teacher");
      Teachers.Ref teacher = t == null ? null : new Teachers.Ref(
          plain(t.getJsonObject("descriptor")), services.artifacts().get(t.getString("sha256")));
      JsonObject upstream = req.getJsonObject("upstream", new JsonObject());
      Map<String, Object> result = DistillStage.run(cfg, data, soft, teacher,
          Path.of(req.getString("dir")), progress, plain(upstream)).toMap();
      JsonObject out = new JsonObject(encode(result));
      services.results().result(req.getString("run"), out);
      return out;
    }
  }

  /** The config of a request (its {@code config} object, as in config.json). */
  static RunConfig configOf(JsonObject req) {
    JsonObject c = req.getJsonObject("config");
    if (c == null) {
      throw new IllegalArgumentException("request without a config");
    }
    try {
      return RunConfig.JSON.readValue(c.encode(), RunConfig.class).validate();
    } catch (IOException e) {
      throw new IllegalArgumentException("bad config in request: " + e.getMessage()
          .replaceAll("\\s+", " "), e);
    }
  }

  /** A config as a request's {@code config} object. */
  static JsonObject json(RunConfig cfg) {
    return new JsonObject(encode(cfg));
  }

  /** Any value as JSON text through the project's mapper (snake_case, records). */
  static String encode(Object o) {
    try {
      return RunConfig.JSON.writeValueAsString(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A JSON object as plain maps and lists. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> plain(JsonObject o) {
    try {
      return RunConfig.JSON.readValue(o.encode(), Map.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
