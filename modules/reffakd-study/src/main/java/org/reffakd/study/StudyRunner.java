package org.reffakd.study;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.reffakd.nn.run.AutoencoderStage;
import org.reffakd.nn.run.Cost;
import org.reffakd.nn.run.ModelCard;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.nn.run.TeacherInfo;
import org.reffakd.nn.run.Teachers;
import org.reffakd.nn.run.RunResult;
import org.reffakd.nn.run.SoftLabelRecord;
import org.reffakd.nn.run.SoftLabelVariant;
import org.reffakd.nn.run.TeacherRun;
import org.reffakd.nn.train.EpochRow;
import org.reffakd.nn.train.Progress;
import org.reffakd.nn.util.Csv;
import org.reffakd.platform.Platform;
import org.reffakd.platform.bus.Messages;
import org.reffakd.kafka.Topics;
import org.reffakd.platform.pipeline.Jobs;
import org.reffakd.spi.LossPlugin;

/**
 * Runs a study (see {@link StudySpec}) on a platform:
 * <ol>
 *   <li>per seed and training fraction, one autoencoder (the bus's autoencoder stage) trained on
 *       that fraction's labelled images only (the strict low-data protocol of METHOD.md section
 *       6; with {@code ae_pool all} one per seed, on the whole pool without labels), one
 *       soft-label record per variant drawn from that fraction's labelled images (the
 *       similarity stage, which publishes it to {@code reffakd.softlabels}), and one teacher on
 *       the same images when a loss needs it;
 *   <li>every distillation job that has no result yet goes to {@code reffakd.jobs}, where any
 *       worker of the group {@code reffakd-workers} takes it (in-process ones, or
 *       {@code reffakd worker} on other machines);
 *   <li>results are collected from {@code reffakd.runs} by job id, kept under
 *       {@code DIR/results/}, and the report is rewritten after each one.
 * </ol>
 * Started again with the same folder it redoes nothing: finished autoencoders, soft labels,
 * teachers and jobs are found and reused; started with more seeds, it adds only the new seeds'
 * autoencoders, soft labels, teachers and jobs (the study's id does not depend on its seeds).
 */
public final class StudyRunner {

  private final Platform platform;
  private final StudySpec spec;
  private final Path dir;
  private final boolean fromTopic;
  private final PrintStream log;

  public StudyRunner(Platform platform, StudySpec spec, Path dir, boolean fromTopic,
                     PrintStream log) {
    this.platform = platform;
    this.spec = spec;
    this.dir = dir;
    this.fromTopic = fromTopic;
    this.log = log;
  }

  /** What a study did. */
  /**
   * What a study did: its jobs, how many were submitted now and found done, and the jobs whose
   * result is a failure (job id to the reason), in job order. The same study started again
   * runs only those (and any never finished).
   */
  public record Outcome(int jobs, int submitted, int reused, StudyData data,
                        Map<String, String> failed) {}

