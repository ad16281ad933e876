package org.reffakd.dashboard;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reffakd.nn.run.DirectRun;
import org.reffakd.nn.run.FashionSubset;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.nn.train.Progress;

/** Short real runs on a real Fashion-MNIST subset, as fixtures for the dashboard's tests. */
final class TinyRun {

  private TinyRun() {}

  /** Writes the first nTrain / nTest Fashion-MNIST images to {@code dir} (raw IDX). */
  static Path data(Path dir, int nTrain, int nTest) throws Exception {
    FashionSubset.writeIdx(dir, nTrain, nTest);
    return dir;
  }

  /**
   * The default config with a few fields changed (through JSON, so that fields added to the
   * record later keep their defaults).
   */
  static RunConfig config(Path data, int aeEpochs, int epochs, String loss, int batchSize) {
    @SuppressWarnings("unchecked")
    Map<String, Object> m = new LinkedHashMap<>(RunConfig.JSON.convertValue(
        RunConfig.defaults("fashion-mnist"), Map.class));
    m.put("data", data.toString());
    m.put("ae_epochs", aeEpochs);
    m.put("epochs", epochs);
    m.put("loss", loss);
    if (!loss.equals("reffakd")) {
      m.put("loss_params", Map.of()); // the defaults (alpha, temperature) are reffakd's
    }
    m.put("batch_size", batchSize);
    m.put("soft_per_class", 20);
    m.put("seed", 7);
    m.put("val_size", 100);
    return RunConfig.JSON.convertValue(m, RunConfig.class);
  }

  static org.reffakd.nn.run.RunResult run(RunConfig cfg, Path runDir, Progress progress) {
    return new DirectRun(cfg, runDir, progress, new PrintStream(OutputStream.nullOutputStream()))
        .execute();
  }
}
