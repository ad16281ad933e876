package org.reffakd.platform.pipeline;

import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.reffakd.nn.loss.LossRegistry;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.platform.bus.Messages;
import org.reffakd.nn.run.RunIds;
import org.reffakd.nn.train.Progress;
import org.reffakd.nn.util.Logs;
import org.reffakd.kafka.ClientConfig;
import org.reffakd.kafka.DeadLetters;
import org.reffakd.kafka.Topics;
import org.reffakd.platform.metrics.PlatformMetrics;

/**
 * A worker: one member of the {@code reffakd-workers} consumer group on {@code reffakd.jobs}.
 * A request is a whole run ({@code {run, config, from_topic}}) or a distillation job of a
 * study ({@code {kind: "distill", run, config, soft_label_key, teacher?, from_topic}}: the
 * soft labels are read back from {@code reffakd.softlabels} by key, the teacher from the
 * artefact store by SHA-256). It takes one request at a time, skips one whose result is
 * already on {@code reffakd.runs} (a redo after a rebalance or a crash makes no second
 * result), runs it through the pipeline, and
 * commits the request's offset only after the result is on {@code reffakd.runs}, so a request
 * is never lost (a crash before the commit means another worker redoes it) and, while the
 * group is stable, done once. When workers join or leave in the middle of a run, the
 * partition of the request in flight may move to another worker, which then redoes it: a
 * rebalance gives at-least-once, and the results topic, keyed by run id, keeps the last. While a run trains, the worker keeps polling with its partitions
 * paused, so the group does not take them away for being slow. A malformed request goes to
 * the dead-letter topic with its reason.
 *
 * <p>A request is untrusted input (see docs/security.md): its run id must be a plain name
 * ({@link RunIds}), its config passes {@link RunConfig#validate} (bounds on every field)
 * before any work, and its {@code plugins} field is ignored: plugins come only from this
 * worker's own folders ({@link #withPlugins}).
 */
public final class JobWorker implements AutoCloseable {

  private static final System.Logger LOG = Logs.of(JobWorker.class);

  public static final String GROUP = Topics.WORKERS_GROUP;

  private final ClientConfig kafka;
  private final Pipeline pipeline;
  private final Path runsRoot;
  private final Progress console;
  private final String name;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong done = new AtomicLong();
  private final Thread thread;
  private final Set<TopicPartition> assigned = ConcurrentHashMap.newKeySet();
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private volatile PlatformMetrics metrics;
  private volatile List<String> plugins = List.of();
  private ResultIndex index;
  private long lastLag;
  /** This worker's name for the group's assignor, and what it tells it (busy partition). */
  private final String token = "w-" + java.util.UUID.randomUUID();
  private final java.util.concurrent.atomic.AtomicInteger busy =
      BusyAwareAssignor.state(token);

  public JobWorker(ClientConfig kafka, Pipeline pipeline, Path runsRoot, Progress console,
                   String name) {
    this.kafka = kafka;
    this.pipeline = pipeline;
    this.runsRoot = runsRoot;
    this.console = console;
    this.name = name;
    this.thread = new Thread(this::loop, "reffakd-worker-" + name);
  }

  /** Reports the group's lag on reffakd.jobs to these metrics (every few seconds). */
  public JobWorker withMetrics(PlatformMetrics m) {
    this.metrics = m;
    return this;
  }

  /**
   * The plugin folders this worker loads loss plugins from (its {@code --plugins}; the folder
   * of {@code $REFFAKD_PLUGINS} or {@code ~/.reffakd/plugins} is searched too). A request's
   * own {@code config.plugins} is ignored: a record names a loss, never a code location.
   */
  public JobWorker withPlugins(List<Path> dirs) {
    this.plugins = dirs.stream().map(d -> d.toAbsolutePath().normalize().toString()).toList();
    return this;
  }

  public JobWorker start() {
    // a record can name a teacher file: no Java deserialization but of the allow-list
    org.reffakd.backend.ModelFiles.installSerialFilter();
    thread.start();
    return this;
  }

  /** Requests completed by this worker. */
  public long completed() {
    return done.get();
  }

  /** Partitions of {@code reffakd.jobs} this worker holds now. */
  public Set<TopicPartition> assignment() {
    return Set.copyOf(assigned);
  }

