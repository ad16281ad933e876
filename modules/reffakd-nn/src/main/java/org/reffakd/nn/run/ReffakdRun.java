package org.reffakd.nn.run;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reffakd.nn.loss.ConfiguredLoss;
import org.reffakd.nn.loss.LossRegistry;
import org.reffakd.backend.AutoencoderModel;
import org.reffakd.backend.ImageBatch;
import org.reffakd.nn.prep.Augmentation;
import org.reffakd.nn.prep.BatchAssembler;
import org.reffakd.nn.prep.Normalization;
import org.reffakd.nn.prep.PreparedImages;
import org.reffakd.nn.softlabel.SoftLabelGenerator;
import org.reffakd.nn.softlabel.SoftLabelOptions;
import org.reffakd.nn.softlabel.SoftLabels;
import org.reffakd.nn.train.AutoencoderTrainer;
import org.reffakd.nn.train.Progress;
import org.reffakd.nn.train.StudentTrainer;
import org.reffakd.nn.util.Csv;
import org.reffakd.spi.LossPlugin;

/**
 * One ReffAKD run, end to end, in this thread (the {@code --direct} path): the stages run one
 * after the other and hand each other artefacts, exactly as the platform's verticles do over
 * the event bus and Kafka: {@link AutoencoderStage} gives an encoder artefact (in the
 * artefact store), {@link SoftLabelStage} a soft-label record, {@link DistillStage} the
 * result. Every stage checkpoints into the run directory, so running again on the same
 * directory resumes where it stopped.
 */
public final class ReffakdRun {

  private final RunConfig cfg;
  private final Path runDir;
  private final ArtifactStore store;
  private final Progress progress;
  private final PrintStream log;

  public ReffakdRun(RunConfig cfg, Path runDir, ArtifactStore store, Progress progress,
                    PrintStream log) {
    this.cfg = cfg.validate();
    this.runDir = runDir;
    this.store = store;
    this.progress = progress;
    this.log = log;
  }

  /** A run whose artefacts go to the default store ({@link #defaultStore}). */
  public ReffakdRun(RunConfig cfg, Path runDir, Progress progress, PrintStream log) {
    this(cfg, runDir, defaultStore(runDir), progress, log);
  }

  /** The default store of a run directory: {@code artifacts/} beside it (the runs root). */
  public static ArtifactStore defaultStore(Path runDir) {
    Path parent = runDir.toAbsolutePath().getParent();
    return new ArtifactStore((parent == null ? runDir.toAbsolutePath() : parent)
        .resolve("artifacts"));
  }

  /** Runs (or resumes) every stage, data from files, and returns result.json's content. */
  public Map<String, Object> execute() {
    Map<String, Object> done = finished(cfg, runDir);
    if (done != null) {
      log.println("run already finished: " + runDir.resolve("result.json") + " (nothing to do)");
      return done;
    }
    prepare(cfg, runDir);
    long t = System.nanoTime();
    RunData data = RunData.load(cfg, log);
    double dataSecs = secs(t);
    AutoencoderStage.Output ae = AutoencoderStage.run(cfg, data, runDir, store, progress);
    t = System.nanoTime();
    SoftLabelRecord soft = SoftLabelStage.run(cfg, data, ae.encoderSha256(), store);
    double softSecs = secs(t);
    logSoftLabels(log, soft);
    Teachers.Ref teacher = cfg.teacher() == null ? null : Teachers.ref(Path.of(cfg.teacher()));
    return DistillStage.run(cfg, data, soft, teacher, runDir, progress,
        upstream(ae, Map.of("data", dataSecs, "autoencoder", ae.seconds(), "soft_labels",
            softSecs))).toMap();
  }

