package org.reffakd.platform.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import org.reffakd.nn.train.EpochRow;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.Match;
import io.vertx.micrometer.MatchType;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.reffakd.platform.bus.Addresses;

/**
 * The platform's metrics: one Micrometer {@link PrometheusMeterRegistry} holding the JVM's
 * meters, Vert.x's own (when the Vert.x instance is built by {@link #newVertx}) and ours, all
 * scraped as Prometheus text by {@link #scrape()} (the dashboard serves it at {@code /metrics}).
 *
 * <p>Our meters, dot case under {@code reffakd.}, base units, and tags that are bounded by
 * construction (stage, strategy, term, kind, split, topic, group, status: never a run id, an
 * epoch or a sample; {@link TagValues} caps every tag at {@value #MAX_TAG_VALUES} values, the
 * rest become {@code other}):
 * <table>
 *   <caption>Meters (Prometheus name in brackets)</caption>
 *   <tr><td>{@code reffakd.epoch.duration{stage}}</td><td>timer, one sample per finished epoch
 *       ({@code reffakd_epoch_duration_seconds_count/_sum/_max})</td></tr>
 *   <tr><td>{@code reffakd.stage.duration{stage}}</td><td>timer, one sample per finished stage
 *       of a run (data, autoencoder, soft_labels, student), from {@code timings_s}</td></tr>
 *   <tr><td>{@code reffakd.student.loss{strategy,term}}</td><td>gauge: the latest student loss
 *       per strategy and term ({@code term=total} is the weighted sum)</td></tr>
 *   <tr><td>{@code reffakd.student.accuracy{strategy,kind}}</td><td>gauge in [0, 1], kind
 *       {@code top1} or {@code top5} on the test split</td></tr>
 *   <tr><td>{@code reffakd.images.per.second{stage}}</td><td>gauge: training throughput</td></tr>
 *   <tr><td>{@code reffakd.autoencoder.mse{split}}</td><td>gauge: reconstruction MSE,
 *       split {@code train} or {@code val}</td></tr>
 *   <tr><td>{@code reffakd.autoencoder.selected.mse}</td><td>gauge: validation MSE of the
 *       checkpoint the last trained autoencoder kept</td></tr>
 *   <tr><td>{@code reffakd.autoencoders.trained}</td><td>counter</td></tr>
 *   <tr><td>{@code reffakd.runs{status}}</td><td>counter, status {@code started},
 *       {@code finished}, {@code failed} ({@code reffakd_runs_total})</td></tr>
 *   <tr><td>{@code reffakd.runs.active}</td><td>gauge: runs started and not yet ended</td></tr>
 *   <tr><td>{@code reffakd.kafka.records.produced{topic}}, {@code .consumed{topic}},
 *       {@code .deadlettered{topic}}</td><td>counters ({@code _total})</td></tr>
 *   <tr><td>{@code reffakd.kafka.consumer.lag{group,topic}}</td><td>gauge, records
 *       ({@code reffakd_kafka_consumer_lag_records})</td></tr>
 * </table>
 *
 * <p>Sources: {@link #attach(Vertx)} subscribes to {@link Addresses#PROGRESS},
 * {@link Addresses#EPOCH}, {@link Addresses#RUN_STATUS} and {@link Addresses#AUTOENCODER_TRAINED};
 * the Kafka code calls {@link #recordsProduced}, {@link #recordsConsumed}, {@link #deadLettered}
 * and {@link #consumerLag} directly. The strategy of a student loss is the run's loss spec,
 * taken from the event when it carries {@code loss}, else from the run's {@code RUN_STATUS}
 * ({@code unknown} when neither was seen).
 *
 * <p>Lifecycle: create one per process (the CLI does), build the Vert.x instance with
 * {@link #newVertx} to get Vert.x's metrics too, {@link #attach} it, {@link #close} at exit.
 * Thread-safe: the bus handlers run on an event loop, the Kafka methods on any thread.
 */
public final class PlatformMetrics implements AutoCloseable {

  /** Most distinct values one tag key takes; more become {@code other}. */
  public static final int MAX_TAG_VALUES = 64;

