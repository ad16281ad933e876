package org.reffakd.cli;

import org.reffakd.backend.Backends;
import org.reffakd.nn.run.RunConfig;
import picocli.CommandLine.Option;

/**
 * The training backend and its compute threads, declared once for every command that trains
 * (run, study and submit through {@link ConfigOptions}, teacher, bench): a default cannot drift
 * between them. Null when not given: a config file or the defaults decide.
 */
final class EngineOptions {

  @Option(names = "--engine", paramLabel = "E", description = "training backend: java (the "
      + "pure-Java engine, default, fastest on CPU) or dl4j (Deeplearning4j on ND4J, CPU; see "
      + "README); recorded with what it trains")
  String engine;
  @Option(names = "--threads", paramLabel = "N", description = "compute threads for matrix "
      + "products and im2col (default: one per core, ${sys:reffakd.default.threads} on this "
      + "machine); results do not depend on it")
  Integer threads;

  /** The backend given, or the default ({@code java}). */
  String engineOrDefault() {
    return engine != null ? engine : Backends.DEFAULT;
  }

  /** The threads given, or one per core. */
  int threadsOrDefault() {
    return threads != null ? threads : RunConfig.defaultThreads();
  }
}
