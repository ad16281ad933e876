package org.reffakd.nn.run;

import org.reffakd.nn.loss.LossRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reffakd.nn.loss.ConfiguredLoss;
import org.reffakd.backend.Backend;
import org.reffakd.backend.Classifier;
import org.reffakd.nn.prep.Augmentation;
import org.reffakd.nn.prep.BatchAssembler;
import org.reffakd.nn.softlabel.SoftLabels;
import org.reffakd.nn.train.Progress;
import org.reffakd.nn.train.StudentTrainer;
import org.reffakd.nn.util.Csv;
import org.reffakd.spi.LossPlugin;

/**
 * The distillation stage as a stateless service: the data, a soft-label record (as read back
 * from {@code reffakd.softlabels}) and an optional teacher in; a trained student and its
 * {@link RunResult} (written to {@code runDir/result.json}) out. The student trains on the
 * run's training subset, is evaluated on the validation and test splits after every epoch, and
 * checkpoints in runDir, so a job that is started again resumes.
 */
public final class DistillStage {

  private DistillStage() {}

  /**
   * The timings of every segment of a run (a first start and each resume), kept in
   * {@code checkpoints/timings.json}. Stages that repeat on every segment ({@code data},
   * {@code soft_labels}) add up; the trainers' own timings ({@code autoencoder},
   * {@code student}) already add up in their checkpoints and are taken as they are.
   */
  record Segments(Map<String, Double> totals, int count) {

    /** checkpoints/timings.json. */
    record File(int segments, Map<String, Double> perSegmentS) {}

    static final java.util.Set<String> PER_SEGMENT = java.util.Set.of("data", "soft_labels");

    static Segments record(Path runDir, Map<String, Double> upstream) {
      Path file = runDir.resolve("checkpoints").resolve("timings.json");
      Map<String, Double> sums = new LinkedHashMap<>();
      int count = 0;
      if (java.nio.file.Files.isRegularFile(file)) {
        try {
          File f = RunConfig.JSON.readValue(file.toFile(), File.class);
          if (f.perSegmentS() != null) {
            sums.putAll(f.perSegmentS());
          }
          count = f.segments();
        } catch (java.io.IOException | RuntimeException e) {
          throw new IllegalArgumentException(file + ": unreadable segment timings: "
              + e.getMessage());
        }
      }
      Map<String, Double> totals = new LinkedHashMap<>();
      upstream.forEach((k, v) -> totals.put(k, PER_SEGMENT.contains(k)
          ? v + sums.getOrDefault(k, 0.0) : v));
      Map<String, Double> perSegment = new LinkedHashMap<>(sums);
      totals.forEach((k, v) -> {
        if (PER_SEGMENT.contains(k)) {
          perSegment.put(k, v);
        }
      });
      File out = new File(count + 1, perSegment);
      try {
        java.nio.file.Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("timings.json.tmp");
        RunConfig.JSON.writeValue(tmp.toFile(), out);
        java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot write " + file, e);
      }
      return new Segments(totals, count + 1);
    }
  }

