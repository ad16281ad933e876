package org.reffakd.nn.run;

import java.nio.file.Files;
import java.nio.file.Path;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;
import org.reffakd.backend.AutoencoderModel;
import org.reffakd.backend.Backend;
import org.reffakd.nn.prep.Augmentation;
import org.reffakd.nn.prep.BatchAssembler;
import org.reffakd.nn.prep.PreparedImages;
import org.reffakd.nn.train.AutoencoderTrainer;
import org.reffakd.nn.train.Checkpoint;
import org.reffakd.nn.train.Progress;

/**
 * The autoencoder stage as a stateless service: config and data in, an encoder artefact out.
 * It trains on the labelled images the route has (its {@code train_fraction} of the pool, the
 * student's validation split set aside, see {@link Splits}), or with {@code ae_pool all} on the
 * whole pool without labels ({@link RunData.Parts#autoencoderPool}); it selects the epoch on a
 * further {@code ae_val_fraction} of those images, keeps
 * its resumable checkpoints in a work directory, and stores the best checkpoint in the
 * artefact store: the output names it by SHA-256.
 */
public final class AutoencoderStage {

  private AutoencoderStage() {}

  /**
   * The encoder artefact and what it cost.
   *
   * @param encoderSha256 the best checkpoint in the artefact store
   * @param history       the per-epoch rows of autoencoder_metrics.csv
   */
  public record Output(String encoderSha256, int channels, int side, double bestValMse,
                       int bestEpoch, int valImages, long parameters,
                       List<org.reffakd.nn.train.AutoencoderEpoch> history, double seconds,
                       Cost cost) {

    /** What a run's result.json reports of its autoencoder, with the stage timings so far. */
    public Upstream upstream(Map<String, Double> timings) {
      return Upstream.of(this, timings);
    }
  }

  /**
   * What determines an autoencoder: its part of the config, the data and the code (the header
   * of its checkpoints, so of the encoder artefact whose SHA-256 names it). The subset of the
   * pool is recorded only when it is one (absent at fraction 1, so those stay as they were).
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Provenance(String stage, String dataset, DatasetChecksums datasetSha256,
                           int imageSize, int aeEpochs, double aeLr, String aeSchedule,
                           double aeValFraction, int batchSize, boolean augment, int valSize,
                           long seed, String engine, String codeVersion,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Double trainFraction,
                           @JsonInclude(JsonInclude.Include.NON_NULL) String aePool) {}

  public static Provenance provenance(RunConfig cfg, RunData data) {
    boolean whole = coversPool(cfg);
    return new Provenance("autoencoder", cfg.dataset(), data.checksums(),
        cfg.input().imageSize(), cfg.autoencoder().epochs(), cfg.autoencoder().lr(),
        cfg.autoencoder().schedule(), cfg.autoencoder().valFraction(), cfg.student().batchSize(),
        cfg.student().augment(), cfg.input().valSize(), cfg.seed(), cfg.engine(),
        org.reffakd.nn.util.CodeVersion.get(), whole ? null : cfg.trainFraction(),
        whole ? null : cfg.autoencoder().pool());
  }

  /** Whether this config's autoencoder trains on the whole pool (fraction 1 or ae_pool all). */
  public static boolean coversPool(RunConfig cfg) {
    return cfg.trainFraction() == 1.0 || RunConfig.AE_POOL_ALL.equals(cfg.autoencoder().pool());
  }

  /**
   * Trains (or resumes, in workDir) the autoencoder and stores the best checkpoint; first checks
   * that the whole run can finish on this data ({@link Preflight#run}).
   */
  public static Output run(RunConfig cfg, RunData data, Path workDir, ArtifactStore store,
                           Progress progress) {
    Preflight.run(cfg, data);
    Costs.Meter meter = new Costs.Meter();
    PreparedImages pool = data.parts(cfg).autoencoderPool(cfg);
    AutoencoderModel ae = cfg.backend().autoencoder(pool.channels(), cfg.seed());
    int[] perm = BatchAssembler.permutation(pool.count(), cfg.seed() ^ 0x5EED, 0);
    int nVal = (int) Math.round(pool.count() * cfg.autoencoder().valFraction());
    PreparedImages aeVal = pool.subset(java.util.Arrays.copyOfRange(perm, 0, nVal));
    PreparedImages aeTrain = pool.subset(java.util.Arrays.copyOfRange(perm, nVal, perm.length));
    Augmentation aug = cfg.student().augment() ? Augmentation.reference(cfg.dataset()) : Augmentation.NONE;
    Provenance provenance = provenance(cfg, data);
    Path best = workDir.resolve("checkpoints").resolve(AutoencoderTrainer.BEST);
    AutoencoderTrainer.Result r;
    if (cfg.autoencoder().epochs() > 0) {
      r = AutoencoderTrainer.train(ae, new BatchAssembler(aeTrain, data.norm(), aug),
          new BatchAssembler(aeVal, data.norm(), Augmentation.NONE),
          new AutoencoderTrainer.Settings(cfg.autoencoder().epochs(), cfg.student().batchSize(), cfg.autoencoder().lr(), 0.9, 5e-4,
              cfg.autoencoder().schedule(), cfg.seed()), workDir, provenance, progress);
    } else {
      // no training: the initial weights are the encoder (a named, stored artefact all the same)
      if (!Files.isRegularFile(best)) {
        Checkpoint.of(new AutoencoderTrainer.Best(provenance, 0, null, null, null),
            ae.parameters()).write(best);
      }
      r = new AutoencoderTrainer.Result(Double.NaN, 0, List.of(), 0);
    }
    String sha = store.put(best);
    long macs = ae.macsPerImage(pool.channels(), pool.side());
    long seen = (long) aeTrain.count() * r.history().size();
    return new Output(sha, pool.channels(), pool.side(), r.bestValMse(), r.bestEpoch(), nVal,
        ae.parameterCount(), r.history(), r.seconds(),
        meter.cost(ae.parameterCount(), macs, Costs.trainingFlops(macs, seen)));
  }

  /**
   * The encoder of an artefact, ready to embed images, in the given backend (the artefact's
   * arrays are named alike in every backend).
   */
  public static AutoencoderModel load(Backend backend, ArtifactStore store, String sha,
                                      int channels) {
    Path p = store.get(sha);
    AutoencoderModel ae = backend.autoencoder(channels, 0);
    Checkpoint.read(p).restore(ae, "encoder artifact " + p);
    return ae;
  }
}