  /**
   * The result of a run directory that already finished this config (same config apart from
   * {@code threads} and {@code plugins}, which change nothing computed; as many student epochs
   * as it asks for), or null. Resuming a finished run returns it untouched: no data is read,
   * nothing trains, no file changes.
   */
  public static Map<String, Object> finished(RunConfig cfg, Path runDir) {
    Path file = runDir.resolve("result.json");
    if (!Files.isRegularFile(file)) {
      return null;
    }
    Map<String, Object> m;
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> read = RunConfig.JSON.readValue(file.toFile(), Map.class);
      m = read;
    } catch (IOException e) {
      return null; // unreadable: the run is finished again, which rewrites it
    }
    Object was = m.get("config");
    if (!(was instanceof Map<?, ?>) || !(m.get("history") instanceof List<?> h)
        || h.size() != cfg.epochs()) {
      return null;
    }
    RunConfig before;
    try {
      before = RunConfig.JSON.convertValue(was, RunConfig.class);
    } catch (IllegalArgumentException e) {
      return null;
    }
    Map<String, Object> ignore = Map.of("threads", cfg.threads(), "plugins", cfg.plugins());
    return before.with(ignore).equals(cfg.with(ignore)) ? m : null;
  }

  /**
   * Checks the loss, its parameters and the teacher before anything is read or trained, and
   * writes config.json. Every path that starts a run calls it first.
   */
  public static void prepare(RunConfig cfg, Path runDir) {
    cfg.backend().threads(cfg.threads());
    loss(cfg).close();
    if (cfg.teacher() != null) {
      Teachers.checkCompatible(Path.of(cfg.teacher()), cfg);
    }
    try {
      Files.createDirectories(runDir.resolve("checkpoints"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create run directory " + runDir, e);
    }
    cfg.write(runDir.resolve("config.json"));
  }

  /**
   * Checks, once the data is loaded and before anything trains, everything that would make the
   * run fail later: the validation split fits the training images, every class keeps
   * soft_per_class images in the pool (the soft-label draw) and at least one in the student's
   * training subset (train_fraction), the autoencoder has images to train and select on, the
   * test split is not empty, and the teacher predicts the data's classes. {@link
   * AutoencoderStage#run} calls it first, so every route fails here rather than after the
   * autoencoder. The message names the setting and the option that changes it.
   */
  public static void preflight(RunConfig cfg, RunData data) {
    int n = data.trainImages().count();
    if (cfg.valSize() >= n) {
      throw new IllegalArgumentException("val_size " + cfg.valSize() + " leaves no training "
          + "images: the training split has " + n + " (use --val-size N, smaller)");
    }
    if (data.testImages().count() == 0) {
      throw new IllegalArgumentException("the " + Splits.testSplit(cfg.dataset())
          + " split of " + cfg.data() + " has no images");
    }
    RunData.Parts parts = data.parts(cfg);
    List<String> names = data.train().classNames();
    checkLabelled(cfg, data.trainImages().labels(), names, true);
    org.reffakd.nn.prep.PreparedImages aePool = parts.autoencoderPool(cfg);
    int nVal = (int) Math.round(aePool.count() * cfg.aeValFraction());
    if (cfg.aeEpochs() > 0 && (nVal < 1 || nVal >= aePool.count())) {
      throw new IllegalArgumentException("ae_val_fraction " + cfg.aeValFraction() + " of "
          + aePool.count() + " autoencoder images leaves the autoencoder " + nVal
          + " validation images: it needs at least one, and one to train on");
    }
    if (cfg.teacher() != null) {
      Object tc = Teachers.describe(Path.of(cfg.teacher())).get("classes_count");
      if (tc instanceof Number t && t.intValue() != names.size()) {
        throw new IllegalArgumentException("--teacher " + cfg.teacher() + " predicts "
            + t.intValue() + " classes, the dataset has " + names.size());
      }
    }
  }

  /**
   * Checks that the labelled images a config's route has (its train_fraction of the pool, the
   * validation split set aside) leave every class at least one image and, when the route uses
   * soft labels, at least soft_per_class images for the draw: it draws only from them. Needs only
   * the training labels (the splits depend on nothing else), so a study can check every seed and
   * fraction before anything trains. The message names the fraction and soft_per_class.
   */
  public static void checkLabelled(RunConfig cfg, int[] labels, List<String> names,
                                   boolean softLabels) {
    int classes = names.size();
    Splits.Partition p = Splits.validation(labels, classes, cfg.valSize(), cfg.seed());
    int[] sub = Splits.fraction(p.pool(), labels, classes, cfg.trainFraction(), cfg.seed());
    int[] count = new int[classes];
    for (int i : sub) {
      count[labels[i]]++;
    }
    String after = cfg.valSize() == 0 ? "" : " after the validation split of " + cfg.valSize()
        + " images";
    int min = java.util.Arrays.stream(count).min().orElse(0);
    for (int c = 0; c < classes; c++) {
      if (count[c] < 1) {
        throw new IllegalArgumentException("train_fraction " + cfg.trainFraction()
            + " leaves no training image of class '" + names.get(c) + "'" + after
            + " (use a larger --train-fraction)");
      }
      if (softLabels && count[c] < cfg.softPerClass()) {
        throw new IllegalArgumentException(cfg.trainFraction() < 1
            ? "train_fraction " + cfg.trainFraction() + " leaves class '" + names.get(c) + "' "
                + count[c] + " labelled images" + after + ", fewer than soft_per_class "
                + cfg.softPerClass() + " (the soft-label draw uses only the labelled images a "
                + "route has: use --soft-per-class " + Math.max(2, min) + " or a larger "
                + "--train-fraction)"
            : "soft_per_class " + cfg.softPerClass() + " needs " + cfg.softPerClass()
                + " training images of every class, but class '" + names.get(c) + "' has "
                + count[c] + after + " (use --soft-per-class " + Math.max(2, min)
                + (cfg.valSize() == 0 ? "" : ", or a smaller --val-size") + ")");
      }
    }
  }

  /** What a run's result.json reports of its autoencoder, with the stage timings so far. */
  public static Map<String, Object> upstream(AutoencoderStage.Output ae,
                                             Map<String, Double> timings) {
    Map<String, Object> u = new LinkedHashMap<>();
    u.put("autoencoder_parameters", ae.parameters());
    u.put("autoencoder_epochs", ae.history().size());
    u.put("autoencoder_val_mse", Double.isNaN(ae.bestValMse()) ? null : ae.bestValMse());
    u.put("autoencoder_best_epoch", ae.bestEpoch());
    u.put("autoencoder_selection", "validation split of " + ae.valImages()
        + " training images (the reference selected on the test split)");
    u.put("autoencoder_history", ae.history());
    u.put("autoencoder_cost", ae.cost());
    u.put("timings_s", new LinkedHashMap<>(timings));
    return u;
  }

  /** The one line a run prints about its soft labels. */
  public static void logSoftLabels(PrintStream log, SoftLabelRecord soft) {
    double[] d = new double[soft.classes().size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = soft.softLabels()[i][i];
    }
    log.printf("soft labels (%s%s): diagonal %s%n", soft.variant(),
        Boolean.TRUE.equals(soft.options().get("paper_mode")) ? ", paper mode" : "",
        RunData.fmt(d));
  }

  /**
   * The run's loss: its strategies found (built-ins and plugin folders), parameters validated,
   * and a teacher present when a strategy needs one. Fails with one clear message otherwise.
   */
  public static ConfiguredLoss loss(RunConfig cfg) {
    ConfiguredLoss loss = ConfiguredLoss.create(LossRegistry.discover(LossRegistry.pluginDirs(
        cfg.plugins().stream().map(Path::of).toList())), cfg.loss(), cfg.lossParams());
    if (loss.needs(LossPlugin.Need.TEACHER) && cfg.teacher() == null) {
      loss.close();
      throw new IllegalArgumentException("loss " + loss.spec() + " needs a teacher: train one "
          + "with 'reffakd teacher --dataset " + cfg.dataset() + " --out DIR' and pass "
          + "--teacher DIR");
    }
    return loss;
  }

  /** Draws the per-class images, encodes their (augmented) versions, builds the matrices. */
  public static SoftLabels softLabels(AutoencoderModel ae, PreparedImages train, Normalization norm,
                                      Augmentation aug, SoftLabelOptions so, long seed) {
    int[] drawn = SoftLabelGenerator.drawPerClass(train.labels(), train.classes(), so.perClass(),
        seed);
    BatchAssembler ba = new BatchAssembler(train, norm, aug);
    int[] labels = new int[drawn.length];
    ImageBatch x = ba.batch(drawn, 0, drawn.length, seed, -1, null, labels);
    float[] emb = ae.encode(x);
    int dim = emb.length / drawn.length;
    return SoftLabelGenerator.compute(emb, drawn.length, dim, labels, train.classes(), so);
  }

  private static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }



}
