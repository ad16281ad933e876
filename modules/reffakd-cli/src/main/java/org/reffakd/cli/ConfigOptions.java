package org.reffakd.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reffakd.nn.run.RunConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options that describe the data, the models and the training budget, shared by
 * {@code run}, {@code submit} and {@code study}: each one, when given, overrides the value from
 * {@code --config} or the defaults.
 */
final class ConfigOptions {

  @Mixin
  DataOptions source = new DataOptions();
  @Option(names = "--config", paramLabel = "FILE", description = "read the run config from a "
      + "JSON file (as written to config.json) or the same fields in YAML (.yaml/.yml)")
  Path config;
  @Option(names = "--ae-epochs", paramLabel = "N", description = "autoencoder epochs "
      + "(default ${sys:reffakd.default.ae_epochs}; paper 200)")
  Integer aeEpochs;
  @Option(names = "--epochs", split = ",", paramLabel = "N", description = "student epochs "
      + "(default ${sys:reffakd.default.epochs}; paper 200); a study takes a list, 10,30: the "
      + "epoch budget as an axis")
  List<Integer> epochs;
  /** Whether this command takes a list of epoch budgets (study); others take one number. */
  boolean epochsAxis;
  @Option(names = "--ae-pool", paramLabel = "P", description = "what the autoencoder trains "
      + "on: labelled (default: only the labelled images the route has, its --train-fraction; "
      + "the strict low-data protocol) or all (also the rest of the training pool, without its "
      + "labels: the semi-supervised case). The soft-label draw always uses only the labelled "
      + "images")
  String aePool;
  @Option(names = "--alpha", paramLabel = "A", description = "alpha of the loss: reffakd's when "
      + "reffakd is one of its strategies, else every strategy's that has one (reffakd default "
      + "0.5; kd.alpha=A with --param for kd's)")
  String alpha;
  @Option(names = "--temperature", paramLabel = "T", description = "temperature of the loss, "
      + "routed like --alpha (reffakd default 5)")
  String temperature;
  @Option(names = "--kl-reduction", paramLabel = "R", description = "reffakd's KL reduction: "
      + "reference (PyTorch KLDivLoss default, mean over N*C, as the authors' code) or "
      + "batchmean (default reference)")
  String klReduction;
  @Option(names = "--param", paramLabel = "KEY=VALUE", description = "any strategy parameter, "
      + "repeatable: beta=8 for every strategy that has it, dkd.beta=8 for one")
  Map<String, String> params;
  @Option(names = "--plugins", paramLabel = "DIR", description = "folder of loss plugin jars, "
      + "repeatable (also searched: $REFFAKD_PLUGINS or ~/.reffakd/plugins)")
  List<String> plugins;
  /** Set by a command whose run trains from the samples topic (no --data needed). */
  boolean dataFromTopic;
  @Option(names = "--arch", description = "student: lenet5bn, resnet18, resnet18-w16 "
      + "(default ${sys:reffakd.default.arch})")
  String arch;
  @Option(names = "--batch-size", paramLabel = "N", description = "batch size "
      + "(default ${sys:reffakd.default.batch_size})")
  Integer batchSize;
  @Mixin
  TrainingOptions training = new TrainingOptions();
  @Option(names = "--ae-lr", description = "autoencoder learning rate "
      + "(default ${sys:reffakd.default.ae_lr})")
  Double aeLr;
  @Option(names = "--image-size", paramLabel = "PX", description = "training resolution "
      + "(default ${sys:reffakd.default.image_size}; 64 for tiny-imagenet)")
  Integer imageSize;
  @Option(names = "--no-augment", description = "turn off flip/rotation/crop augmentation")
  Boolean noAugment;
  @Option(names = "--soft-per-class", paramLabel = "N", description = "images drawn per class "
      + "for the similarity (default ${sys:reffakd.default.soft_per_class}, paper)")
  Integer softPerClass;
  @Option(names = "--soft-boost", paramLabel = "B", description = "diagonal boost (default: "
      + "paper's, 0.008 for MNIST-like, 0.0225 otherwise)")
  Double softBoost;
  @Option(names = "--soft-temperature", paramLabel = "T", description = "softmax(avg/T) over "
      + "similarities, an option beyond the paper (default "
      + "${sys:reffakd.default.soft_temperature} = paper)")
  Double softTemperature;
  @Option(names = "--soft-centered", description = "centre embeddings before cosines "
      + "(beyond the paper)")
  Boolean softCentered;
  @Mixin
  EngineOptions backend = new EngineOptions();

  /** --config (or the defaults), with the given flags on top; data resolved; not validated. */
  RunConfig base() {
    return over(config != null ? RunConfig.read(config)
        : RunConfig.defaults(source.datasetOrDefault()));
  }

  /** {@code b} with the given flags on top; data resolved; not validated. */
  RunConfig over(RunConfig b) {
    if (epochs != null && epochs.size() > 1 && !epochsAxis) {
      throw new IllegalArgumentException("--epochs " + epochs.stream().map(String::valueOf)
          .collect(java.util.stream.Collectors.joining(",")) + ": one number here (a list of "
          + "epoch budgets is a study's axis)");
    }
    Integer epoch = epochs == null || epochs.isEmpty() ? null : epochs.get(0);
    RunConfig.DataSpec in = b.input();
    RunConfig.AutoencoderSpec ae = b.autoencoder();
    RunConfig.StudentSpec st = b.student();
    RunConfig.SoftLabelSpec so = b.soft();
    RunConfig.LossSpec lo = b.objective();
    RunConfig cfg = new RunConfig(
        new RunConfig.DataSpec(or(source.dataset, in.dataset()), or(source.data, in.dir()),
            or(imageSize, in.imageSize()), in.valSize(), in.trainFraction()),
        new RunConfig.AutoencoderSpec(or(aeEpochs, ae.epochs()), or(aeLr, ae.lr()),
            ae.schedule(), ae.valFraction(), or(aePool, ae.pool())),
        new RunConfig.StudentSpec(or(arch, st.arch()), or(epoch, st.epochs()),
            or(batchSize, st.batchSize()), st.lr(), st.momentum(), st.weightDecay(),
            st.schedule(), noAugment == null ? st.augment() : !noAugment),
        new RunConfig.SoftLabelSpec(or(softPerClass, so.perClass()),
            softBoost == null ? so.diagonalBoost() : softBoost,
            or(softTemperature, so.temperature()), or(softCentered, so.centered()),
            so.augment()),
        lo.withPlugins(or(plugins, lo.plugins())),
        b.seed(), or(backend.threads, b.threads()), or(backend.engine, b.engine()));
    cfg = training.over(cfg);
    // a run that trains from the samples topic reads no files: --data is not needed
    return cfg.input().dir() != null || dataFromTopic ? cfg
        : cfg.withInput(cfg.input().withDir(DataLocation.resolve(cfg.dataset(), null)
            .toString()));
  }

  /** The loss parameters given on the command line, on top of {@code base}. */
  Map<String, String> lossParams(Map<String, String> base) {
    Map<String, String> p = new LinkedHashMap<>(base);
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

  /** The option's value when given, else the base's. */
  static <T> T or(T given, T base) {
    return given != null ? given : base;
  }
}
