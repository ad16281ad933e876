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
import org.reffakd.nn.engine.Parallel;
import org.reffakd.nn.engine.Tensor;
import org.reffakd.nn.loss.ConfiguredLoss;
import org.reffakd.nn.loss.LossRegistry;
import org.reffakd.nn.model.Autoencoder;
import org.reffakd.nn.model.Models;
import org.reffakd.nn.model.Network;
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
 * One ReffAKD run, end to end: read the dataset, train the autoencoder (keeping the best
 * validation MSE), compute the soft labels, train the student, write {@code result.json}.
 * Every stage checkpoints into the run directory, and running again on the same directory
 * resumes where it stopped. The stages are public so that the platform's verticles can run
 * them one by one (each on a worker thread), in the order prepare, useData, trainAutoencoder,
 * computeSoftLabels, distill; one instance holds the state of one run and is not thread-safe.
 */
public final class ReffakdRun {

  private final RunConfig cfg;
  private final Path runDir;
  private final Progress progress;
  private final PrintStream log;
  private final Map<String, Double> timings = new LinkedHashMap<>();
  private final Map<String, Object> provenance = new LinkedHashMap<>();
  private ConfiguredLoss loss;
  private Path teacherDir;
  private RunData data;
  private Augmentation aug;
  private Autoencoder ae;
  private int nVal;
  private AutoencoderTrainer.Result aeResult;
  private SoftLabels soft;

  public ReffakdRun(RunConfig cfg, Path runDir, Progress progress, PrintStream log) {
    this.cfg = cfg.validate();
    this.runDir = runDir;
    this.progress = progress;
    this.log = log;
  }

  /** Runs (or resumes) every stage, data from files, and returns the result (result.json). */
  public Map<String, Object> execute() {
    prepare();
    long t = System.nanoTime();
    useData(RunData.load(cfg, log), secs(t));
    trainAutoencoder();
    computeSoftLabels();
    return distill();
  }

