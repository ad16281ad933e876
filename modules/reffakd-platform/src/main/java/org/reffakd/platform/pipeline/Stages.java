package org.reffakd.platform.pipeline;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.reffakd.nn.run.AutoencoderStage;
import org.reffakd.nn.run.DistillStage;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.nn.run.RunData;
import org.reffakd.nn.run.SoftLabelRecord;
import org.reffakd.nn.run.SoftLabelStage;
import org.reffakd.nn.run.Teachers;
import org.reffakd.nn.run.Upstream;
import org.reffakd.nn.train.Progress;
import org.reffakd.platform.bus.Addresses;
import org.reffakd.platform.bus.Messages;

/**
 * The three stage verticles. Requests carry a config, references and paths only, as the
 * records of {@link Messages} (see {@link Addresses}); {@link StageVerticle} reads each, checks
 * its config and loads its data (files or the samples topic); a stage takes artefacts from the
 * store by SHA-256 and soft labels from the soft-label topic by key.
 */
public final class Stages {

  private Stages() {}

  /** {@link Addresses#AUTOENCODER_TRAIN}: the encoder artefact of a config and its data. */
  public static final class Autoencoder extends StageVerticle<Messages.AutoencoderRequest> {
    public Autoencoder(StageServices services) {
      super(Addresses.AUTOENCODER_TRAIN, Messages.AutoencoderRequest.class, services);
    }

    @Override
    protected Object run(Messages.AutoencoderRequest req, RunConfig cfg, RunData data,
                         double dataSecs, Progress progress) {
      AutoencoderStage.Output out = AutoencoderStage.run(cfg, data, Path.of(req.dir()),
          services.artifacts(), progress);
      return new Messages.AutoencoderReply(req.run(), out, dataSecs);
    }

    @Override
    protected String eventAddress() {
      return Addresses.AUTOENCODER_TRAINED;
    }
  }

  /**
   * {@link Addresses#SIMILARITY_COMPUTE}: the soft-label record of an encoder, published to
   * the soft-label store; the reply carries the record.
   */
  public static final class Similarity extends StageVerticle<Messages.SimilarityRequest> {
    public Similarity(StageServices services) {
      super(Addresses.SIMILARITY_COMPUTE, Messages.SimilarityRequest.class, services);
    }

    @Override
    protected Object run(Messages.SimilarityRequest req, RunConfig cfg, RunData data,
                         double dataSecs, Progress progress) {
      long t = System.nanoTime();
      SoftLabelRecord r = SoftLabelStage.run(cfg, data, req.encoderSha256(),
          services.artifacts());
      services.softLabels().publish(r);
      return new Messages.SimilarityReply(req.run(), r,
          dataSecs + (System.nanoTime() - t) / 1e9);
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
  public static final class Distillation extends StageVerticle<Messages.DistillRequest> {
    public Distillation(StageServices services) {
      super(Addresses.DISTILL, Messages.DistillRequest.class, services);
    }

    @Override
    protected Object run(Messages.DistillRequest req, RunConfig cfg, RunData data,
                         double dataSecs, Progress progress) {
      SoftLabelRecord soft = req.softLabelKey() == null ? null
          : services.softLabels().fetch(req.softLabelKey());
      Messages.TeacherArtifact t = req.teacher();
      Teachers.Ref teacher = t == null ? null
          : new Teachers.Ref(t.descriptor(), services.artifacts().get(t.sha256()));
      JsonObject out = Messages.json(DistillStage.run(cfg, data, soft, teacher,
          Path.of(req.dir()), progress, req.upstream() == null ? Upstream.NONE
              : req.upstream()));
      services.results().result(req.run(), out);
      return out;
    }
  }
}
