package org.reffakd.nn.run;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.reffakd.backend.Backend;
import org.reffakd.backend.Backends;
import org.reffakd.backend.Classifier;
import org.reffakd.backend.ImageBatch;
import org.reffakd.nn.train.StudentTrainer;

/**
 * Teachers for the kd/dkd baselines: a directory written by {@code reffakd teacher} holding
 * {@code teacher.json} (architecture, dataset, accuracy, cost, provenance) and
 * {@code teacher.ckpt} (the weights); or a model file another tool wrote that an engine reads
 * (a Deeplearning4j zip: {@link Backends#open}), which brings no dataset or resolution facts:
 * its classes are checked, and one blank image of the run's size is classified before training.
 */
public final class Teachers {

  public static final String DESCRIPTOR = "teacher.json";
  public static final String WEIGHTS = "teacher.ckpt";

  private Teachers() {}

  /** Descriptor "format" of a teacher that is a model file. */
  public static final String MODEL_FILE = "model-file";

  public static TeacherInfo describe(Path dir) {
    if (Files.isRegularFile(dir)) {
      return describeModelFile(dir);
    }
    Path f = dir.resolve(DESCRIPTOR);
    if (!Files.isRegularFile(f)) {
      throw new IllegalArgumentException("--teacher " + dir + ": no " + DESCRIPTOR
          + " there (train a teacher with 'reffakd teacher --out " + dir + "')");
    }
    try {
      return RunConfig.JSON.readValue(f.toFile(), TeacherInfo.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(f + ": unreadable teacher descriptor: " + e.getMessage());
    }
  }

  /**
   * A model file's descriptor. A run asks for it several times before training (checks,
   * pre-flight, the stage's reference); the file is opened once per path and version.
   */
  private static TeacherInfo describeModelFile(Path file) {
    String version;
    try {
      version = file.toAbsolutePath() + "|" + Files.size(file) + "|"
          + Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      throw new IllegalArgumentException("--teacher " + file + ": " + e.getMessage(), e);
    }
    return MODEL_FILES.computeIfAbsent(version, k -> {
      try (Classifier c = Backends.open(file)) {
        return TeacherInfo.modelFile(file.toString(), c.arch(), c.classes(), c.engine());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--teacher " + e.getMessage(), e);
      }
    });
  }

  private static final Map<String, TeacherInfo> MODEL_FILES =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Fails unless the teacher was trained on the same dataset, classes and resolution. */
  public static void checkCompatible(Path dir, RunConfig cfg) {
    TeacherInfo d = describe(dir);
    if (d.isModelFile()) {
      return; // no dataset or size facts: checked when loaded (classes, a trial image)
    }
    if (!cfg.dataset().equals(d.dataset())) {
      throw new IllegalArgumentException("--teacher " + dir + " was trained on " + d.dataset()
          + ", this run uses " + cfg.dataset());
    }
    Integer size = d.imageSize();
    if (size == null || size != cfg.input().imageSize()) {
      throw new IllegalArgumentException("--teacher " + dir + " was trained at " + size
          + "px, this run uses " + cfg.input().imageSize() + "px");
    }
  }

  /**
   * A teacher as a stage takes it: its descriptor (teacher.json) and its weights, from a
   * teacher directory or from the artefact store.
   */
  public record Ref(TeacherInfo descriptor, Path weights) {}

  /** The teacher of a directory written by {@code reffakd teacher}, or of a model file. */
  public static Ref ref(Path dir) {
    TeacherInfo d = describe(dir);
    return new Ref(d, d.isModelFile() ? dir : dir.resolve(WEIGHTS));
  }

  /** The teacher network in the given backend (checkpoints are named alike in all). */
  public static Classifier load(Backend backend, Ref ref, int channels, int size,
                                int classes) {
    TeacherInfo d = ref.descriptor();
    Path dir = ref.weights();
    if (d.classesCount() == null) {
      throw new IllegalArgumentException("--teacher " + dir + ": its descriptor does not say how "
          + "many classes it predicts (classes_count)");
    }
    int tc = d.classesCount();
    if (tc != classes) {
      throw new IllegalArgumentException("--teacher " + dir + " predicts " + tc
          + " classes, the dataset has " + classes);
    }
    if (d.isModelFile()) {
      Classifier net = Backends.open(ref.weights());
      try {
        float[] z = net.forward(new ImageBatch(new float[channels * size * size],
            ImageBatch.Layout.NCHW, 1, channels, size, size), false);
        if (z.length < classes) {
          throw new IllegalArgumentException(z.length + " outputs");
        }
      } catch (RuntimeException e) {
        net.close();
        throw new IllegalArgumentException("--teacher " + d.file() + " cannot classify "
            + channels + "x" + size + "x" + size + " images: " + e.getMessage(), e);
      }
      return net;
    }
    Classifier net = backend.classifier(d.arch(), channels, size, classes, 0);
    StudentTrainer.load(net, ref.weights());
    return net;
  }
}
