package org.reffakd.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reffakd.nn.run.ReffakdRun;
import org.reffakd.nn.run.RunConfig;
import picocli.CommandLine.Option;

/**
 * The options that describe a run (shared by {@code run} and {@code submit}): each one, when
 * given, overrides the value from {@code --config} or the defaults.
 */
final class RunOptions {

  @Option(names = "--dataset", description = "fashion-mnist, mnist, cifar10, cifar100, "
      + "tiny-imagenet or folder (default: fashion-mnist)")
  String dataset;
  @Option(names = "--data", paramLabel = "DIR", description = "dataset folder (default for "
      + "fashion-mnist: /usr/share/datasets/fashion-mnist)")
  String data;
  @Option(names = "--config", paramLabel = "FILE", description = "read the run config from a "
      + "JSON file (as written to config.json) or the same fields in YAML (.yaml/.yml)")
  Path config;
  @Option(names = "--ae-epochs", paramLabel = "N", description = "autoencoder epochs (default 3; "
      + "paper 200)")
  Integer aeEpochs;
  @Option(names = "--epochs", paramLabel = "N", description = "student epochs (default 15; "
      + "paper 200)")
  Integer epochs;
  @Option(names = "--loss", paramLabel = "SPEC", description = "student loss: a strategy "
      + "(ce, reffakd, kd, dkd, reffakd-dkd, tfkd-reg, label-smoothing, or a plugin's; see "
      + "'reffakd plugins') or a weighted hybrid such as reffakd:0.5,dkd:0.5 (default reffakd)")
  String loss;
  @Option(names = "--alpha", paramLabel = "A", description = "the strategies' alpha parameter "
      + "(reffakd default 0.5)")
  String alpha;
  @Option(names = "--temperature", paramLabel = "T", description = "the strategies' "
      + "temperature parameter (reffakd default 5)")
  String temperature;
  @Option(names = "--kl-reduction", paramLabel = "R", description = "reffakd's KL reduction: "
      + "reference (PyTorch KLDivLoss default, mean over N*C, as the authors' code) or "
      + "batchmean (default reference)")
  String klReduction;
  @Option(names = "--param", paramLabel = "KEY=VALUE", description = "any strategy parameter, "
      + "repeatable: beta=8 for every strategy that has it, dkd.beta=8 for one")
  Map<String, String> params;
  @Option(names = "--teacher", paramLabel = "DIR", description = "teacher directory written by "
      + "'reffakd teacher' (needed by kd and dkd)")
  String teacher;
  @Option(names = "--plugins", paramLabel = "DIR", description = "folder of loss plugin jars, "
      + "repeatable (also searched: $REFFAKD_PLUGINS or ~/.reffakd/plugins)")
  List<String> plugins;
  @Option(names = "--seed", paramLabel = "S", description = "random seed (default 42)")
  Long seed;
  @Option(names = "--arch", description = "student: lenet5bn, resnet18, resnet18-w16 "
      + "(default lenet5bn)")
  String arch;
  @Option(names = "--batch-size", paramLabel = "N", description = "batch size (default 128)")
  Integer batchSize;
  @Option(names = "--lr", description = "student learning rate (default 0.1)")
  Double lr;
  @Option(names = "--schedule", description = "student schedule: cosine, step (x0.2 at 30/60/80%%"
      + " of epochs) or constant (default cosine)")
  String schedule;
  @Option(names = "--ae-lr", description = "autoencoder learning rate (default 0.1)")
  Double aeLr;
  @Option(names = "--image-size", paramLabel = "PX", description = "training resolution "
      + "(default 32; 64 for tiny-imagenet)")
  Integer imageSize;
  @Option(names = "--no-augment", description = "turn off flip/rotation/crop augmentation")
  Boolean noAugment;
  @Option(names = "--soft-per-class", paramLabel = "N", description = "images drawn per class "
      + "for the similarity (default 40, paper)")
  Integer softPerClass;
  @Option(names = "--soft-boost", paramLabel = "B", description = "diagonal boost (default: "
      + "paper's, 0.008 for MNIST-like, 0.0225 otherwise)")
  Double softBoost;
  @Option(names = "--soft-temperature", paramLabel = "T", description = "softmax(avg/T) over "
      + "similarities, an option beyond the paper (default 1 = paper)")
  Double softTemperature;
  @Option(names = "--soft-centered", description = "centre embeddings before cosines "
      + "(beyond the paper)")
  Boolean softCentered;
  @Option(names = "--threads", paramLabel = "N", description = "compute threads for matrix "
      + "products and im2col (default: cores, at most 2); results do not depend on it")
  Integer threads;

