package org.reffakd.kafka;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The Kafka topic names of the platform, documented in one place, and their creation.
 *
 * <p>Why one place: every verticle, the CLI and the tests must agree on names, keys and topic
 * settings; an external cluster operator reads this class to pre-create the topics.
 *
 * <table>
 *   <caption>Topics</caption>
 *   <tr><th>name</th><th>content</th><th>key</th><th>settings</th></tr>
 *   <tr><td>{@code reffakd.<dataset>.samples}</td><td>image batches and one manifest per split,
 *       see {@link SampleRecords}</td><td>{@code <dataset>/<split>/<batchIndex>} or
 *       {@code <dataset>/<split>/manifest}</td><td>1 partition (keeps publication order),
 *       kept forever (the replayable record of the data)</td></tr>
 *   <tr><td>{@value #SOFTLABELS}</td><td>soft-label matrices</td>
 *       <td>{@code <dataset>/<hash of what determines the matrix>}</td><td>compacted: the latest matrix per key survives</td></tr>
 *   <tr><td>{@value #RUNS}</td><td>run results</td><td>run id</td><td>kept forever</td></tr>
 *   <tr><td>{@value #JOBS}</td><td>run requests, shared by a worker consumer group</td>
 *       <td>run id</td><td>{@value #JOBS_PARTITIONS} partitions (the most workers that can
 *       share the group)</td></tr>
 *   <tr><td>{@value #ARTIFACTS}</td><td>artefacts (encoder and teacher checkpoints) in
 *       chunks of at most 512 KiB, then a manifest (size, each chunk's SHA-256)</td>
 *       <td>{@code <sha256>/<chunk>}, {@code <sha256>}</td><td>{@value #ARTIFACTS_PARTITIONS}
 *       partitions (an artefact's records in one, chosen from its SHA-256), compacted, kept
 *       forever</td></tr>
 *   <tr><td>{@value #DEADLETTER}</td><td>poison records, with headers {@code reason},
 *       {@code source.topic}, {@code source.partition}, {@code source.offset}</td>
 *       <td>the original key</td><td>default</td></tr>
 * </table>
 *
 * <p>Replication factor is left to the broker's {@code default.replication.factor}, so the same
 * code creates topics on the embedded one-node broker and on a replicated external cluster.
 */
public final class Topics {

  /** Compacted soft labels; key {@code <dataset>/<hash>} (see SoftLabelRecord). */
  public static final String SOFTLABELS = "reffakd.softlabels";
  /** Run results. */
  public static final String RUNS = "reffakd.runs";
  /** Run requests (jobs) consumed by distillation workers. */
  public static final String JOBS = "reffakd.jobs";
  /** The consumer group of the workers that share {@link #JOBS}. */
  public static final String WORKERS_GROUP = "reffakd-workers";
  /** Records no stage could process, with the reason in a header. */
  public static final String DEADLETTER = "reffakd.deadletter";

  /** Compacted artefacts, chunked; key {@code <sha256>/<i>} and {@code <sha256>}. */
  public static final String ARTIFACTS = "reffakd.artifacts";
  /** Partitions of {@link #ARTIFACTS}. */
  public static final int ARTIFACTS_PARTITIONS = 8;

  /**
   * Partitions of {@link #JOBS}: several per worker, so that a study's jobs, spread over them in
   * turn (the submitter picks the partition, see Jobs.Submitter),
   * seldom wait behind a running job in its partition while a worker is idle. A topic created
   * by an older release keeps its partitions.
   */
  public static final int JOBS_PARTITIONS = 24;

  private static final String SAMPLES_PREFIX = "reffakd.";
  private static final String SAMPLES_SUFFIX = ".samples";
  private static final Pattern DATASET_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,199}");
  private static final Pattern SAMPLES = Pattern.compile("reffakd\\.([a-z0-9][a-z0-9_-]*)\\.samples");

  private Topics() {
  }

  /** {@code reffakd.<dataset>.samples}: the image batches of one dataset. */
  public static String samples(String dataset) {
    if (dataset == null || !DATASET_NAME.matcher(dataset).matches()) {
      throw new IllegalArgumentException("dataset name '" + dataset + "' cannot name a topic:"
          + " use lower-case letters, digits, '-' and '_'");
    }
    return SAMPLES_PREFIX + dataset + SAMPLES_SUFFIX;
  }

  /** The dataset of a {@code reffakd.<dataset>.samples} topic, or empty for any other name. */
  public static Optional<String> datasetOfSamples(String topic) {
    Matcher m = SAMPLES.matcher(topic);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /**
   * The creation settings for a platform topic: partitions and configs by name (see the table
   * above). Any other name gets one partition and broker defaults.
   */
  public static NewTopic spec(String name) {
    if (name.equals(SOFTLABELS)) {
      return new NewTopic(name, Optional.of(1), Optional.empty()).configs(Map.of(
          TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
          TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(64 * 1024 * 1024)));
    }
    if (name.equals(ARTIFACTS)) {
      return new NewTopic(name, Optional.of(ARTIFACTS_PARTITIONS), Optional.empty()).configs(
          Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }
    if (name.equals(JOBS)) {
      return new NewTopic(name, Optional.of(JOBS_PARTITIONS), Optional.empty());
    }
    if (name.equals(RUNS) || datasetOfSamples(name).isPresent()) {
      return new NewTopic(name, Optional.of(1), Optional.empty())
          .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1"));
    }
    return new NewTopic(name, Optional.of(1), Optional.empty());
  }

  /** The fixed topics: soft labels, artefacts, runs, jobs and dead letters. */
  public static List<String> fixed() {
    return List.of(SOFTLABELS, ARTIFACTS, RUNS, JOBS, DEADLETTER);
  }

  /**
   * Creates those of {@code names} that do not exist yet (with {@link #spec}); a topic that
   * exists, or that another client creates at the same time, is left as it is.
   *
   * @return the names this call created
   * @throws IllegalStateException when creation fails for another reason (e.g. authorization)
   */
  public static Set<String> ensure(Admin admin, String... names) {
    return ensure(admin, Arrays.stream(names).map(Topics::spec).toList());
  }

  /** As {@link #ensure(Admin, String...)} with explicit topic specs. */
  public static Set<String> ensure(Admin admin, Collection<NewTopic> topics) {
    Set<String> created = new LinkedHashSet<>();
    if (topics.isEmpty()) {
      return created;
    }
    Map<String, KafkaFuture<Void>> results = admin.createTopics(topics).values();
    List<String> failures = new ArrayList<>();
    for (Map.Entry<String, KafkaFuture<Void>> e : results.entrySet()) {
      try {
        e.getValue().get();
        created.add(e.getKey());
      } catch (ExecutionException ex) {
        if (!(ex.getCause() instanceof TopicExistsException)) {
          failures.add(e.getKey() + ": " + ex.getCause());
        }
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while creating topics", ex);
      }
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("cannot create topics: " + String.join("; ", failures));
    }
    return created;
  }
}
