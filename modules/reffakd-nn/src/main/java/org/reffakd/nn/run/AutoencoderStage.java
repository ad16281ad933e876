package org.reffakd.nn.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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

  /** What determines an autoencoder: its part of the config, the data and the code. */
  public static Map<String, Object> provenance(RunConfig cfg, RunData data) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("stage", "autoencoder");
    p.put("dataset", cfg.dataset());
    p.put("dataset_sha256", data.provenance(cfg).get("dataset_sha256"));
    for (String k : List.of("image_size", "ae_epochs", "ae_lr", "ae_schedule", "ae_val_fraction",
        "batch_size", "augment", "val_size", "seed")) {
      p.put(k, RunConfig.JSON.convertValue(cfg, Map.class).get(k));
    }
    p.put("engine", cfg.engine());
    p.put("code_version", org.reffakd.nn.util.CodeVersion.get());
    if (!coversPool(cfg)) {
      // a subset of the pool: which one (absent at fraction 1, so those stay as they were)
      p.put("train_fraction", cfg.trainFraction());
      p.put("ae_pool", cfg.autoencoder().pool());
    }
    return p;
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
    Map<String, Object> provenance = provenance(cfg, data);
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
        Map<String, Object> h = new LinkedHashMap<>(provenance);
        h.put("epoch", 0);
        new Checkpoint(h, ae.parameters()).write(best);
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
