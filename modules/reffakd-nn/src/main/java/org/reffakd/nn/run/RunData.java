package org.reffakd.nn.run;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.reffakd.nn.data.Datasets;
import org.reffakd.nn.data.ImageDataset;
import org.reffakd.nn.prep.Normalization;
import org.reffakd.nn.prep.PreparedImages;
import org.reffakd.nn.util.CodeVersion;

/** The train and test splits of a run, resized, with the training set's normalisation. */
public record RunData(ImageDataset train, ImageDataset test, PreparedImages trainImages,
                      PreparedImages testImages, Normalization norm) {

  public static RunData load(RunConfig cfg, PrintStream log) {
    Path dataDir = Path.of(cfg.input().dir());
    ImageDataset train = Datasets.load(cfg.dataset(), dataDir, "train");
    ImageDataset test = Datasets.load(cfg.dataset(), dataDir, Splits.testSplit(cfg.dataset()));
    return of(train, test, cfg, log, dataDir.toString());
  }

  /** The run's data from splits already in memory (for example rebuilt from a Kafka topic). */
  public static RunData of(ImageDataset train, ImageDataset test, RunConfig cfg, PrintStream log,
                           String source) {
    if (train.numClasses() != test.numClasses()) {
      throw new IllegalArgumentException(source + ": train has " + train.numClasses()
          + " classes, test " + test.numClasses());
    }
    PreparedImages trainImg = PreparedImages.of(train, cfg.input().imageSize());
    PreparedImages testImg = PreparedImages.of(test, cfg.input().imageSize());
    Normalization raw = trainImg.statistics();
    Normalization norm = raw.safe();
    List<Integer> flat = raw.constantChannels();
    if (!flat.isEmpty()) {
      log.printf("warning: %s: channel%s %s of the training images %s constant (std %s < %s):"
              + " normalised with std 1, only centred%n", source,
          flat.size() == 1 ? "" : "s", channelNames(flat, trainImg.channels()),
          flat.size() == 1 ? "is" : "are", fmt(flat.stream().mapToDouble(c -> raw.std()[c])
              .toArray()), Normalization.MIN_STD);
    }
    log.printf("data: %s train %d, test %d images, %d classes, %dx%d -> %dx%d, mean %s std %s%n",
        cfg.dataset(), train.size(), test.size(), train.numClasses(), train.height(),
        train.width(), cfg.input().imageSize(), cfg.input().imageSize(), fmt(norm.mean()), fmt(norm.std()));
    return new RunData(train, test, trainImg, testImg, norm);
  }

  /**
   * The training images as a run uses them (see {@link Splits}): the pool (every training image
   * but the validation split), the student's validation split (null when val_size is 0) and the
   * student's training subset of the pool: the labelled images the route has.
   */
  public record Parts(PreparedImages pool, PreparedImages validation, PreparedImages student) {

    /**
     * The images the soft-label draw comes from: always the labelled images the route has
     * (the student's training subset; the whole pool at train_fraction 1).
     */
    public PreparedImages drawPool() {
      return student;
    }

    /**
     * The images the autoencoder trains on (its own validation part included): the labelled
     * images the route has, or with {@code ae_pool all} the whole pool, used without labels.
     * At train_fraction 1 both are the pool.
     */
    public PreparedImages autoencoderPool(RunConfig cfg) {
      return RunConfig.AE_POOL_ALL.equals(cfg.autoencoder().pool()) ? pool : student;
    }
  }

  /** Splits the training images by the config's val_size, train_fraction and seed. */
  public Parts parts(RunConfig cfg) {
    PreparedImages all = trainImages;
    if (cfg.input().valSize() >= all.count()) {
      throw new IllegalArgumentException("val_size " + cfg.input().valSize() + " leaves no training "
          + "images: the training split has " + all.count() + " (use --val-size N, smaller)");
    }
    Splits.Partition p = Splits.validation(all.labels(), all.classes(), cfg.input().valSize(),
        cfg.seed());
    PreparedImages pool = cfg.input().valSize() == 0 ? all : all.subset(p.pool());
    PreparedImages val = cfg.input().valSize() == 0 ? null : all.subset(p.validation());
    int[] sub = Splits.fraction(p.pool(), all.labels(), all.classes(), cfg.trainFraction(),
        cfg.seed());
    PreparedImages student = sub == p.pool() ? pool : all.subset(sub);
    return new Parts(pool, val, student);
  }

  private static String channelNames(List<Integer> channels, int of) {
    List<String> rgb = List.of("red", "green", "blue");
    return String.join(", ", channels.stream().map(c -> of == 3 ? c + " (" + rgb.get(c) + ")"
        : Integer.toString(c)).toList());
  }

  static String fmt(double[] v) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < v.length; i++) {
      sb.append(i == 0 ? "" : " ").append(String.format("%.4f", v[i]));
    }
    return sb.append(']').toString();
  }

  /** What every artefact of a run records: config, seed, code version, dataset checksums. */
  public Provenance provenance(RunConfig cfg) {
    return new Provenance(cfg, cfg.seed(), CodeVersion.get(), checksums());
  }

  /** The SHA-256 of the training and test files. */
  public DatasetChecksums checksums() {
    return new DatasetChecksums(train.sha256(), test.sha256());
  }
}
