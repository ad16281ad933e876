package org.reffakd.nn.run;

import java.io.PrintStream;
import org.reffakd.backend.AutoencoderModel;
import org.reffakd.backend.Backend;
import org.reffakd.backend.ImageBatch;
import org.reffakd.nn.prep.Augmentation;
import org.reffakd.nn.prep.BatchAssembler;
import org.reffakd.nn.prep.Normalization;
import org.reffakd.nn.prep.PreparedImages;
import org.reffakd.nn.softlabel.SoftLabelGenerator;
import org.reffakd.nn.softlabel.SoftLabelOptions;
import org.reffakd.nn.softlabel.SoftLabels;

/**
 * The similarity stage as a stateless service: an encoder artefact and the data in, a
 * soft-label record out (METHOD.md section 2). The images are drawn from the labelled images the
 * route has ({@link RunData.Parts#drawPool}: its train_fraction of the pool, never the rest);
 * the {@code paper} variant encodes them after augmentation (as the reference does), the
 * {@code clean} variant as they are.
 */
public final class SoftLabelStage {

  private SoftLabelStage() {}

  public static SoftLabelOptions options(RunConfig cfg) {
    return new SoftLabelOptions(cfg.soft().perClass(),
        cfg.soft().diagonalBoost() != null ? cfg.soft().diagonalBoost()
            : SoftLabelOptions.paperBoost(cfg.dataset()),
        cfg.soft().temperature(), cfg.soft().centered());
  }

  public static SoftLabelRecord run(RunConfig cfg, RunData data, String encoderSha256,
                                    ArtifactStore store) {
    RunData.Parts parts = data.parts(cfg);
    PreparedImages pool = parts.drawPool();
    AutoencoderModel ae = AutoencoderStage.load(cfg.backend(), store, encoderSha256,
        pool.channels());
    SoftLabelOptions so = options(cfg);
    boolean augmented = cfg.student().augment() && cfg.soft().augment();
    Augmentation aug = augmented ? Augmentation.reference(cfg.dataset()) : Augmentation.NONE;
    SoftLabels s = softLabels(cfg.backend(), ae, pool, data.norm(), aug, so, cfg.seed());
    SoftLabelRecord.Options options = new SoftLabelRecord.Options(so.perClass(),
        so.diagonalBoost(), so.similarityTemperature(), so.centered(), augmented,
        so.isPaperMode(cfg.dataset()) && augmented);
    // the draw comes from the route's labelled images: its fraction is a part of the key
    SoftLabelRecord.Origin prov = new SoftLabelRecord.Origin(
        org.reffakd.nn.util.CodeVersion.get(), data.checksums(), cfg.input().valSize(),
        cfg.input().imageSize(), pool.count(), parts.autoencoderPool(cfg).count(),
        cfg.trainFraction() != 1.0 ? cfg.trainFraction() : null);
    String variant = cfg.softVariant();
    String key = key(cfg.dataset(), encoderSha256, variant, options, cfg.seed(), prov);
    return new SoftLabelRecord(key, cfg.dataset(), variant, encoderSha256, cfg.seed(),
        data.train().classNames(), s.similarityRows(), s.softRows(), options, prov);
  }

  /** {@code <dataset>/<hash of everything that determines the matrix>}. */
  static String key(String dataset, String encoder, String variant,
                    SoftLabelRecord.Options options, long seed, SoftLabelRecord.Origin prov) {
    String basis = String.join("|", dataset, encoder, variant, options.keyString(),
        Long.toString(seed), String.valueOf(prov.datasetSha256()),
        String.valueOf(prov.valSize()), String.valueOf(prov.imageSize()))
        + (prov.trainFraction() != null ? "|" + prov.trainFraction() : "");
    return dataset + "/" + ArtifactStore.sha256(basis).substring(0, 24);
  }

  /** The one line a run prints about its soft labels. */
  public static void logSoftLabels(PrintStream log, SoftLabelRecord soft) {
    double[] d = new double[soft.classes().size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = soft.softLabels()[i][i];
    }
    log.printf("soft labels (%s%s): diagonal %s%n", soft.variant(),
        soft.options().paperMode() ? ", paper mode" : "",
        RunData.fmt(d));
  }

  /**
   * Draws the per-class images, encodes their (augmented) versions, builds the
   * matrices (the backend computes the cosines).
   */
  public static SoftLabels softLabels(Backend backend, AutoencoderModel ae,
                                      PreparedImages train, Normalization norm, Augmentation aug, SoftLabelOptions so, long seed) {
    int[] drawn = SoftLabelGenerator.drawPerClass(train.labels(), train.classes(), so.perClass(),
        seed);
    BatchAssembler ba = new BatchAssembler(train, norm, aug);
    int[] labels = new int[drawn.length];
    ImageBatch x = ba.batch(drawn, 0, drawn.length, seed, -1, null, labels);
    float[] emb = ae.encode(x);
    int dim = emb.length / drawn.length;
    return SoftLabelGenerator.compute(backend, emb, drawn.length, dim, labels, train.classes(), so);
  }
}
