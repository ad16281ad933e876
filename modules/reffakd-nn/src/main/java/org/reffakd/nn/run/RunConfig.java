package org.reffakd.nn.run;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.reffakd.nn.data.Datasets;
import org.reffakd.backend.Backend;
import org.reffakd.backend.Backends;

/**
 * Everything that defines a run. The CLI writes it to {@code config.json} in the run directory;
 * {@code run --config FILE} reads one back. Defaults: the quick Fashion-MNIST budget of
 * METHOD.md ("what to expect": 3 autoencoder epochs, 15 student epochs, cosine schedule,
 * alpha 0.5, T 5, paper-mode soft labels). The loss is a strategy name or a weighted hybrid
 * ({@code reffakd:0.5,dkd:0.5}); {@code loss_params} are its parameters ({@code alpha}, or
 * {@code dkd.beta} for one strategy), validated against the strategies' schemas at start.
 */
public record RunConfig(
    String dataset,
    String data,
    int imageSize,
    String arch,
    int aeEpochs,
    double aeLr,
    String aeSchedule,
    double aeValFraction,
    int epochs,
    int batchSize,
    double lr,
    double momentum,
    double weightDecay,
    String schedule,
    boolean augment,
    String loss,
    Map<String, String> lossParams,
    String teacher,
    List<String> plugins,
    int softPerClass,
    Double softDiagonalBoost,
    double softTemperature,
    boolean softCentered,
    long seed,
    int threads,
    Integer valSize,
    Double trainFraction,
    Boolean softAugment,
    @com.fasterxml.jackson.annotation.JsonInclude(
        com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    String engine,
    @com.fasterxml.jackson.annotation.JsonInclude(
        com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    String aePool) {

  /**
   * {@code ae_pool}: the autoencoder trains on the labelled images the route has (its training
   * fraction), the default: the strict low-data protocol of METHOD.md section 6.
   */
  public static final String AE_POOL_LABELLED = "labelled";
  /**
   * {@code ae_pool}: the autoencoder also trains on the rest of the pool, without its labels
   * (the semi-supervised case); the soft-label draw still uses only the labelled images.
   */
  public static final String AE_POOL_ALL = "all";

  /** Images of the student's validation split by default (METHOD.md section 6). */
  public static final int DEFAULT_VAL_SIZE = 5000;

  public RunConfig {
    // sorted: Map.copyOf's iteration order changes from one JVM to the next, and configs are
    // written, compared and hashed
    lossParams = lossParams == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(lossParams));
    plugins = plugins == null ? List.of() : List.copyOf(plugins);
    // absent from older config files: the defaults
    valSize = valSize == null ? DEFAULT_VAL_SIZE : valSize;
    trainFraction = trainFraction == null ? 1.0 : trainFraction;
    softAugment = softAugment == null ? Boolean.TRUE : softAugment;
    // the default engine is left out of config.json, so configs (and the ids hashed from
    // them) are those of the releases before the engine seam
    engine = engine == null || engine.equals(Backends.DEFAULT) ? null : engine;
    // likewise the default autoencoder pool (labelled images only) is left out of config.json
    aePool = aePool == null || aePool.equals(AE_POOL_LABELLED) ? null : aePool;
  }

  /** The autoencoder's pool ({@code --ae-pool}): "labelled" (default) or "all". */
  public String aePoolName() {
    return aePool == null ? AE_POOL_LABELLED : aePool;
  }

  /** The training backend ({@code --engine}): "java" unless the config names another. */
  public String engineName() {
    return engine == null ? Backends.DEFAULT : engine;
  }

  /**
   * The backend of {@link #engineName()}. Its compute threads are set where a run or teacher
   * starts ({@link Backend#threads}), not here: the dashboard builds models too.
   */
  public Backend backend() {
    return Backends.get(engineName());
  }

  /**
   * This config with some fields changed, by their config.json names ({@code epochs},
   * {@code loss_params}, ...): {@code cfg.with(Map.of("epochs", 2, "seed", 7))}. Unknown names
   * fail. Not validated: call {@link #validate} on the result.
   */
  public RunConfig with(Map<String, ?> changes) {
    @SuppressWarnings("unchecked")
    Map<String, Object> m = JSON.convertValue(this, Map.class);
    for (Map.Entry<String, ?> e : changes.entrySet()) {
      if (!FIELDS.contains(e.getKey())) {
        throw new IllegalArgumentException("config has no field " + e.getKey());
      }
      m.put(e.getKey(), e.getValue());
    }
    return JSON.convertValue(m, RunConfig.class);
  }

  /**
   * The config.json names of every field, from the record itself (a field left out of the JSON
   * when it has its default, as {@code engine}, is a field all the same).
   */
  private static final java.util.Set<String> FIELDS = java.util.Arrays.stream(
          RunConfig.class.getRecordComponents())
      .map(c -> new PropertyNamingStrategies.SnakeCaseStrategy().translate(c.getName()))
      .collect(java.util.stream.Collectors.toUnmodifiableSet());

  /** {@link #with(Map)} for one field. */
  public RunConfig with(String field, Object value) {
    java.util.Map<String, Object> m = new java.util.HashMap<>();
    m.put(field, value);
    return with(m);
  }

  /** The soft-label variant this config describes (see {@link SoftLabelVariant}). */
  public String softVariant() {
    return SoftLabelVariant.name(this);
  }

  public static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public static RunConfig defaults(String dataset) {
    return new RunConfig(dataset, null, dataset.equals("tiny-imagenet") ? 64 : 32, "lenet5bn",
        3, 0.1, "step", 0.1, 15, 128, 0.1, 0.9, 5e-4, "cosine", true, "reffakd",
        Map.of("alpha", "0.5", "temperature", "5"), null, List.of(), 40, null, 1.0, false, 42,
        defaultThreads(), DEFAULT_VAL_SIZE, 1.0, true, null, null);
  }

  /** Compute threads by default: one per core the JVM may use (at most {@link #MAX_THREADS}). */
  public static int defaultThreads() {
    return Math.max(1, Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors()));
  }

  /**
   * The bounds of the numeric fields, in one place: the command line, config files, job
   * records from Kafka and study specs all pass through {@link #validate}. A job record is
   * untrusted input (docs/security.md): these keep one record from holding a worker for ever
   * (epochs) or overflowing an allocation (image size).
   */
  public static final int MAX_EPOCHS = 10_000;
  public static final int MAX_IMAGE_SIZE = 512;
  public static final int MAX_BATCH_SIZE = 4096;
  public static final int MAX_THREADS = 64;
  public static final int MAX_VAL_SIZE = 1_000_000;
  public static final int MAX_SOFT_PER_CLASS = 100_000;
  public static final double MAX_LR = 100;
  public static final double MAX_TEMPERATURE = 1e6;

  /** Checks every field; the message names the field and its valid range. */
  public RunConfig validate() {
    require(dataset != null && Datasets.NAMES.contains(dataset), "dataset",
        "one of " + Datasets.NAMES + ", got " + dataset);
    require(imageSize >= 16 && imageSize <= MAX_IMAGE_SIZE && imageSize % 8 == 0, "image_size",
        "a multiple of 8 in [16, " + MAX_IMAGE_SIZE + "], got " + imageSize);
    require(Backends.names().contains(engineName()), "engine", "one of " + Backends.names()
        + ", got " + engineName());
    List<String> archs = Backends.get(engineName()).architectures();
    require(archs.contains(arch), "arch", "one of " + archs + ", got " + arch);
    require(aeEpochs >= 0 && aeEpochs <= MAX_EPOCHS, "ae_epochs", "in [0, " + MAX_EPOCHS
        + "], got " + aeEpochs);
    require(epochs >= 1 && epochs <= MAX_EPOCHS, "epochs", "in [1, " + MAX_EPOCHS + "], got "
        + epochs);
    require(batchSize >= 1 && batchSize <= MAX_BATCH_SIZE, "batch_size", "in [1, "
        + MAX_BATCH_SIZE + "], got " + batchSize);
    require(lr > 0 && lr <= MAX_LR, "lr", "finite, in (0, " + (int) MAX_LR + "], got " + lr);
    require(aeLr > 0 && aeLr <= MAX_LR, "ae_lr", "finite, in (0, " + (int) MAX_LR + "], got "
        + aeLr);
    require(momentum >= 0 && momentum < 1, "momentum", "in [0, 1), got " + momentum);
    require(weightDecay >= 0 && weightDecay <= 1, "weight_decay", "in [0, 1], got "
        + weightDecay);
    require(aeValFraction > 0 && aeValFraction < 0.5, "ae_val_fraction",
        "in (0, 0.5), got " + aeValFraction);
    require(loss != null && !loss.isBlank() && loss.length() <= 1000, "loss", "a strategy name"
        + " (see 'reffakd plugins') or name:weight,name:weight");
    require(softPerClass >= 2 && softPerClass <= MAX_SOFT_PER_CLASS, "soft_per_class",
        "in [2, " + MAX_SOFT_PER_CLASS + "], got " + softPerClass);
    require(softTemperature > 0 && softTemperature <= MAX_TEMPERATURE, "soft_temperature",
        "finite, in (0, " + (long) MAX_TEMPERATURE + "], got " + softTemperature);
    require(softDiagonalBoost == null || Math.abs(softDiagonalBoost) <= 1e6,
        "soft_diagonal_boost", "finite, in [-1000000, 1000000], got " + softDiagonalBoost);
    require(threads >= 1 && threads <= MAX_THREADS, "threads", "in [1, " + MAX_THREADS
        + "], got " + threads);
    require(valSize >= 0 && valSize <= MAX_VAL_SIZE, "val_size", "in [0, " + MAX_VAL_SIZE
        + "] (0 = no validation split), got " + valSize);
    require(trainFraction > 0 && trainFraction <= 1, "train_fraction", "in (0, 1], got "
        + trainFraction);
    require(aePoolName().equals(AE_POOL_LABELLED) || aePoolName().equals(AE_POOL_ALL), "ae_pool",
        AE_POOL_LABELLED + " or " + AE_POOL_ALL + ", got " + aePool);
    require(schedule != null && (schedule.equals("step") || schedule.equals("cosine")
        || schedule.equals("constant")), "schedule", "step, cosine or constant, got "
        + schedule);
    require(aeSchedule != null && (aeSchedule.equals("step") || aeSchedule.equals("cosine")
        || aeSchedule.equals("constant")), "ae_schedule", "step, cosine or constant, got "
        + aeSchedule);
    for (Map.Entry<String, String> e : lossParams.entrySet()) {
      require(e.getKey() != null && e.getValue() != null && e.getKey().length() <= 200
          && e.getValue().length() <= 1000, "loss_params", "name: value pairs (names up to 200"
          + " characters, values up to 1000)");
    }
    return this;
  }

  private static void require(boolean ok, String field, String range) {
    if (!ok) {
      throw new IllegalArgumentException("config: " + field + " must be " + range);
    }
  }

  public void write(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      JSON.writeValue(file.toFile(), this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** YAML reader with the same field names as config.json. */
  static final ObjectMapper YAML = new ObjectMapper(
      new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** Reads a run config: JSON, or YAML when the file name ends in .yaml or .yml. */
  public static RunConfig read(Path file) {
    String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    ObjectMapper m = name.endsWith(".yaml") || name.endsWith(".yml") ? YAML : JSON;
    try {
      return m.readValue(file.toFile(), RunConfig.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("config " + file + ": " + e.getMessage()
          .replaceAll("\\s+", " "), e);
    }
  }
}
