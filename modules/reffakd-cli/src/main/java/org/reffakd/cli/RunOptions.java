package org.reffakd.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.reffakd.nn.run.DistillStage;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.nn.run.SoftLabelVariant;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options that describe one run (shared by {@code run} and {@code submit}): the common
 * {@link ConfigOptions} plus the loss, teacher, seed, training fraction and soft-label variant.
 */
final class RunOptions {

  @Mixin
  ConfigOptions common;

  @Option(names = "--loss", paramLabel = "SPEC", description = "student loss: a strategy "
      + "(ce, reffakd, kd, dkd, reffakd-dkd, tfkd-reg, label-smoothing, or a plugin's; see "
      + "'reffakd plugins') or a weighted hybrid such as reffakd:0.5,dkd:0.5 (default "
      + "${sys:reffakd.default.loss})")
  String loss;
  @Option(names = "--teacher", paramLabel = "DIR", description = "teacher directory written by "
      + "'reffakd teacher' (needed by kd and dkd)")
  String teacher;
  @Option(names = "--seed", paramLabel = "S", description = "random seed (default "
      + "${sys:reffakd.default.seed})")
  Long seed;
  @Option(names = "--train-fraction", paramLabel = "F", description = "train the student on a "
      + "stratified, seeded fraction in (0, 1] of the training images left after the "
      + "validation split (default ${sys:reffakd.default.train_fraction})")
  Double trainFraction;
  @Option(names = "--soft-variant", paramLabel = "NAME", description = "soft-label variant: "
      + "paper (the reference: the drawn images are encoded after augmentation) or clean "
      + "(encoded as they are), optionally +centered, +t<X>, +n<N>, +boost<B> (default "
      + "${sys:reffakd.default.soft_label_variant})")
  String softVariant;

  /** The effective config: --config (or the defaults) with the given flags on top. */
  RunConfig resolve() {
    return checked(over(common.base()));
  }

  /** {@code b} with this command line's run flags on top (the common ones not included). */
  RunConfig over(RunConfig b) {
    Map<String, Object> f = new LinkedHashMap<>();
    ConfigOptions.put(f, "loss", loss);
    // the base's loss parameters unless --loss changes the strategy (they would not fit)
    f.put("loss_params", common.lossParams(loss == null || loss.equals(b.loss())
        ? b.lossParams() : Map.of()));
    ConfigOptions.put(f, "teacher", teacher);
    ConfigOptions.put(f, "seed", seed);
    ConfigOptions.put(f, "train_fraction", trainFraction);
    RunConfig cfg = b.with(f);
    return softVariant == null ? cfg : SoftLabelVariant.apply(cfg, softVariant);
  }

  /**
   * Validates a config, its loss, the loss's parameters and plugins, before anything runs. A
   * plugin jar that could not be loaded fails the run when the loss is not found (the message
   * names the jar); when the loss is found elsewhere, it is a warning on stderr, one line a jar.
   */
  static RunConfig checked(RunConfig cfg) {
    cfg.validate();
    try (var loss = DistillStage.loss(cfg)) {
      for (String problem : loss.pluginProblems()) {
        System.err.println("warning: plugin not loaded: " + problem);
      }
    }
    return cfg;
  }
}
