package org.reffakd.cli;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.platform.Platform;
import org.reffakd.platform.pipeline.JobWorker;
import org.reffakd.study.StudyRunner;
import org.reffakd.study.StudySpec;
import org.reffakd.nn.train.Progress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code reffakd study}: many losses, variants, seeds and grid points, compared honestly. */
@Command(name = "study", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Compare distillation losses on one dataset over several seeds, with intervals.",
        "Per seed and training fraction: one autoencoder, one soft-label record per variant "
            + "(published to reffakd.softlabels) and one teacher if a loss needs it, each on "
            + "that fraction's labelled images only (the strict low-data protocol; --ae-pool all "
            + "lets the autoencoder also see the rest of the pool without labels, one per seed). "
            + "Then every (loss, variant, seed, grid point, fraction, epoch budget) distillation "
            + "job goes to reffakd.jobs, where the workers of the group reffakd-workers take "
            + "it: --workers in this process (default 1), and any 'reffakd worker' on the same "
            + "cluster (--kafka; the artefacts travel through it, no shared disk). A worker busy "
            + "with a job holds no waiting ones: the group hands them to idle workers.",
        "Each job carves a validation split of --val-size training images (seeded, stratified, "
            + "never trained on) that selects the epoch; the headline is test accuracy at that "
            + "epoch, mean +- std over seeds, and the paired difference against ce with a 95%% "
            + "t interval and its minimum detectable effect (80%% power). The paper's protocol "
            + "(best test epoch) is reported beside it.",
        "Run's options apply to every job where they fit; --alpha, --temperature and "
            + "--kl-reduction are reffakd's, --param dkd.beta=8 names another loss's parameter.",
        "Writes DIR/report.md, DIR/results.csv (one row per job), DIR/study.json, DIR/plots/*.png, "
            + "DIR/soft-labels/<variant>-seed<S>[-frac<F>]/{similarity,soft_labels}.csv. Run it "
            + "again with the same options and --out to resume: nothing finished is redone; "
            + "with more --seeds, only the new seeds' work is added."})