  private void loop() {
    java.util.Properties props = kafka.consumer(GROUP);
    // one request per poll: a record fetched ahead could belong to a partition that a
    // rebalance hands to another worker while this one trains
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
    // a worker killed mid-job hands its partitions on within about 10 s
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
    props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "2000");
    // a busy worker holds only its running job's partition; the waiting jobs go to idle ones
    props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        BusyAwareAssignor.class.getName() + ","
            + org.apache.kafka.clients.consumer.RangeAssignor.class.getName());
    props.put(BusyAwareAssignor.TOKEN, token);
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props);
         KafkaProducer<byte[], byte[]> dlq = kafka.createProducer();
         ResultIndex results = new ResultIndex(kafka)) {
      consumer = c;
      index = results;
      c.subscribe(List.of(Topics.JOBS), new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> parts) {
          assigned.removeAll(parts);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> parts) {
          assigned.addAll(parts);
          LOG.log(INFO, "worker " + name + ": holds " + assigned.size() + " partitions of "
              + Topics.JOBS);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> parts) {
          assigned.removeAll(parts);
        }
      });
      while (running.get()) {
        reportLag(c);
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(300))) {
          if (!running.get()) {
            break;
          }
          if (c.assignment().contains(new TopicPartition(r.topic(), r.partition()))) {
            handle(c, dlq, r);
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.log(ERROR, "worker " + name + " stopped: " + e.getMessage());
    }
  }

  private void handle(KafkaConsumer<byte[], byte[]> c, KafkaProducer<byte[], byte[]> dlq,
                      ConsumerRecord<byte[], byte[]> r) {
    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
    String id;
    Path dir;
    RunConfig cfg;
    boolean fromTopic;
    JsonObject req;
    Messages.Job job;
    try {
      if (r.value() == null) {
        throw new IllegalArgumentException("empty record (no JSON object)");
      }
      req = new JsonObject(new String(r.value(), StandardCharsets.UTF_8));
      Object rid = req.getValue("run");
      if (!(rid instanceof String)) {
        throw new IllegalArgumentException("no run id (\"run\": a name)");
      }
      id = RunIds.check("run id", (String) rid);
      dir = RunIds.resolve(runsRoot, "run id", id);
      if (!(req.getValue("config") instanceof JsonObject)) {
        throw new IllegalArgumentException("no config (\"config\": an object with the fields "
            + "of config.json)");
      }
      String kind = req.getString("kind", "run");
      if (!kind.equals("run") && !kind.equals("distill")) {
        throw new IllegalArgumentException("unknown kind '" + kind + "' (run or distill)");
      }
      if (req.getValue("soft_label_key") != null
          && !(req.getValue("soft_label_key") instanceof String)) {
        throw new IllegalArgumentException("soft_label_key must be a string");
      }
      if (req.getValue("teacher") != null && !(req.getValue("teacher") instanceof JsonObject)) {
        throw new IllegalArgumentException("teacher must be an object {sha256, descriptor}");
      }
      job = Messages.read(req, Messages.Job.class); // the one codec; a bad field is named
      cfg = job.config();
      if (!cfg.objective().plugins().isEmpty() && !cfg.objective().plugins().equals(plugins)) {
        LOG.log(WARNING, "worker " + name + ": " + id + ": the record's plugin folders "
            + cfg.objective().plugins() + " are ignored: a record names a loss, never code to load (this "
            + "worker loads plugins from " + (plugins.isEmpty() ? "$" + LossRegistry.PLUGIN_DIR_ENV
            + " or ~/.reffakd/plugins" : plugins + " and $" + LossRegistry.PLUGIN_DIR_ENV) + ")");
      }
      // the worker's own plugin folders, whatever the record says
      cfg = cfg.withObjective(cfg.objective().withPlugins(plugins)).validate();
      fromTopic = job.fromTopic();
    } catch (RuntimeException e) {
      String why = "malformed run request: " + e.getMessage();
      deadLetter(dlq, r, why);
      String named = namedDistillJob(r);
      if (named != null) {
        // a study waits for every job of its own: a refused one is its result
        failed(dlq, named, why);
      }
      commit(c, tp, r.offset());
      return;
    }
    if (index.contains(id)) {
      LOG.log(INFO, "worker " + name + ": " + id + " already has a result, skipped");
      commit(c, tp, r.offset());
      return;
    }
    LOG.log(INFO, "worker " + name + ": " + id + " started");
    CompletableFuture<JsonObject> work = (job.distill()
        ? pipeline.distill(new Messages.DistillRequest(id, cfg, dir.toString(),
            job.softLabelKey(), fromTopic, job.teacher(), job.upstream()))
        : pipeline.run(id, cfg, dir, fromTopic, console))
        .toCompletionStage().toCompletableFuture();
    // busy: the group hands this worker's other partitions (their waiting jobs) to idle workers
    busy.set(tp.partition());
    c.enforceRebalance();
    // keep the membership alive while the run trains: poll with everything paused
    c.pause(c.assignment());
    while (!work.isDone() && running.get()) {
      // a rebalance inside this poll can assign partitions that are not paused yet, and the
      // poll then returns one of their jobs: put it back (seek), or the position would pass
      // it and the next commit on that partition would lose it
      for (ConsumerRecord<byte[], byte[]> skipped : c.poll(Duration.ofMillis(200))) {
        TopicPartition sp = new TopicPartition(skipped.topic(), skipped.partition());
        if (c.assignment().contains(sp)) {
          c.seek(sp, skipped.offset());
        }
      }
      c.pause(c.assignment()); // partitions assigned by a rebalance meanwhile stay paused too
    }
    try {
      work.join();
      done.incrementAndGet();
      LOG.log(INFO, "worker " + name + ": " + id + " done");
    } catch (RuntimeException e) {
      // a failed run is a result too: it is reported on the bus and not retried forever
      String why = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
      LOG.log(INFO, "worker " + name + ": " + id + " failed: " + why);
      deadLetter(dlq, r, "run " + id + " failed: " + why);
      if (job.distill()) {
        // the study waits for every job: a failure is its result
        failed(dlq, id, why);
      }
    }
    if (c.assignment().contains(tp)) {
      try {
        commit(c, tp, r.offset());
        c.seek(tp, r.offset() + 1); // a rebalance meanwhile rewound it to the running job
      } catch (org.apache.kafka.common.KafkaException e) {
        // a rebalance in progress: the job's next holder finds its result and skips it
        LOG.log(INFO, "worker " + name + ": could not commit " + id + " (" + e.getMessage()
            + "); its result is on " + Topics.RUNS);
      }
    }
    busy.set(-1);
    c.enforceRebalance(); // idle again: take a share of the partitions
    c.resume(c.assignment());
  }

  /** A failed result for job {@code id} on {@code reffakd.runs}. */
  private static void failed(KafkaProducer<byte[], byte[]> p, String id, String why) {
    p.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.RUNS,
        id.getBytes(StandardCharsets.UTF_8), new JsonObject().put("status", "failed")
            .put("error", why).encode().getBytes(StandardCharsets.UTF_8)));
    p.flush();
  }

  /** The id of a refused record when it is a distill job with a valid id, else null. */
  private static String namedDistillJob(ConsumerRecord<byte[], byte[]> r) {
    try {
      JsonObject req = new JsonObject(new String(r.value(), StandardCharsets.UTF_8));
      return "distill".equals(req.getValue("kind")) && req.getValue("run") instanceof String id
          && RunIds.valid(id) ? id : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private void reportLag(KafkaConsumer<byte[], byte[]> c) {
    PlatformMetrics m = metrics;
    if (m == null || System.nanoTime() - lastLag < 5_000_000_000L || c.assignment().isEmpty()) {
      return;
    }
    lastLag = System.nanoTime();
    long lag = 0;
    Map<TopicPartition, Long> end = c.endOffsets(c.assignment());
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      lag += Math.max(0, e.getValue() - c.position(e.getKey()));
    }
    m.consumerLag(GROUP, Topics.JOBS, lag);
  }

  private static void commit(KafkaConsumer<byte[], byte[]> c, TopicPartition tp, long offset) {
    c.commitSync(Map.of(tp, new OffsetAndMetadata(offset + 1)));
  }

  private static void deadLetter(KafkaProducer<byte[], byte[]> dlq,
                                 ConsumerRecord<byte[], byte[]> r, String reason) {
    dlq.send(DeadLetters.of(r, reason));
    dlq.flush();
  }

  @Override
  public void close() {
    BusyAwareAssignor.forget(token);
    running.set(false);
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