  public Outcome run() {
    spec.check();
    writeSpec();
    Map<Double, Map<Long, Cost>> aeCost = new TreeMap<>();
    Map<Double, Map<Long, Cost>> teacherCost = new TreeMap<>();
    List<SoftLabelMatrix> matrices = new ArrayList<>();
    Map<String, String> softKeys = new LinkedHashMap<>(); // variant/seed/fraction -> key
    Map<String, Messages.TeacherArtifact> teachers = new LinkedHashMap<>(); // seed/fraction
    boolean soft = spec.anyNeeds(LossPlugin.Need.SOFT_LABELS);
    boolean teacher = spec.anyNeeds(LossPlugin.Need.TEACHER);
    for (long seed : spec.seeds()) {
      for (double f : spec.fractions()) {
        RunConfig cfg = spec.base().withRoute(seed, f);
        if (soft) {
          AutoencoderStage.Output ae = autoencoder(spec.autoencoderConfig(seed, f), seed);
          aeCost.computeIfAbsent(f, x -> new TreeMap<>()).put(seed, ae.cost());
          for (String variant : spec.variants()) {
            SoftLabelRecord r = softLabels(SoftLabelVariant.apply(cfg, variant), ae, variant,
                seed);
            softKeys.put(variant + "/" + seed + "/" + f, r.key());
            matrices.add(new SoftLabelMatrix(variant, seed, r.classes(), r.similarity(),
                r.softLabels(), f));
          }
        }
        if (teacher) {
          Path tdir = dir.resolve("teachers").resolve("seed" + seed + "-frac" + f);
          TeacherInfo t = teacher(cfg, tdir);
          teachers.put(seed + "/" + f, platform.pipeline().teacherRef(tdir));
          teacherCost.computeIfAbsent(f, x -> new TreeMap<>()).put(seed, t.costOrUnknown());
        }
      }
    }

    List<StudySpec.Job> jobs = spec.jobs();
    Map<String, JsonObject> done = collected(jobs);
    // results older than this offset were all read by collected(): what await() reads of them
    // is a failure that this study submits again
    long fresh = Jobs.resultsEnd(platform.kafka());
    int reused = done.size();
    int submitted = 0;
    try (Jobs.Submitter sub = new Jobs.Submitter(platform.kafka())) {
      for (StudySpec.Job j : jobs) {
        if (done.containsKey(j.id())) {
          continue;
        }
        sub.distill(j.id(), j.config(), j.usesSoftLabels()
                ? softKeys.get(j.variant() + "/" + j.seed() + "/" + j.fraction()) : null,
            j.usesTeacher() ? teachers.get(j.seed() + "/" + j.fraction()) : null, fromTopic);
        submitted++;
      }
    }
    log.printf("study %s: %d jobs, %d already done, %d submitted to %s%n", spec.id(),
        jobs.size(), reused, submitted, Topics.JOBS);
    StudyData data = data(jobs, done, aeCost, teacherCost, matrices);
    report(data);
    if (submitted > 0) {
      await(jobs, done, aeCost, teacherCost, matrices, fresh);
      data = data(jobs, done, aeCost, teacherCost, matrices);
      report(data);
    }
    log.printf("study %s: report in %s%n", spec.id(), dir.resolve(StudyReport.REPORT_MD));
    Map<String, String> failed = new LinkedHashMap<>();
    for (StudySpec.Job j : jobs) {
      JsonObject v = done.get(j.id());
      if (v != null && failed(v)) {
        failed.put(j.id(), v.getString("error", "no reason given"));
      }
    }
    return new Outcome(jobs.size(), submitted, reused, data, failed);
  }

  /**
   * The folder part of a seed's and fraction's stage: {@code seed<S>} when the stage sees the
   * whole pool (fraction 1, as studies before the strict protocol named it), else
   * {@code seed<S>-frac<F>}.
   */
  private static String tag(long seed, double fraction, boolean wholePool) {
    return "seed" + seed + (wholePool ? "" : "-frac" + fraction);
  }

  private AutoencoderStage.Output autoencoder(RunConfig cfg, long seed) {
    boolean whole = AutoencoderStage.coversPool(cfg);
    Path work = dir.resolve("autoencoders").resolve(tag(seed, cfg.trainFraction(), whole));
    Path saved = work.resolve("output.json");
    if (Files.isRegularFile(saved)) {
      AutoencoderStage.Output o = read(saved, AutoencoderStage.Output.class);
      if (platform.pipeline().artifacts().contains(o.encoderSha256())) {
        return o;
      }
    }
    log.printf("study: autoencoder of seed %d%s%n", seed, whole ? ""
        : ", on the " + cfg.trainFraction() + " fraction's labelled images");
    AutoencoderStage.Output o = Platform.await(platform.pipeline().autoencoder("study-ae-"
        + tag(seed, cfg.trainFraction(), whole), cfg, work, fromTopic)).output();
    writeJson(saved, o);
    return o;
  }