final class StudyCommand implements Callable<Integer> {

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "study folder")
  Path out;
  @Option(names = "--losses", split = ",", paramLabel = "L,L", description = "loss strategies "
      + "(default ce,label-smoothing,tfkd-reg,reffakd,kd,dkd,reffakd-dkd); ce is the baseline")
  List<String> losses;
  @Option(names = "--variants", split = ",", paramLabel = "V,V", description = "soft-label "
      + "variants for the losses that use soft labels: paper, clean, with +centered, +t<X>, "
      + "+n<N>, +boost<B> (default paper,clean)")
  List<String> variants;
  @Option(names = "--seeds", paramLabel = "N|S,S", converter = SeedsConverter.class,
      defaultValue = "3", description = "N seeds (1..N), or a list (default ${DEFAULT-VALUE})")
  Seeds seeds;
  @Option(names = "--grid", paramLabel = "KEY=V,V", description = "a grid axis, repeatable: "
      + "alpha=0.1,0.5,0.9 (routed as in run: alpha and temperature are reffakd's when it is "
      + "one of --losses), dkd.beta=1,8")
  Map<String, String> grid;
  @Option(names = "--train-fraction", split = ",", paramLabel = "F,F", description = "fractions "
      + "of the training images (after the validation split): the labelled images a route has, "
      + "e.g. 0.02,0.1,1 (default 1). Each fraction must leave every class as many images as "
      + "a variant draws (40; the variant's +n<N> sets it): checked before anything starts")
  List<Double> fractions;
  @Option(names = "--epochs-at", split = ",", paramLabel = "F:E", description = "the epoch "
      + "budget of one training fraction, replacing --epochs for it, e.g. 0.02:40,0.1:20 (a low "
      + "fraction takes few steps an epoch and may need more epochs to converge)")
  List<String> epochsAt;
  @Option(names = "--teacher-arch", description = "teacher of kd, dkd, reffakd-dkd... (default "
      + "lenet5bn-wide)")
  String teacherArch = "lenet5bn-wide";
  @Option(names = "--teacher-epochs", paramLabel = "N", description = "teacher epochs (default: "
      + "the first --epochs)")
  Integer teacherEpochs;
  @Option(names = "--workers", paramLabel = "N", description = "in-process workers (default 1; "
      + "0 leaves the jobs to 'reffakd worker' processes). They share this process's one "
      + "training thread, so their jobs train one at a time: give the cores to --threads, and "
      + "train in parallel with 'reffakd worker' processes")
  int workers = 1;
  @Option(names = "--from-topic", description = "the data is already on the samples topic: "
      + "no ingest")
  boolean fromTopic;

  @Mixin
  ConfigOptions common;
  @Mixin
  KafkaOptions kafka;
  @Mixin
  DashboardFlags web;
  @Option(names = "--no-dashboard", description = "do not serve the live dashboard (the study "
      + "view fills in as jobs finish)")
  boolean noDashboard;
  @Option(names = "--keep-kafka", description = "keep the embedded broker's data (OUT/kafka) "
      + "when every job has a result; by default it is then deleted: the study's results, "
      + "autoencoders and soft labels live in OUT, and the same command again finds them there "
      + "(kept while jobs failed; never deleted with --kafka or --kafka-dir)")
  boolean keepKafka;

  @Override
  public Integer call() throws Exception {
    common.epochsAxis = true;
    RunConfig base = common.base().validate();
    Map<String, String> lp = common.lossParams(base.objective().params());
    Map<String, List<String>> axes = new LinkedHashMap<>();
    (grid == null ? Map.<String, String>of() : grid).forEach((key, values) -> {
      if (key.isBlank() || values.isBlank()) {
        throw new IllegalArgumentException("--grid " + key + "=" + values
            + ": expected KEY=V1,V2,...");
      }
      axes.put(key, List.of(values.split(",")));
      lp.remove(key); // the axis replaces a fixed value
    });
    StudySpec spec = new StudySpec(base,
        losses != null ? losses : List.of("ce", "label-smoothing", "tfkd-reg", "reffakd", "kd",
            "dkd", "reffakd-dkd"),
        variants != null ? variants : List.of("paper", "clean"), seeds.values(), axes, lp,
        fractions != null ? fractions : List.of(1.0), teacherArch,
        teacherEpochs != null ? teacherEpochs : base.student().epochs(), common.epochs,
        epochsAt(epochsAt)).check();
    if (workers < 0 || (workers == 0 && kafka.bootstrap == null)) {
      throw new IllegalArgumentException("--workers " + workers + ": at least 1 without "
          + "--kafka (nobody else can reach the embedded broker)");
    }
    if (!fromTopic) {
      // every seed's and fraction's labelled images, checked before anything starts
      var train = org.reffakd.nn.data.Datasets.load(base.dataset(), Path.of(base.input().dir()),
          "train");
      spec.checkFractions(train.labels(), train.classNames());
    }
    System.out.printf("study %s: %d jobs (%s), results in %s%n", spec.id(), spec.jobs().size(),
        String.join(",", spec.losses()), out);
    long t0 = System.nanoTime();
    int rc = study(spec, base, t0);
    if (rc == 0) { // with failed jobs the broker data stays, for the rerun
      PlatformRun.deleteOwnBroker(out.resolve("kafka"), kafka, keepKafka, "study");
    }
    return rc;
  }

  /** Runs the study on its platform; 0 when every job has a result, 1 when some failed. */
  private int study(StudySpec spec, RunConfig base, long t0) {
    try (Platform p = Platform.start(kafka.options(out.resolve("kafka"),
        out.resolve("artifacts")))) {
      System.out.printf("platform: Kafka %s (%s), ready in %.1fs%n",
          p.kafka().bootstrapServers(), kafka.bootstrap == null ? "embedded" : "external",
          (System.nanoTime() - t0) / 1e9);
      if (!noDashboard) {
        web.start(p, out.toAbsolutePath(), "#/study/" + out.toAbsolutePath().getFileName());
      }
      if (!fromTopic) {
        JsonObject in = p.ingest(base.dataset(), Path.of(base.input().dir()), true);
        System.out.println(PlatformRun.describeIngest(in));
      }
      List<JobWorker> ws = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        ws.add(new JobWorker(p.kafka(), p.pipeline(), out.resolve("jobs"), Progress.NONE,
            "local-" + (i + 1)).withMetrics(p.metrics())
            .withPlugins(base.objective().plugins().stream().map(Path::of).toList()).start());
      }
      try {
        StudyRunner.Outcome o = new StudyRunner(p, spec, out, true, System.out).run();
        if (!o.failed().isEmpty()) {
          // the last line says it, and the exit status: a study with holes is not a result
          StringBuilder why = new StringBuilder();
          o.failed().forEach((id, e) -> why.append(why.length() == 0 ? "" : "; ").append(id)
              .append(": ").append(e));
          System.out.printf("study incomplete: %d of %d jobs failed (%s); report without them:"
              + " %s; the same command again runs only the failed jobs%n", o.failed().size(),
              o.jobs(), why, out.resolve("report.md"));
          return 1; // its broker data stays: the same command again reruns the failed jobs
        }
        System.out.printf("study done: %d jobs (%d run now, %d found done) in %.1f min; "
            + "report: %s%n", o.jobs(), o.submitted(), o.reused(),
            (System.nanoTime() - t0) / 6e10, out.resolve("report.md"));
      } finally {
        ws.forEach(JobWorker::close);
      }
    }
    return 0;
  }

  /** {@code 0.02:40,0.1:20} (repeating a fraction adds a budget) as fraction to budgets. */
  static Map<Double, List<Integer>> epochsAt(List<String> items) {
    Map<Double, List<Integer>> m = new java.util.TreeMap<>();
    for (String it : items == null ? List.<String>of() : items) {
      int colon = it.indexOf(':');
      try {
        if (colon <= 0) {
          throw new NumberFormatException();
        }
        m.computeIfAbsent(Double.parseDouble(it.substring(0, colon).trim()),
            k -> new ArrayList<>()).add(Integer.parseInt(it.substring(colon + 1).trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--epochs-at " + it + ": expected FRACTION:EPOCHS, "
            + "e.g. 0.02:40");
      }
    }
    return m;
  }

  /** The seeds of a study. */
  record Seeds(List<Long> values) {}

  /** {@code --seeds}: a count N (seeds 1..N, at most 100) or a list (1,2,5), read by picocli. */
  static final class SeedsConverter implements CommandLine.ITypeConverter<Seeds> {
    @Override
    public Seeds convert(String s) {
      List<Long> out = new ArrayList<>();
      try {
        if (!s.contains(",")) {
          int n = Integer.parseInt(s.trim());
          if (n < 1 || n > 100) {
            throw new CommandLine.TypeConversionException("between 1 and 100 seeds, got " + s);
          }
          for (long i = 1; i <= n; i++) {
            out.add(i);
          }
        } else {
          for (String p : s.split(",")) {
            out.add(Long.parseLong(p.trim()));
          }
        }
      } catch (NumberFormatException e) {
        throw new CommandLine.TypeConversionException("a count (3) or a list (1,2,5), got " + s);
      }
      return new Seeds(List.copyOf(out));
    }
  }
}
