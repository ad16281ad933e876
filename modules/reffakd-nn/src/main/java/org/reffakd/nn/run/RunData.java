package org.reffakd.nn.run;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reffakd.nn.data.Datasets;
import org.reffakd.nn.data.ImageDataset;
import org.reffakd.nn.prep.Normalization;
import org.reffakd.nn.prep.PreparedImages;
import org.reffakd.nn.util.CodeVersion;

/** The train and test splits of a run, resized, with the training set's normalisation. */
public record RunData(ImageDataset train, ImageDataset test, PreparedImages trainImages,
                      PreparedImages testImages, Normalization norm) {

  public static RunData load(RunConfig cfg, PrintStream log) {
    Path dataDir = Path.of(cfg.data());
    ImageDataset train = Datasets.load(cfg.dataset(), dataDir, "train");
    ImageDataset test = Datasets.load(cfg.dataset(), dataDir,
        cfg.dataset().equals("tiny-imagenet") ? "val" : "test");
    return of(train, test, cfg, log, dataDir.toString());
  }

  /** The run's data from splits already in memory (for example rebuilt from a Kafka topic). */
  public static RunData of(ImageDataset train, ImageDataset test, RunConfig cfg, PrintStream log,
                           String source) {
    if (train.numClasses() != test.numClasses()) {
      throw new IllegalArgumentException(source + ": train has " + train.numClasses()
          + " classes, test " + test.numClasses());
    }
    PreparedImages trainImg = PreparedImages.of(train, cfg.imageSize());
    PreparedImages testImg = PreparedImages.of(test, cfg.imageSize());
    Normalization norm = trainImg.statistics();
    log.printf("data: %s train %d, test %d images, %d classes, %dx%d -> %dx%d, mean %s std %s%n",
        cfg.dataset(), train.size(), test.size(), train.numClasses(), train.height(),
        train.width(), cfg.imageSize(), cfg.imageSize(), fmt(norm.mean()), fmt(norm.std()));
    return new RunData(train, test, trainImg, testImg, norm);
  }

  static String fmt(double[] v) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < v.length; i++) {
      sb.append(i == 0 ? "" : " ").append(String.format("%.4f", v[i]));
    }
    return sb.append(']').toString();
  }

  /** What every artefact of a run records: config, seed, code version, dataset checksums. */
  public Map<String, Object> provenance(RunConfig cfg) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("config", RunConfig.JSON.convertValue(cfg, Map.class));
    p.put("seed", cfg.seed());
    p.put("code_version", CodeVersion.get());
    p.put("dataset_sha256", Map.of("train", train.sha256(), "test", test.sha256()));
    return p;
  }
}
