package org.reffakd.nn.run;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.reffakd.backend.Backend;
import org.reffakd.backend.Classifier;
import org.reffakd.nn.train.StudentTrainer;

/**
 * Teachers for the kd/dkd baselines: a directory written by {@code reffakd teacher} holding
 * {@code teacher.json} (architecture, dataset, accuracy, cost, provenance) and
 * {@code teacher.ckpt} (the weights).
 */
public final class Teachers {

  public static final String DESCRIPTOR = "teacher.json";
  public static final String WEIGHTS = "teacher.ckpt";

  private Teachers() {}

  public static Map<String, Object> describe(Path dir) {
    Path f = dir.resolve(DESCRIPTOR);
    if (!Files.isRegularFile(f)) {
      throw new IllegalArgumentException("--teacher " + dir + ": no " + DESCRIPTOR
          + " there (train a teacher with 'reffakd teacher --out " + dir + "')");
    }
    try {
      return RunConfig.JSON.readValue(f.toFile(), new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new IllegalArgumentException(f + ": unreadable teacher descriptor: " + e.getMessage());
    }
  }

  /** Fails unless the teacher was trained on the same dataset, classes and resolution. */
  public static void checkCompatible(Path dir, RunConfig cfg) {
    Map<String, Object> d = describe(dir);
    if (!cfg.dataset().equals(d.get("dataset"))) {
      throw new IllegalArgumentException("--teacher " + dir + " was trained on " + d.get("dataset")
          + ", this run uses " + cfg.dataset());
    }
    Object size = d.get("image_size");
    if (size == null || ((Number) size).intValue() != cfg.imageSize()) {
      throw new IllegalArgumentException("--teacher " + dir + " was trained at " + size
          + "px, this run uses " + cfg.imageSize() + "px");
    }
  }

  /**
   * A teacher as a stage takes it: its descriptor (teacher.json) and its weights, from a
   * teacher directory or from the artefact store.
   */
  public record Ref(Map<String, Object> descriptor, Path weights) {}

  /** The teacher of a directory written by {@code reffakd teacher}. */
  public static Ref ref(Path dir) {
    return new Ref(describe(dir), dir.resolve(WEIGHTS));
  }

  /** The teacher network in the given backend (checkpoints are named alike in all). */
  public static Classifier load(Backend backend, Ref ref, int channels, int size,
                                int classes) {
    Map<String, Object> d = ref.descriptor();
    Path dir = ref.weights();
    int tc = ((Number) d.get("classes_count")).intValue();
    if (tc != classes) {
      throw new IllegalArgumentException("--teacher " + dir + " predicts " + tc
          + " classes, the dataset has " + classes);
    }
    Classifier net = backend.classifier((String) d.get("arch"), channels, size, classes, 0);
    StudentTrainer.load(net, ref.weights());
    return net;
  }
}