  private SoftLabelRecord softLabels(RunConfig cfg, AutoencoderStage.Output ae, String variant,
                                     long seed) {
    Path folder = dir.resolve("soft-labels").resolve(variant.replaceAll("[^A-Za-z0-9.+_-]", "_")
        + "-" + tag(seed, cfg.trainFraction(), cfg.trainFraction() == 1.0));
    Path saved = folder.resolve("record.json");
    SoftLabelRecord r;
    if (Files.isRegularFile(saved)) {
      try {
        r = SoftLabelRecord.fromJson(Files.readString(saved));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (r.encoderSha256().equals(ae.encoderSha256())) {
        platform.softLabels().publish(r); // idempotent (compacted, same key and value)
        return r;
      }
    }
    Messages.SimilarityReply reply = Platform.await(platform.pipeline().softLabels("study-soft-"
        + variant + "-" + tag(seed, cfg.trainFraction(), cfg.trainFraction() == 1.0), cfg,
        ae.encoderSha256(), fromTopic));
    // read back from the topic, as the distillation jobs will
    r = platform.softLabels().fetch(reply.record().key());
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + folder, e);
    }
    Csv.writeMatrix(folder.resolve("similarity.csv"), r.classes(), r.toSoftLabels().similarity());
    Csv.writeMatrix(folder.resolve("soft_labels.csv"), r.classes(), r.toSoftLabels().soft());
    writeString(saved, r.toJson());
    return r;
  }

  private TeacherInfo teacher(RunConfig cfg, Path tdir) {
    Path descriptor = tdir.resolve("teacher.json");
    if (Files.isRegularFile(descriptor)) {
      return Teachers.describe(tdir);
    }
    log.printf("study: teacher %s of seed %d, fraction %s%n", spec.teacherArch(), cfg.seed(),
        cfg.trainFraction());
    RunConfig t = cfg.withStudent(cfg.student().withArch(spec.teacherArch())
            .withEpochs(spec.teacherEpochs()))
        .withLoss("ce", Map.of())
        .withAutoencoder(cfg.autoencoder().withEpochs(0));
    return TeacherRun.execute(t, tdir, Progress.NONE, log);
  }

  /** The results of the study's jobs already on reffakd.runs or under DIR/results. */
  private Map<String, JsonObject> collected(List<StudySpec.Job> jobs) {
    Map<String, JsonObject> done = new LinkedHashMap<>();
    Set<String> ids = jobs.stream().map(StudySpec.Job::id).collect(
        java.util.stream.Collectors.toSet());
    Path results = dir.resolve("results");
    for (StudySpec.Job j : jobs) {
      Path f = results.resolve(j.id() + ".json");
      if (Files.isRegularFile(f)) {
        try {
          JsonObject v = new JsonObject(Files.readString(f));
          if (!failed(v)) { // a failed job is run again
            done.put(j.id(), v);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    Jobs.results(platform.kafka()).forEach((k, v) -> {
      if (ids.contains(k) && !done.containsKey(k) && !failed(v)) {
        done.put(k, v);
        writeString(results.resolve(k + ".json"), v.encodePrettily());
      }
    });
    return done;
  }

  static boolean failed(JsonObject result) {
    return "failed".equals(result.getString("status"));
  }

  /**
   * Follows reffakd.runs until every job has a result; rewrites the report after each. Records
   * before offset {@code fresh} are skipped: the earlier failures of jobs submitted again.
   */
  private void await(List<StudySpec.Job> jobs, Map<String, JsonObject> done,
                     Map<Double, Map<Long, Cost>> aeCost,
                     Map<Double, Map<Long, Cost>> teacherCost, List<SoftLabelMatrix> matrices,
                     long fresh) {
    Set<String> ids = jobs.stream().map(StudySpec.Job::id).collect(
        java.util.stream.Collectors.toSet());
    TopicPartition tp = new TopicPartition(Topics.RUNS, 0);
    long t0 = System.nanoTime();
    int atStart = done.size();
    try (KafkaConsumer<byte[], byte[]> c = platform.kafka().createConsumer("reffakd-study")) {
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      while (done.size() < jobs.size()) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          String k = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
          if (k == null || !ids.contains(k) || done.containsKey(k) || r.value() == null
              || r.offset() < fresh) {
            continue;
          }
          JsonObject v = new JsonObject(new String(r.value(), StandardCharsets.UTF_8));
          done.put(k, v);
          writeString(dir.resolve("results").resolve(k + ".json"), v.encodePrettily());
          int n = done.size() - atStart;
          double per = (System.nanoTime() - t0) / 1e9 / n;
          int left = jobs.size() - done.size();
          log.printf("study: %d/%d jobs done, %d left, about %s left%s%n", done.size(),
              jobs.size(), left, minutes(per * left),
              failed(v) ? " (" + k + " failed: "
                  + v.getString("error") + ")" : "");
          report(data(jobs, done, aeCost, teacherCost, matrices));
        }
      }
    }
  }

  private static String minutes(double s) {
    return s < 90 ? Math.round(s) + " s" : Math.round(s / 60) + " min";
  }

  private StudyData data(List<StudySpec.Job> jobs, Map<String, JsonObject> done,
                         Map<Double, Map<Long, Cost>> aeCost,
                         Map<Double, Map<Long, Cost>> teacherCost,
                         List<SoftLabelMatrix> matrices) {
    List<JobResult> results = new ArrayList<>();
    for (StudySpec.Job j : jobs) {
      JsonObject v = done.get(j.id());
      if (v == null || failed(v)) {
        continue;
      }
      RunResult r = Messages.read(v, RunResult.class);
      List<EpochPoint> curve = new ArrayList<>();
      for (EpochRow e : r.history()) {
        curve.add(new EpochPoint(e.epoch(), e.valTop1(), e.testTop1()));
      }
      results.add(new JobResult(j.id(), j.loss(), j.variant(), j.gridPoint(), j.fraction(),
          j.seed(), curve, j.usesSoftLabels(), j.usesTeacher(), r.cost(), j.epochs(),
          count(r.details(), "student_images", "train_images"),
          count(r.details(), "autoencoder_images", null),
          count(r.details(), "draw_pool_images", null),
          ModelCardFigures.of(r.details().get("model_card") == null ? null
              : RunConfig.JSON.convertValue(r.details().get("model_card"),
                  ModelCard.Card.class))));
    }
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("study", spec.id());
    settings.put("losses", spec.losses());
    settings.put("variants", spec.variants());
    settings.put("seeds", spec.seeds());
    settings.put("grid", spec.grid());
    settings.put("params", spec.params());
    settings.put("train_fractions", spec.fractions());
    settings.put("epochs", spec.epochs());
    if (!spec.epochsAt().isEmpty()) {
      settings.put("epochs_at", spec.epochsAt());
    }
    settings.put("ae_pool", spec.base().autoencoder().pool());
    settings.put("protocol", RunConfig.AE_POOL_ALL.equals(spec.base().autoencoder().pool())
        ? "semi-supervised: the autoencoder also sees the rest of the pool without labels; the "
            + "soft-label draw and the teacher use only the route's labelled images"
        : "strict low-data: every stage of a route (autoencoder, soft-label draw, teacher, "
            + "student) sees only the route's labelled images");
    settings.put("teacher", spec.teacherArch() + ", " + spec.teacherEpochs() + " epochs");
    settings.put("jobs", jobs.size());
    settings.put("jobs_done", done.size());
    settings.put("config", RunConfig.JSON.convertValue(spec.base(), Map.class));
    return new StudyData(spec.base().dataset(), "ce", settings, results, Map.of(), Map.of(),
        matrices, teacherCost, aeCost);
  }

  /** An image count of a result (its first key present), -1 when it has none. */
  private static int count(Map<String, Object> details, String key, String fallback) {
    Object v = details.get(key);
    if (v == null && fallback != null) {
      v = details.get(fallback);
    }
    return v instanceof Number n ? n.intValue() : -1;
  }

  private void report(StudyData data) {
    try {
      StudyReport.write(data, dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the study report to " + dir + ": "
          + e.getMessage(), e);
    }
  }

  /** study-spec.json: the study's id and the spec it was computed from. */
  record SpecFile(String id, StudySpec spec) {}

  private void writeSpec() {
    Path f = dir.resolve("study-spec.json");
    if (Files.isRegularFile(f)) {
      String old = read(f, com.fasterxml.jackson.databind.JsonNode.class).path("id").asText();
      if (!old.equals(spec.id())) {
        throw new IllegalArgumentException("--out " + dir + " holds another study (" + old
            + "); this one is " + spec.id() + ": use another --out, or the same options");
      }
    }
    writeJson(f, new SpecFile(spec.id(), spec));
  }

  private static <T> T read(Path f, Class<T> type) {
    try {
      return RunConfig.JSON.readValue(f.toFile(), type);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
    }
  }

  private static void writeJson(Path f, Object o) {
    try {
      writeString(f, RunConfig.JSON.writeValueAsString(o));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeString(Path f, String s) {
    try {
      Files.createDirectories(f.getParent());
      Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
      Files.writeString(tmp, s);
      Files.move(tmp, f, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + f + ": " + e.getMessage(), e);
    }
  }
}
