package org.reffakd.cli;

import org.reffakd.nn.run.RunConfig;
import picocli.CommandLine.Option;

/**
 * How a classifier (a student or a teacher) trains: learning rate, schedule and the validation
 * split that selects its epoch. Shared by {@code run}, {@code submit}, {@code study} and
 * {@code teacher}; each option, when given, overrides the config's (RunConfig's defaults).
 */
final class TrainingOptions {

  @Option(names = "--lr", description = "learning rate (default ${sys:reffakd.default.lr})")
  Double lr;
  @Option(names = "--schedule", description = "schedule: cosine, step (x0.2 at 30/60/80%% of "
      + "epochs) or constant (default ${sys:reffakd.default.schedule})")
  String schedule;
  @Option(names = "--val-size", paramLabel = "N", description = "images of the validation "
      + "split, carved from the training set (seeded, stratified, never trained on); it selects "
      + "the epoch reported as test_accuracy.at_best_val; 0 = none (default "
      + "${sys:reffakd.default.val_size})")
  Integer valSize;

  /** {@code b} with the given flags on top. */
  RunConfig over(RunConfig b) {
    RunConfig.StudentSpec st = b.student();
    RunConfig.DataSpec in = b.input();
    return b.withStudent(new RunConfig.StudentSpec(st.arch(), st.epochs(), st.batchSize(),
            ConfigOptions.or(lr, st.lr()), st.momentum(), st.weightDecay(),
            ConfigOptions.or(schedule, st.schedule()), st.augment()))
        .withInput(new RunConfig.DataSpec(in.dataset(), in.dir(), in.imageSize(),
            ConfigOptions.or(valSize, in.valSize()), in.trainFraction()));
  }
}
