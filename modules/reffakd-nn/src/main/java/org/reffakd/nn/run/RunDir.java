package org.reffakd.nn.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A run directory: its config.json, checkpoints and result.json, and the artefact store beside
 * it. The one home of "is this run finished" ({@link #finished}), which the direct path, the
 * CLI and the platform's pipeline all ask.
 */
public final class RunDir {

  private RunDir() {}

  /** The default store of a run directory: {@code artifacts/} beside it (the runs root). */
  public static ArtifactStore defaultStore(Path runDir) {
    Path parent = runDir.toAbsolutePath().getParent();
    return new ArtifactStore((parent == null ? runDir.toAbsolutePath() : parent)
        .resolve("artifacts"));
  }

  /**
   * The result of a run directory that already finished this config (same config apart from
   * {@code threads} and {@code plugins}, which change nothing computed; as many student epochs
   * as it asks for), or null. Resuming a finished run returns it untouched: no data is read,
   * nothing trains, no file changes.
   */
  public static RunResult finished(RunConfig cfg, Path runDir) {
    Path file = runDir.resolve("result.json");
    if (!Files.isRegularFile(file)) {
      return null;
    }
    RunResult m;
    try {
      m = RunConfig.JSON.readValue(file.toFile(), RunResult.class);
    } catch (IOException | RuntimeException e) {
      return null; // unreadable: the run is finished again, which rewrites it
    }
    Object was = m.details().get("config");
    if (!(was instanceof Map<?, ?>) || m.history().size() != cfg.student().epochs()) {
      return null;
    }
    RunConfig before;
    try {
      before = RunConfig.JSON.convertValue(was, RunConfig.class);
    } catch (IllegalArgumentException e) {
      return null;
    }
    RunConfig.LossSpec lo = cfg.objective();
    return before.withThreads(cfg.threads()).withObjective(before.objective()
        .withPlugins(lo.plugins())).equals(cfg) ? m : null;
  }

  /**
   * Checks the loss, its parameters and the teacher before anything is read or trained, and
   * writes config.json. Every path that starts a run calls it first.
   */
  public static void prepare(RunConfig cfg, Path runDir) {
    cfg.backend().threads(cfg.threads());
    DistillStage.loss(cfg).close();
    if (cfg.objective().teacher() != null) {
      Teachers.checkCompatible(Path.of(cfg.objective().teacher()), cfg);
    }
    try {
      Files.createDirectories(runDir.resolve("checkpoints"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create run directory " + runDir, e);
    }
    cfg.write(runDir.resolve("config.json"));
  }
}