  /**
   * Checks the loss, its parameters and the teacher before anything is read or trained, and
   * writes config.json. The first stage; the others follow in order.
   */
  public void prepare() {
    Parallel.setThreads(cfg.threads());
    loss = loss(cfg);
    teacherDir = cfg.teacher() == null ? null : Path.of(cfg.teacher());
    if (teacherDir != null) {
      Teachers.checkCompatible(teacherDir, cfg);
    }
    try {
      Files.createDirectories(runDir.resolve("checkpoints"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create run directory " + runDir, e);
    }
    cfg.write(runDir.resolve("config.json"));
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

  /** The data of the run (read from files, or rebuilt from a Kafka topic). */
  public void useData(RunData d, double seconds) {
    data = d;
    timings.put("data", seconds);
    provenance.putAll(d.provenance(cfg));
    provenance.put("loss_parameters", loss.effectiveParameters());
    aug = cfg.augment() ? Augmentation.reference(cfg.dataset()) : Augmentation.NONE;
  }

  /**
   * Trains the autoencoder on a split carved from the training data, selected on the rest, and
   * loads the best checkpoint.
   */
  public AutoencoderTrainer.Result trainAutoencoder() {
    long t = System.nanoTime();
    PreparedImages trainImg = data.trainImages();
    ae = new Autoencoder(trainImg.channels(), cfg.seed());
    int[] perm = BatchAssembler.permutation(trainImg.count(), cfg.seed() ^ 0x5EED, 0);
    nVal = (int) Math.round(trainImg.count() * cfg.aeValFraction());
    PreparedImages aeVal = trainImg.subset(java.util.Arrays.copyOfRange(perm, 0, nVal));
    PreparedImages aeTrain = trainImg.subset(java.util.Arrays.copyOfRange(perm, nVal,
        perm.length));
    if (cfg.aeEpochs() > 0) {
      aeResult = AutoencoderTrainer.train(ae, new BatchAssembler(aeTrain, data.norm(), aug),
          new BatchAssembler(aeVal, data.norm(), Augmentation.NONE),
          new AutoencoderTrainer.Settings(cfg.aeEpochs(), cfg.batchSize(), cfg.aeLr(), 0.9, 5e-4,
              cfg.aeSchedule(), cfg.seed()), runDir, provenance, progress);
      AutoencoderTrainer.loadBest(ae, runDir);
    }
    timings.put("autoencoder", secs(t));
    return aeResult;
  }

  /** Soft labels from the best encoder (paper: the augmented stream is encoded). */
  public SoftLabels computeSoftLabels() {
    long t = System.nanoTime();
    SoftLabelOptions so = softLabelOptions();
    soft = softLabels(ae, data.trainImages(), data.norm(), aug, so, cfg.seed());
    List<String> names = data.train().classNames();
    Csv.writeMatrix(runDir.resolve("similarity.csv"), names, soft.similarity());
    Csv.writeMatrix(runDir.resolve("soft_labels.csv"), names, soft.soft());
    timings.put("soft_labels", secs(t));
    log.printf("soft labels (%s): diagonal %s%n", so.isPaperMode(cfg.dataset()) ? "paper mode"
        : "options " + so, RunData.fmt(diag(soft.soft(), soft.classes())));
    return soft;
  }

  private SoftLabelOptions softLabelOptions() {
    return new SoftLabelOptions(cfg.softPerClass(),
        cfg.softDiagonalBoost() != null ? cfg.softDiagonalBoost()
            : SoftLabelOptions.paperBoost(cfg.dataset()),
        cfg.softTemperature(), cfg.softCentered());
  }

  /** Trains the student with the run's loss and writes result.json. The last stage. */
  public Map<String, Object> distill() {
    long t = System.nanoTime();
    PreparedImages trainImg = data.trainImages();
    Network teacher = null;
    if (loss.needs(LossPlugin.Need.TEACHER)) {
      teacher = Teachers.load(teacherDir, trainImg.channels(), cfg.imageSize(),
          trainImg.classes());
      provenance.put("teacher", Teachers.describe(teacherDir));
    }
    Network student = Models.create(cfg.arch(), trainImg.channels(), cfg.imageSize(),
        trainImg.classes(), cfg.seed());
    StudentTrainer.Result sr = StudentTrainer.train(student, loss, soft, teacher,
        new BatchAssembler(trainImg, data.norm(), aug), new BatchAssembler(data.testImages(),
            data.norm(), Augmentation.NONE),
        new StudentTrainer.Settings(cfg.epochs(), cfg.batchSize(), cfg.lr(), cfg.momentum(),
            cfg.weightDecay(), cfg.schedule(), cfg.seed()), runDir, provenance, progress);
    timings.put("student", secs(t));

    SoftLabelOptions so = softLabelOptions();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("dataset", cfg.dataset());
    result.put("classes", data.train().classNames());
    result.put("loss", loss.spec());
    result.put("seed", cfg.seed());
    result.put("arch", student.arch());
    result.put("student_parameters", student.parameterCount());
    result.put("autoencoder_parameters", ae.parameterCount());
    result.put("similarity", soft.similarityRows());
    result.put("soft_labels", soft.softRows());
    result.put("soft_label_mode", so.isPaperMode(cfg.dataset()) ? "paper" : "custom");
    result.put("test_accuracy", Map.of("best", sr.bestTop1(), "best_epoch", sr.bestEpoch(),
        "last", sr.lastTop1(), "last_top5", sr.lastTop5()));
    result.put("epochs", cfg.epochs());
    result.put("autoencoder_epochs", cfg.aeEpochs());
    result.put("autoencoder_val_mse", aeResult == null ? null : aeResult.bestValMse());
    result.put("autoencoder_best_epoch", aeResult == null ? null : aeResult.bestEpoch());
    result.put("autoencoder_selection", "validation split of " + nVal
        + " training images (the reference selected on the test split)");
    result.put("timings_s", timings);
    result.put("history", sr.history());
    result.put("autoencoder_history", aeResult == null ? List.of() : aeResult.history());
    result.putAll(provenance);
    result.put("finished_at", Instant.now().toString());
    try {
      Path tmp = runDir.resolve("result.json.tmp");
      RunConfig.JSON.writeValue(tmp.toFile(), result);
      Files.move(tmp, runDir.resolve("result.json"),
          java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write result.json: " + e.getMessage(), e);
    }
    loss.close();
    return result;
  }

  public RunConfig config() {
    return cfg;
  }

  /** Class names of the dataset, once the data is loaded. */
  public List<String> classNames() {
    return data.train().classNames();
  }

  /** The soft labels once {@link #computeSoftLabels} ran, else null. */
  public SoftLabels softLabels() {
    return soft;
  }

  /** Draws the per-class images, encodes their (augmented) versions, builds the matrices. */
  public static SoftLabels softLabels(Autoencoder ae, PreparedImages train, Normalization norm,
                                      Augmentation aug, SoftLabelOptions so, long seed) {
    int[] drawn = SoftLabelGenerator.drawPerClass(train.labels(), train.classes(), so.perClass(),
        seed);
    BatchAssembler ba = new BatchAssembler(train, norm, aug);
    int[] labels = new int[drawn.length];
    Tensor x = ba.batch(drawn, 0, drawn.length, seed, -1, null, labels);
    float[] emb = ae.embed(x);
    int dim = emb.length / drawn.length;
    return SoftLabelGenerator.compute(emb, drawn.length, dim, labels, train.classes(), so);
  }

  private static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static double[] diag(double[] m, int c) {
    double[] d = new double[c];
    for (int i = 0; i < c; i++) {
      d[i] = m[i * c + i];
    }
    return d;
  }

}