  private static final int MAX_TRACKED_RUNS = 1024;

  private final PrometheusMeterRegistry registry;
  private final boolean ownsRegistry;
  private final JvmGcMetrics gc;
  private final TagValues tags = new TagValues(MAX_TAG_VALUES);
  private final Map<List<String>, AtomicLong> gauges = new ConcurrentHashMap<>();
  private final Map<String, String> runLoss = Collections.synchronizedMap(lru());
  private final Set<String> active = ConcurrentHashMap.newKeySet();
  private final Map<Vertx, List<MessageConsumer<Object>>> attached =
      new ConcurrentHashMap<>();
  private volatile boolean bound;

  /** Meters in a registry of its own, closed by {@link #close}. */
  public PlatformMetrics() {
    this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), true);
  }

  /** Meters in the given registry (for tests, or a registry the caller shares and closes). */
  public PlatformMetrics(PrometheusMeterRegistry registry) {
    this(registry, false);
  }

  private PlatformMetrics(PrometheusMeterRegistry registry, boolean owns) {
    this.registry = registry;
    this.ownsRegistry = owns;
    this.gc = new JvmGcMetrics();
  }

  /**
   * Registers the JVM meters and our fixed ones, once. Deferred until the registry is first used
   * so that Vert.x ({@link #newVertx}) can add its meter filters before any meter exists (as
   * Micrometer asks).
   */
  private void bindOnce() {
    if (bound) {
      return;
    }
    synchronized (this) {
      if (bound) {
        return;
      }
      new JvmMemoryMetrics().bindTo(registry);
      gc.bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new ClassLoaderMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);
      new UptimeMetrics().bindTo(registry);
      Gauge.builder("reffakd.runs.active", active, Set::size)
          .description("Runs started and not yet finished or failed").register(registry);
      bound = true; // before the meters below: their helpers call bindOnce
      registerFromTheStart();
    }
  }

  /** The stages of a run's {@code timings_s}, each a {@code reffakd.stage.duration} series. */
  public static final List<String> STAGES = List.of("data", "autoencoder", "soft_labels",
      "student");
  /** The stages that train in epochs. */
  public static final List<String> TRAINING_STAGES = List.of("autoencoder", "student");

  /**
   * Every meter a dashboard in {@code dashboards/} queries, registered when the process starts
   * with its known, bounded tag values, so that panels show 0 (or no value yet) rather than
   * "No data": the Kafka counters of the fixed topics and the job workers' lag at 0, the stage
   * and epoch timers empty, run and autoencoder counters at 0, throughput at 0. Gauges that have
   * no value before a run (reconstruction MSE, student loss and accuracy) are NaN; the student's
   * have an empty {@code strategy} (the run's loss, unknown until a run), which Prometheus
   * treats as no label, so the dashboard's strategy list does not grow a placeholder.
   */
  private void registerFromTheStart() {
    for (String topic : org.reffakd.kafka.Topics.fixed()) {
      count("reffakd.kafka.records.produced", PRODUCED, topic, 0);
      count("reffakd.kafka.records.consumed", CONSUMED, topic, 0);
      count("reffakd.kafka.records.deadlettered", DEADLETTERED, topic, 0);
    }
    consumerLag(org.reffakd.kafka.Topics.WORKERS_GROUP, org.reffakd.kafka.Topics.JOBS, 0);
    for (String stage : STAGES) {
      stageTimer(stage);
    }
    for (String stage : TRAINING_STAGES) {
      epochTimer(stage);
      gauge("reffakd.images.per.second", "Training throughput", null,
          Tags.of("stage", tags.bound("stage", stage)), 0);
    }
    for (String status : List.of("started", "finished", "failed")) {
      runsCounter(status);
    }
    autoencodersTrained();
    for (String split : List.of("train", "val")) {
      gauge("reffakd.autoencoder.mse", "Autoencoder reconstruction MSE", null,
          Tags.of("split", split), Double.NaN);
    }
    gauge("reffakd.autoencoder.selected.mse", "Validation MSE of the kept autoencoder "
        + "checkpoint", null, Tags.empty(), Double.NaN);
    gauge("reffakd.student.loss", "Student loss per strategy and term", null,
        Tags.of("strategy", "", "term", "total"), Double.NaN);
    for (String kind : List.of("top1", "top5", "val_top1")) {
      gauge("reffakd.student.accuracy", "Student accuracy (0..1)", null,
          Tags.of("strategy", "", "kind", kind), Double.NaN);
    }
  }

  private static final String PRODUCED = "Records written to a Kafka topic";
  private static final String CONSUMED = "Records read from a Kafka topic";
  private static final String DEADLETTERED =
      "Records of a topic that no stage could process, sent to the dead-letter topic";

  private Timer stageTimer(String stage) {
    return Timer.builder("reffakd.stage.duration").description("Duration of a run's stage")
        .tag("stage", tags.bound("stage", stage)).register(registry);
  }

  private Timer epochTimer(String stage) {
    return Timer.builder("reffakd.epoch.duration").description("Duration of one training epoch")
        .tag("stage", stage).register(registry);
  }

  private Counter runsCounter(String status) {
    return Counter.builder("reffakd.runs").description("Runs by status change")
        .tag("status", status).register(registry);
  }

  private Counter autoencodersTrained() {
    return Counter.builder("reffakd.autoencoders.trained").description("Autoencoders trained")
        .register(registry);
  }

  /** The registry (to add meters, or to hand to other Micrometer users). */
  public PrometheusMeterRegistry registry() {
    bindOnce();
    return registry;
  }

  /**
   * Options that make Vert.x report its own metrics (HTTP server requests by route, event-bus
   * messages on the {@code reffakd.*} addresses, worker pools) into this registry when passed
   * with {@link MicrometerMetricsFactory}; {@link #newVertx} does both. Labels are chosen to stay
   * bounded: the route, never the raw path; event-bus reply addresses are dropped.
   */
  public static MicrometerMetricsOptions vertxMetricsOptions() {
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(false) // bound here once, not twice
        .setLabels(Set.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.EB_ADDRESS,
            Label.EB_SIDE, Label.EB_FAILURE, Label.POOL_TYPE, Label.POOL_NAME))
        .addLabelMatch(new Match().setDomain(MetricsDomain.EVENT_BUS)
            .setLabel(Label.EB_ADDRESS.toString()).setType(MatchType.REGEX)
            .setValue("reffakd\\..*"));
  }

  /** A Vert.x instance whose own metrics go into this registry. */
  public Vertx newVertx(VertxOptions options) {
    VertxOptions o = new VertxOptions(options).setMetricsOptions(vertxMetricsOptions());
    Vertx vertx = Vertx.builder().with(o).withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    bindOnce();
    return vertx;
  }

  /**
   * Subscribes to the platform's events on {@code vertx}'s event bus. Idempotent: a second call
   * for the same instance does nothing. The consumers go when Vert.x closes or on {@link #close}.
   */
  public void attach(Vertx vertx) {
    bindOnce();
    attached.computeIfAbsent(vertx, v -> {
      List<MessageConsumer<Object>> cs = new ArrayList<>();
      for (String address : List.of(Addresses.PROGRESS, Addresses.EPOCH, Addresses.RUN_STATUS,
          Addresses.AUTOENCODER_TRAINED)) {
        cs.add(v.eventBus().<Object>consumer(address, m -> {
          if (m.body() instanceof JsonObject body) { // anything else is not ours to count
            onEvent(address, body, v);
          }
        }));
      }
      return cs;
    });
  }

  // ---- the Kafka code's calls ----

  /** {@code n} records written to {@code topic}. */
  public void recordsProduced(String topic, long n) {
    count("reffakd.kafka.records.produced", PRODUCED, topic, n);
  }

  /** {@code n} records read from {@code topic}. */
  public void recordsConsumed(String topic, long n) {
    count("reffakd.kafka.records.consumed", CONSUMED, topic, n);
  }

  /** {@code n} poison records from {@code topic} sent to the dead-letter topic. */
  public void deadLettered(String topic, long n) {
    count("reffakd.kafka.records.deadlettered", DEADLETTERED, topic, n);
  }

  /** The latest lag (records behind the end) of consumer group {@code group} on {@code topic}. */
  public void consumerLag(String group, String topic, long lag) {
    gauge("reffakd.kafka.consumer.lag", "Records a consumer group is behind on a topic",
        "records", Tags.of("group", tags.bound("group", group), "topic",
            tags.bound("topic", topic)), lag);
  }

  /** A finished stage of a run (for stages that publish no {@code timings_s}). */
  public void stageFinished(String stage, Duration duration) {
    bindOnce();
    stageTimer(stage).record(duration);
  }

  /** Prometheus text exposition (format 0.0.4) of every meter. */
  public String scrape() {
    bindOnce();
    return registry.scrape();
  }

  /** The content type of {@link #scrape()}. */
  public static String contentType() {
    return "text/plain; version=0.0.4; charset=utf-8";
  }

  @Override
  public void close() {
    attached.forEach((v, cs) -> cs.forEach(c -> {
      try {
        c.unregister();
      } catch (RuntimeException closedAlready) {
        // Vert.x was closed first: its consumers are gone with it
      }
    }));
    attached.clear();
    gc.close(); // also when never bound: it only stops listening
    if (ownsRegistry) {
      registry.close();
    }
  }

  // ---- events ----

  void onEvent(String address, JsonObject m, Vertx vertx) {
    bindOnce();
    switch (address) {
      case Addresses.PROGRESS -> onProgress(m);
      case Addresses.EPOCH -> onEpoch(m);
      case Addresses.RUN_STATUS -> onRunStatus(m, vertx);
      case Addresses.AUTOENCODER_TRAINED -> {
        autoencodersTrained().increment();
        // Messages.AutoencoderReply: the kept checkpoint's validation MSE
        double mse = m.getValue("output") instanceof JsonObject out
            ? number(out.getValue("best_val_mse")) : Double.NaN;
        if (Double.isFinite(mse)) {
          gauge("reffakd.autoencoder.selected.mse", "Validation MSE of the kept autoencoder "
              + "checkpoint", null, Tags.empty(), mse);
        }
      }
      default -> { }
    }
  }

  private void onProgress(JsonObject m) {
    String stage = tags.bound("stage", m.getString("stage"));
    setIfFinite("reffakd.images.per.second", "Training throughput", Tags.of("stage", stage),
        number(m.getValue("images_per_s")));
    double loss = number(m.getValue("loss"));
    if ("autoencoder".equals(stage)) {
      setIfFinite("reffakd.autoencoder.mse", "Autoencoder reconstruction MSE",
          Tags.of("split", "train"), loss);
    } else if ("student".equals(stage)) {
      setIfFinite("reffakd.student.loss", "Student loss per strategy and term",
          Tags.of("strategy", strategy(m), "term", "total"), loss);
    }
  }

  private void onEpoch(JsonObject m) {
    String stage = tags.bound("stage", m.getString("stage"));
    JsonObject row = m.getJsonObject("row", new JsonObject());
    double secs = number(row.getValue("seconds"));
    if (Double.isFinite(secs) && secs >= 0) {
      epochTimer(stage).record((long) (secs * 1e9), TimeUnit.NANOSECONDS);
    }
    setIfFinite("reffakd.images.per.second", "Training throughput", Tags.of("stage", stage),
        number(row.getValue("images_per_s")));
    if ("autoencoder".equals(stage)) {
      setIfFinite("reffakd.autoencoder.mse", "Autoencoder reconstruction MSE",
          Tags.of("split", "train"), number(row.getValue("train_mse")));
      setIfFinite("reffakd.autoencoder.mse", "Autoencoder reconstruction MSE",
          Tags.of("split", "val"), number(row.getValue("val_mse")));
      return;
    }
    if (!"student".equals(stage)) {
      return;
    }
    String strategy = strategy(m);
    EpochRow r = EpochRow.fromMap(row.getMap());
    setIfFinite("reffakd.student.loss", "Student loss per strategy and term",
        Tags.of("strategy", strategy, "term", "total"), r.loss());
    r.terms().forEach((term, v) -> setIfFinite("reffakd.student.loss",
        "Student loss per strategy and term",
        Tags.of("strategy", strategy, "term", tags.bound("term", term)), v));
    setIfFinite("reffakd.student.accuracy", "Student accuracy (0..1)",
        Tags.of("strategy", strategy, "kind", "top1"), r.testTop1());
    setIfFinite("reffakd.student.accuracy", "Student accuracy (0..1)",
        Tags.of("strategy", strategy, "kind", "top5"), r.testTop5());
    setIfFinite("reffakd.student.accuracy", "Student accuracy (0..1)",
        Tags.of("strategy", strategy, "kind", "val_top1"), r.valTop1());
  }

  private void onRunStatus(JsonObject m, Vertx vertx) {
    String run = m.getString("run");
    String status = m.getString("status");
    if (run != null && m.getValue("loss") instanceof String loss) {
      runLoss.put(run, loss);
    }
    if (status == null || !List.of("started", "finished", "failed").contains(status)) {
      return;
    }
    runsCounter(status).increment();
    if (status.equals("started")) {
      if (run != null && active.size() < MAX_TRACKED_RUNS) {
        active.add(run);
      }
      return;
    }
    if (run != null) {
      active.remove(run);
    }
    if (status.equals("finished")) {
      JsonObject timings = m.getJsonObject("timings_s");
      if (timings != null) {
        recordTimings(timings);
      } else if (m.getString("dir") != null && vertx != null) {
        // result.json holds the stage timings; read it without blocking the event loop
        String file = Path.of(m.getString("dir")).resolve("result.json").toString();
        vertx.fileSystem().readFile(file).onSuccess(buf -> {
          try {
            JsonObject t = buf.toJsonObject().getJsonObject("timings_s");
            if (t != null) {
              recordTimings(t);
            }
          } catch (RuntimeException ignored) {
            // a result we cannot read has no timings to record
          }
        });
      }
    }
  }

  private void recordTimings(JsonObject timings) {
    for (String stage : timings.fieldNames()) {
      double s = number(timings.getValue(stage));
      if (Double.isFinite(s) && s >= 0) {
        stageFinished(stage, Duration.ofNanos((long) (s * 1e9)));
      }
    }
  }

  private String strategy(JsonObject m) {
    // PROGRESS's "loss" is a number (the running loss); only a string names the strategy
    String loss = m.getValue("loss") instanceof String s ? s : null;
    if (loss == null && m.getString("run") != null) {
      loss = runLoss.get(m.getString("run"));
    }
    return tags.bound("strategy", loss);
  }

  // ---- meters ----

  private void count(String name, String description, String topic, long n) {
    bindOnce();
    if (n < 0) {
      return;
    }
    Counter c = Counter.builder(name).description(description)
        .tag("topic", tags.bound("topic", topic)).register(registry);
    if (n > 0) {
      c.increment(n);
    }
  }

  private void setIfFinite(String name, String description, Tags t, double value) {
    if (Double.isFinite(value)) {
      gauge(name, description, null, t, value);
    }
  }

  private void gauge(String name, String description, String unit, Tags t, double value) {
    bindOnce();
    List<String> key = new ArrayList<>();
    key.add(name);
    t.forEach(tag -> {
      key.add(tag.getKey());
      key.add(tag.getValue());
    });
    // the value lives in an AtomicLong (double bits): written by any thread, read by a scrape
    AtomicLong cell = gauges.computeIfAbsent(List.copyOf(key), k -> {
      AtomicLong c = new AtomicLong(Double.doubleToLongBits(Double.NaN));
      Gauge.builder(name, c, a -> Double.longBitsToDouble(a.get())).description(description)
          .baseUnit(unit).tags(t).register(registry);
      return c;
    });
    cell.set(Double.doubleToLongBits(value));
  }

  private static double number(Object o) {
    if (o instanceof Number n) {
      return n.doubleValue();
    }
    if (o instanceof String s) {
      try {
        return Double.parseDouble(s);
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }
    return Double.NaN;
  }

  private static <K, V> Map<K, V> lru() {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> e) {
        return size() > MAX_TRACKED_RUNS;
      }
    };
  }
}
