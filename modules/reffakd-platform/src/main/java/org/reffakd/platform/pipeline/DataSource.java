package org.reffakd.platform.pipeline;

import org.reffakd.nn.run.RunConfig;
import org.reffakd.nn.run.RunData;
import org.reffakd.nn.util.Logs;

/** Where a run's images come from: the dataset files, or a Kafka samples topic. */
public interface DataSource {

  /** Blocking: called on a worker thread. */
  RunData load(RunConfig cfg);

  /** A short description for logs and results, e.g. the folder or the topic. */
  String describe(RunConfig cfg);

  /**
   * Changes when the source's content may have changed (a topic's end offset); loads with the
   * same version give the same data. The files' default: always the same.
   */
  default String version(RunConfig cfg) {
    return "";
  }

  /** The dataset files named by the run's config. */
  DataSource FILES = new DataSource() {
    @Override
    public RunData load(RunConfig cfg) {
      return RunData.load(cfg, Logs.info(Logs.of(DataSource.class)));
    }

    @Override
    public String describe(RunConfig cfg) {
      return cfg.input().dir();
    }
  };
}