  /** The effective config: --config (or the defaults) with the given flags on top. */
  RunConfig resolve() {
    RunConfig base = config != null ? RunConfig.read(config)
        : RunConfig.defaults(dataset != null ? dataset : "fashion-mnist");
    RunConfig cfg = merge(base);
    if (cfg.data() == null) {
      cfg = with(cfg, DataLocation.resolve(cfg.dataset(), null).toString());
    }
    return checked(cfg);
  }

  /** Validates a config, its loss, the loss's parameters and plugins, before anything runs. */
  static RunConfig checked(RunConfig cfg) {
    cfg.validate();
    ReffakdRun.loss(cfg).close();
    return cfg;
  }

  private RunConfig merge(RunConfig b) {
    return new RunConfig(
        dataset != null ? dataset : b.dataset(),
        data != null ? data : b.data(),
        imageSize != null ? imageSize : b.imageSize(),
        arch != null ? arch : b.arch(),
        aeEpochs != null ? aeEpochs : b.aeEpochs(),
        aeLr != null ? aeLr : b.aeLr(),
        b.aeSchedule(),
        b.aeValFraction(),
        epochs != null ? epochs : b.epochs(),
        batchSize != null ? batchSize : b.batchSize(),
        lr != null ? lr : b.lr(),
        b.momentum(),
        b.weightDecay(),
        schedule != null ? schedule : b.schedule(),
        noAugment != null ? !noAugment : b.augment(),
        loss != null ? loss : b.loss(),
        lossParams(b),
        teacher != null ? teacher : b.teacher(),
        plugins != null ? plugins : b.plugins(),
        softPerClass != null ? softPerClass : b.softPerClass(),
        softBoost != null ? softBoost : b.softDiagonalBoost(),
        softTemperature != null ? softTemperature : b.softTemperature(),
        softCentered != null ? softCentered : b.softCentered(),
        seed != null ? seed : b.seed(),
        threads != null ? threads : b.threads());
  }

  /**
   * Loss parameters: the base config's, unless --loss changes the strategy (its parameters
   * would not fit), plus the flags given now.
   */
  private Map<String, String> lossParams(RunConfig b) {
    Map<String, String> p = new LinkedHashMap<>(loss == null || loss.equals(b.loss())
        ? b.lossParams() : Map.of());
    if (params != null) {
      p.putAll(params);
    }
    if (alpha != null) {
      p.put("alpha", alpha);
    }
    if (temperature != null) {
      p.put("temperature", temperature);
    }
    if (klReduction != null) {
      p.put("reffakd.reduction", klReduction);
    }
    return p;
  }

  private static RunConfig with(RunConfig b, String dataDir) {
    return new RunConfig(b.dataset(), dataDir, b.imageSize(), b.arch(), b.aeEpochs(), b.aeLr(),
        b.aeSchedule(), b.aeValFraction(), b.epochs(), b.batchSize(), b.lr(), b.momentum(),
        b.weightDecay(), b.schedule(), b.augment(), b.loss(), b.lossParams(), b.teacher(),
        b.plugins(), b.softPerClass(), b.softDiagonalBoost(), b.softTemperature(),
        b.softCentered(), b.seed(), b.threads());
  }
}
