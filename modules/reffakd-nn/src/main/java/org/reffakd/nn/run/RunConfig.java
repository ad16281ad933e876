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
 * Everything that defines a run, as a few typed parts: the {@link DataSpec data} the run reads,
 * the {@link AutoencoderSpec autoencoder}, the {@link StudentSpec student}'s training, the
 * {@link SoftLabelSpec soft-label draw} and the {@link LossSpec loss}, with the run's seed,
 * compute threads and engine. Change a part with the typed withers ({@code
 * cfg.withStudent(cfg.student().withEpochs(2))}, {@code cfg.withSeed(7)}).
 *
 * <p>On disk it is one flat object, {@code config.json} in the run directory, the same since
 * the first release (its field names are what users write in config files, study grids and
 * {@code run --config FILE}; study and run ids are hashed from it): {@link Flat} is that form,
 * and Jackson reads and writes a RunConfig through it. Defaults: {@link #defaults}, the quick
 * Fashion-MNIST budget of METHOD.md ("what to expect": 3 autoencoder epochs, 15 student epochs,
 * cosine schedule, alpha 0.5, T 5, paper-mode soft labels), the one place they live (the CLI's
 * help reads them). The loss is a strategy name or a weighted hybrid ({@code
 * reffakd:0.5,dkd:0.5}); its {@code params} ({@code alpha}, or {@code dkd.beta} for one strategy)
 * are validated against the strategies' schemas at start.
 */
public record RunConfig(DataSpec input, AutoencoderSpec autoencoder, StudentSpec student,
    SoftLabelSpec soft, LossSpec objective, long seed, int threads, String engine) {

  /**
   * What the run reads: the dataset by name, its folder ({@code null} until resolved, or when
   * the images come from Kafka), the side images are resized to, the student's validation split
   * (images; 0 = none) and the fraction of the labelled training pool the route has.
   */
  public record DataSpec(String dataset, String dir, int imageSize, int valSize,
      double trainFraction) {
    public DataSpec withDir(String v) {
      return new DataSpec(dataset, v, imageSize, valSize, trainFraction);
    }

    public DataSpec withTrainFraction(double v) {
      return new DataSpec(dataset, dir, imageSize, valSize, v);
    }
  }

  /**
   * The autoencoder's training: epochs, learning rate and schedule, the fraction of its pool
   * held out for its validation loss, and its pool ({@link #AE_POOL_LABELLED} or
   * {@link #AE_POOL_ALL}).
   */
  public record AutoencoderSpec(int epochs, double lr, String schedule, double valFraction,
      String pool) {
    public AutoencoderSpec {
      pool = pool == null ? AE_POOL_LABELLED : pool;
    }

    public AutoencoderSpec withEpochs(int v) {
      return new AutoencoderSpec(v, lr, schedule, valFraction, pool);
    }
  }

  /** The student's architecture and training: SGD with momentum, weight decay, a schedule. */
  public record StudentSpec(String arch, int epochs, int batchSize, double lr, double momentum,
      double weightDecay, String schedule, boolean augment) {
    public StudentSpec withArch(String v) {
      return new StudentSpec(v, epochs, batchSize, lr, momentum, weightDecay, schedule, augment);
    }

    public StudentSpec withEpochs(int v) {
      return new StudentSpec(arch, v, batchSize, lr, momentum, weightDecay, schedule, augment);
    }
  }

  /**
   * The soft-label draw (METHOD.md section 2): images per class, the temperature of the row
   * softmax, mean-centring of the embeddings, the diagonal boost ({@code null}: the paper's for
   * the dataset) and whether the drawn images are augmented (paper) or not (clean).
   */
  public record SoftLabelSpec(int perClass, Double diagonalBoost, double temperature,
      boolean centered, boolean augment) {
    public SoftLabelSpec withPerClass(int v) {
      return new SoftLabelSpec(v, diagonalBoost, temperature, centered, augment);
    }
  }

  /**
   * The loss: a strategy name or a weighted hybrid, its parameters (sorted: configs are
   * written, compared and hashed), the teacher artefact for the strategies that need one, and
   * plugin folders (a command line's; a job record's are ignored).
   */
  public record LossSpec(String name, Map<String, String> params, String teacher,
      List<String> plugins) {
    public LossSpec {
      // sorted: Map.copyOf's iteration order changes from one JVM to the next
      params = params == null ? Map.of()
          : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(params));
      plugins = plugins == null ? List.of() : List.copyOf(plugins);
    }

    public LossSpec withName(String v) {
      return new LossSpec(v, params, teacher, plugins);
    }

    public LossSpec withParams(Map<String, String> v) {
      return new LossSpec(name, v, teacher, plugins);
    }

    public LossSpec withTeacher(String v) {
      return new LossSpec(name, params, v, plugins);
    }

    public LossSpec withPlugins(List<String> v) {
      return new LossSpec(name, params, teacher, v);
    }
  }

  public RunConfig {
    java.util.Objects.requireNonNull(input, "input");
    java.util.Objects.requireNonNull(autoencoder, "autoencoder");
    java.util.Objects.requireNonNull(student, "student");
    java.util.Objects.requireNonNull(soft, "soft");
    java.util.Objects.requireNonNull(objective, "objective");
    engine = engine == null ? Backends.DEFAULT : engine;
  }

  public RunConfig withInput(DataSpec v) {
    return new RunConfig(v, autoencoder, student, soft, objective, seed, threads, engine);
  }

  public RunConfig withAutoencoder(AutoencoderSpec v) {
    return new RunConfig(input, v, student, soft, objective, seed, threads, engine);
  }

  public RunConfig withStudent(StudentSpec v) {
    return new RunConfig(input, autoencoder, v, soft, objective, seed, threads, engine);
  }

  public RunConfig withSoft(SoftLabelSpec v) {
    return new RunConfig(input, autoencoder, student, v, objective, seed, threads, engine);
  }

  public RunConfig withObjective(LossSpec v) {
    return new RunConfig(input, autoencoder, student, soft, v, seed, threads, engine);
  }

  public RunConfig withSeed(long v) {
    return new RunConfig(input, autoencoder, student, soft, objective, v, threads, engine);
  }

  public RunConfig withThreads(int v) {
    return new RunConfig(input, autoencoder, student, soft, objective, seed, v, engine);
  }

  public RunConfig withEngine(String v) {
    return new RunConfig(input, autoencoder, student, soft, objective, seed, threads, v);
  }

  /** A route's point: this config with another seed and training fraction. */
  public RunConfig withRoute(long seed, double trainFraction) {
    return withSeed(seed).withInput(input.withTrainFraction(trainFraction));
  }

  /** This config with another loss (strategy or hybrid) and its parameters. */
  public RunConfig withLoss(String name, Map<String, String> params) {
    return withObjective(objective.withName(name).withParams(params));
  }

  /** Shorthands for what nearly every stage asks. */
  public String dataset() {
    return input.dataset();
  }

  public double trainFraction() {
    return input.trainFraction();
  }

  /**
   * config.json as it is on disk: one flat object. Fields added after the first release are
   * optional there (absent: their default), and the default engine and autoencoder pool are
   * left out when written, so the files (and the ids hashed from them) are those of the
   * releases before these fields existed. Snake-case whatever mapper writes it (a checkpoint's
   * header embeds it).
   */
  @com.fasterxml.jackson.databind.annotation.JsonNaming(
      com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Flat(
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

    public Flat {
      // the defaults are left out of the file (LossSpec sorts the parameters and copies the
      // plugin list: Flat is only ever written from a RunConfig or read into one)
      engine = engine == null || engine.equals(Backends.DEFAULT) ? null : engine;
      aePool = aePool == null || aePool.equals(AE_POOL_LABELLED) ? null : aePool;
    }

    RunConfig nested() {
      return new RunConfig(
          new DataSpec(dataset, data, imageSize, valSize == null ? DEFAULT_VAL_SIZE : valSize,
              trainFraction == null ? 1.0 : trainFraction),
          new AutoencoderSpec(aeEpochs, aeLr, aeSchedule, aeValFraction, aePool),
          new StudentSpec(arch, epochs, batchSize, lr, momentum, weightDecay, schedule, augment),
          new SoftLabelSpec(softPerClass, softDiagonalBoost, softTemperature, softCentered,
              softAugment == null || softAugment),
          new LossSpec(loss, lossParams, teacher, plugins),
          seed, threads, engine);
    }
  }

  /** The on-disk form (what Jackson writes). */
  @com.fasterxml.jackson.annotation.JsonValue
  public Flat flat() {
    return new Flat(input.dataset(), input.dir(), input.imageSize(), student.arch(),
        autoencoder.epochs(), autoencoder.lr(), autoencoder.schedule(), autoencoder.valFraction(),
        student.epochs(), student.batchSize(), student.lr(), student.momentum(),
        student.weightDecay(), student.schedule(), student.augment(), objective.name(),
        objective.params(), objective.teacher(), objective.plugins(), soft.perClass(),
        soft.diagonalBoost(), soft.temperature(), soft.centered(), seed, threads,
        input.valSize(), input.trainFraction(), soft.augment(), engine, autoencoder.pool());
  }

  /** Reads the on-disk form (what Jackson reads). */
  @com.fasterxml.jackson.annotation.JsonCreator(
      mode = com.fasterxml.jackson.annotation.JsonCreator.Mode.DELEGATING)
  public static RunConfig fromFlat(Flat f) {
    return f.nested();
  }

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

  /**
   * The backend of {@link #engine()} ({@code --engine}: "java" unless the config names another). Its compute threads are set where a run or teacher
   * starts ({@link Backend#threads}), not here: the dashboard builds models too.
   */
  public Backend backend() {
    return Backends.get(engine);
  }

  /**
   * This config with some fields changed by their config.json names ({@code epochs},
   * {@code loss_params}, ...), for what users name by those names: a study's {@code --grid},
   * a config file's overrides. Code uses the typed withers. Unknown names fail. Not validated:
   * call {@link #validate} on the result.
   */
  public RunConfig with(Map<String, ?> changes) {
    com.fasterxml.jackson.databind.node.ObjectNode m = JSON.valueToTree(this);
    for (Map.Entry<String, ?> e : changes.entrySet()) {
      if (!FIELDS.contains(e.getKey())) {
        throw new IllegalArgumentException("config has no field " + e.getKey());
      }
      m.set(e.getKey(), JSON.valueToTree(e.getValue()));
    }
    return JSON.convertValue(m, RunConfig.class);
  }

  /**
   * The config.json names of every field, from {@link Flat} itself (a field left out of the JSON
   * when it has its default, as {@code engine}, is a field all the same).
   */
  public static final java.util.Set<String> FIELDS = java.util.Arrays.stream(
          Flat.class.getRecordComponents())
      .map(c -> new PropertyNamingStrategies.SnakeCaseStrategy().translate(c.getName()))
      .collect(java.util.stream.Collectors.toUnmodifiableSet());

  /** {@link #with(Map)} for one field. */
  public RunConfig with(String field, Object value) {
    return with(java.util.Collections.singletonMap(field, value));
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
    return new RunConfig(
        new DataSpec(dataset, null, dataset.equals("tiny-imagenet") ? 64 : 32, DEFAULT_VAL_SIZE,
            1.0),
        new AutoencoderSpec(3, 0.1, "step", 0.1, AE_POOL_LABELLED),
        new StudentSpec("lenet5bn", 15, 128, 0.1, 0.9, 5e-4, "cosine", true),
        new SoftLabelSpec(40, null, 1.0, false, true),
        new LossSpec("reffakd", Map.of("alpha", "0.5", "temperature", "5"), null, List.of()),
        42, defaultThreads(), Backends.DEFAULT);
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
    String dataset = input.dataset();
    int imageSize = input.imageSize();
    String arch = student.arch();
    int aeEpochs = autoencoder.epochs();
    int epochs = student.epochs();
    int batchSize = student.batchSize();
    double lr = student.lr();
    double aeLr = autoencoder.lr();
    double momentum = student.momentum();
    double weightDecay = student.weightDecay();
    double aeValFraction = autoencoder.valFraction();
    String loss = objective.name();
    int softPerClass = soft.perClass();
    double softTemperature = soft.temperature();
    Double softDiagonalBoost = soft.diagonalBoost();
    int valSize = input.valSize();
    double trainFraction = input.trainFraction();
    String aePool = autoencoder.pool();
    String schedule = student.schedule();
    String aeSchedule = autoencoder.schedule();
    require(dataset != null && Datasets.NAMES.contains(dataset), "dataset",
        "one of " + Datasets.NAMES + ", got " + dataset);
    require(imageSize >= 16 && imageSize <= MAX_IMAGE_SIZE && imageSize % 8 == 0, "image_size",
        "a multiple of 8 in [16, " + MAX_IMAGE_SIZE + "], got " + imageSize);
    require(Backends.names().contains(engine()), "engine", "one of " + Backends.names()
        + ", got " + engine());
    List<String> archs = Backends.get(engine()).architectures();
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
    require(aePool.equals(AE_POOL_LABELLED) || aePool.equals(AE_POOL_ALL), "ae_pool",
        AE_POOL_LABELLED + " or " + AE_POOL_ALL + ", got " + aePool);
    require(schedule != null && (schedule.equals("step") || schedule.equals("cosine")
        || schedule.equals("constant")), "schedule", "step, cosine or constant, got "
        + schedule);
    require(aeSchedule != null && (aeSchedule.equals("step") || aeSchedule.equals("cosine")
        || aeSchedule.equals("constant")), "ae_schedule", "step, cosine or constant, got "
        + aeSchedule);
    for (Map.Entry<String, String> e : objective.params().entrySet()) {
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