  /**
   * @param soft     the soft labels (required when the loss needs them; always recorded)
   * @param teacher  the teacher, or null (required when the loss needs one)
   * @param upstream what earlier stages report into result.json (autoencoder figures, their
   *                 timings), {@link Upstream#NONE} for none
   */
  public static RunResult run(RunConfig cfg, RunData data, SoftLabelRecord soft,
                              Teachers.Ref teacher, Path runDir, Progress progress,
                              Upstream upstream) {
    Costs.Meter meter = new Costs.Meter();
    cfg.write(runDir.resolve("config.json"));
    try (ConfiguredLoss loss = loss(cfg)) {
      RunData.Parts parts = data.parts(cfg);
      if (soft != null) {
        Csv.writeMatrix(runDir.resolve("similarity.csv"), soft.classes(),
            soft.toSoftLabels().similarity());
        Csv.writeMatrix(runDir.resolve("soft_labels.csv"), soft.classes(),
            soft.toSoftLabels().soft());
      } else if (loss.needs(LossPlugin.Need.SOFT_LABELS)) {
        throw new IllegalArgumentException("loss " + loss.spec() + " needs soft labels");
      }
      int channels = parts.student().channels();
      int classes = parts.student().classes();
      Backend backend = cfg.backend();
      Classifier teacherNet = null;
      long teacherMacs = 0;
      if (loss.needs(LossPlugin.Need.TEACHER)) {
        if (teacher == null) {
          throw new IllegalArgumentException("loss " + loss.spec() + " needs a teacher");
        }
        teacherNet = Teachers.load(backend, teacher, channels, cfg.input().imageSize(), classes);
        teacherMacs = teacherNet.macsPerImage(channels, cfg.input().imageSize());
      }
      // what a model exported from this run expects (reffakd export): input
      Provenance.Student provenance = new Provenance.Student(data.provenance(cfg),
          loss.effectiveParameters(), soft == null ? null : soft.key(),
          soft == null ? null : soft.variant(), soft == null ? null : soft.encoderSha256(),
          cfg.engine(), backend.describe(), new ModelInput(channels, cfg.input().imageSize(),
          classes, data.norm().mean(), data.norm().std()),
          teacherNet == null ? null : teacher.descriptor().withoutHistory());
      Segments segments = Segments.record(runDir, upstream.timingsS());
      Classifier student = backend.classifier(cfg.student().arch(), channels, cfg.input().imageSize(), classes,
          cfg.seed());
      StudentTrainer.Result sr = train(student, loss, soft == null ? null : soft.toSoftLabels(),
          teacherNet, cfg, data, parts, runDir, provenance, progress);
      long macs = student.macsPerImage(channels, cfg.input().imageSize());
      long seen = (long) parts.student().count() * cfg.student().epochs();
      double flops = Costs.trainingFlops(macs, seen) + 2.0 * teacherMacs * seen;

      Map<String, Double> timings = new LinkedHashMap<>(segments.totals());
      timings.put("student", sr.seconds());
      ModelCard.Card card = null;
      if (ModelCard.enabled()) {
        long tc = System.nanoTime();
        card = ModelCard.make(student, cfg, data, parts, cfg.student().epochs(),
            sr.selection().lastTest(), runDir);
        if (card != null) {
          timings.put("model_card", (System.nanoTime() - tc) / 1e9);
        }
      }
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("student_parameters", student.parameterCount());
      details.put("engine", cfg.engine());
      if (backend.vectorBits() > 0) {
        details.put("vector_bits", backend.vectorBits()); // which code paths ran (README)
      }
      if (soft != null) {
        details.put("similarity", soft.similarity());
        details.put("soft_labels", soft.softLabels());
        details.put("soft_label_mode", soft.options().paperMode()
            ? "paper" : "custom");
      }
      details.put("segments", segments.count());
      details.put("train_images", parts.student().count());
      // what each stage of this route saw (METHOD.md section 6): the student's labelled
      // images; the autoencoder's images and the soft-label draw's pool (0 without soft labels)
      details.put("student_images", parts.student().count());
      details.put("autoencoder_images", soft == null ? 0 : imagesOf(soft, SoftLabelRecord.Origin::autoencoderImages,
          parts.autoencoderPool(cfg).count()));
      details.put("draw_pool_images", soft == null ? 0 : imagesOf(soft, SoftLabelRecord.Origin::drawPoolImages,
          parts.drawPool().count()));
      details.put("ae_pool", cfg.autoencoder().pool());
      details.put("val_images", parts.validation() == null ? 0 : parts.validation().count());
      details.put("train_fraction", cfg.trainFraction());
      details.put("selection", parts.validation() == null
          ? "no validation split (val_size 0): only the best and last test epochs are reported"
          : "test_accuracy.at_best_val is the test accuracy at the epoch of best validation "
              + "accuracy (val_size " + cfg.input().valSize() + "); best is the best test epoch, the "
              + "reference's optimistic protocol");
      details.putAll(upstream.details());
      details.putAll(RunConfig.JSON.convertValue(provenance, Map.class));
      if (card != null) {
        details.put("model_card", card);
      }
      details.put("finished_at", Instant.now().toString());
      RunResult result = new RunResult(cfg.dataset(), data.train().classNames(), loss.spec(),
          cfg.seed(), student.arch(), cfg.student().epochs(), soft == null ? null : soft.variant(),
          soft == null ? null : soft.key(), sr.selection(), sr.history(), timings,
          meter.cost(student.parameterCount(), macs, flops), details);
      result.write(runDir.resolve("result.json"));
      return result;
    }
  }

  /**
   * Trains a classifier on the route's labelled images as the config says (augmented as the
   * student is, its validation split selecting, the test split reported): the student of a
   * distillation, and a teacher (with ce).
   */
  static StudentTrainer.Result train(Classifier net, ConfiguredLoss loss, SoftLabels soft,
                                     Classifier teacher, RunConfig cfg, RunData data,
                                     RunData.Parts parts, Path dir, Record provenance,
                                     Progress progress) {
    Augmentation aug = cfg.student().augment() ? Augmentation.reference(cfg.dataset())
        : Augmentation.NONE;
    return StudentTrainer.train(net, loss, soft, teacher,
        new BatchAssembler(parts.student(), data.norm(), aug),
        parts.validation() == null ? null
            : new BatchAssembler(parts.validation(), data.norm(), Augmentation.NONE),
        new BatchAssembler(data.testImages(), data.norm(), Augmentation.NONE),
        new StudentTrainer.Settings(cfg.student().epochs(), cfg.student().batchSize(),
            cfg.student().lr(), cfg.student().momentum(), cfg.student().weightDecay(),
            cfg.student().schedule(), cfg.seed()), dir, provenance, progress);
  }

  /** A count the soft-label record states (a record written before it did: the config's). */
  private static int imagesOf(SoftLabelRecord soft,
                              java.util.function.Function<SoftLabelRecord.Origin, Integer> count,
                              int fromConfig) {
    Integer stated = soft.provenance() == null ? null : count.apply(soft.provenance());
    return stated != null ? stated : fromConfig;
  }

  /**
   * The run's loss: its strategies found (built-ins and plugin folders), parameters validated,
   * and a teacher present when a strategy needs one. Fails with one clear message otherwise.
   */
  public static ConfiguredLoss loss(RunConfig cfg) {
    ConfiguredLoss loss = ConfiguredLoss.create(LossRegistry.discover(LossRegistry.pluginDirs(
        cfg.objective().plugins().stream().map(Path::of).toList())), cfg.objective().name(), cfg.objective().params());
    if (loss.needs(LossPlugin.Need.TEACHER) && cfg.objective().teacher() == null) {
      loss.close();
      throw new IllegalArgumentException("loss " + loss.spec() + " needs a teacher: train one "
          + "with 'reffakd teacher --dataset " + cfg.dataset() + " --out DIR' and pass "
          + "--teacher DIR");
    }
    return loss;
  }
}
