package org.reffakd.cli;

import org.reffakd.nn.run.RunConfig;
import picocli.CommandLine.Option;

/**
 * The route a run trains on: its seed and the fraction of the training pool it has. Shared by
 * {@code run}, {@code submit} and {@code teacher}, so their defaults are one (RunConfig's).
 */
final class RouteOptions {

  @Option(names = "--seed", paramLabel = "S", description = "random seed (default "
      + "${sys:reffakd.default.seed})")
  Long seed;
  @Option(names = "--train-fraction", paramLabel = "F", description = "train on a stratified, "
      + "seeded fraction in (0, 1] of the training images left after the validation split "
      + "(default ${sys:reffakd.default.train_fraction})")
  Double trainFraction;

  /** {@code b} with the given flags on top. */
  RunConfig over(RunConfig b) {
    return b.withRoute(ConfigOptions.or(seed, b.seed()),
        ConfigOptions.or(trainFraction, b.trainFraction()));
  }
}
