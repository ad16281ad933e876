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
  @picocli.CommandLine.Mixin
  RouteOptions route = new RouteOptions();
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
    RunConfig.LossSpec lo = b.objective();
    // the base's loss parameters unless --loss changes the strategy (they would not fit)
    Map<String, String> params = common.lossParams(loss == null || loss.equals(lo.name())
        ? lo.params() : Map.of());
    RunConfig cfg = route.over(b.withObjective(lo.withName(ConfigOptions.or(loss, lo.name()))
        .withParams(params).withTeacher(ConfigOptions.or(teacher, lo.teacher()))));
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
