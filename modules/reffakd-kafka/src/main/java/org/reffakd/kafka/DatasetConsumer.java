package org.reffakd.kafka;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.reffakd.nn.data.ImageDataset;

/**
 * Reads a {@code reffakd.<dataset>.samples} topic from the beginning and rebuilds one
 * {@link ImageDataset} per split described by a manifest.
 *
 * <p>Why: every later stage (autoencoder, similarity, distillation) trains from the topic, not
 * from the files, so a run can be replayed on any machine that reaches the cluster. The rebuilt
 * split carries the manifest's class names and source checksum, so provenance is unchanged, and
 * its bytes are verified against the manifest's {@code pixels_sha256}.
 *
 * <p>A record that fails validation (see {@link SampleRecords}) is copied to
 * {@link Topics#DEADLETTER} with headers {@code reason}, {@code source.topic},
 * {@code source.partition}, {@code source.offset} and counted; consumption goes on. Offsets of
 * the consumer group are committed only after the records before them were applied or
 * dead-lettered (and the dead letters acknowledged). The partitions are assigned, not
 * subscribed, so reading starts at the beginning whatever the group committed before, and no
 * group rebalance delays the start.
 *
 * <p>Reading stops when (a) the consumer reached the end offsets the topic had when it started,
 * (b) at least one manifest was seen, every manifest seen is complete and every expected split
 * has one; or fails after the timeout, naming what is missing. The long timeout is only for
 * data that is arriving: a topic that does not exist after the grace period (default
 * {@link #DEFAULT_GRACE}), or a read that is at the end of the topic with an expected split
 * still without a manifest and no record arriving for the grace period, fails at once, naming
 * the topic and the command that fills it ({@link #fillCommand}). One dataset per topic: the one
 * in the topic name, or else the first manifest's. A newer manifest of a split that differs
 * from the one in hand (a re-publication) starts that split over.
 */
public final class DatasetConsumer implements AutoCloseable {

  /** Dead-letter header names. */
  public static final String H_REASON = DeadLetters.H_REASON;
  public static final String H_SOURCE_TOPIC = DeadLetters.H_SOURCE_TOPIC;
  public static final String H_SOURCE_PARTITION = DeadLetters.H_SOURCE_PARTITION;
  public static final String H_SOURCE_OFFSET = DeadLetters.H_SOURCE_OFFSET;

  private static final int MAX_REASONS_KEPT = 1000;

  /**
   * How long a missing samples topic, or a topic read to its end that still lacks an expected
   * split's manifest with nothing arriving, is waited for before failing.
   */
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

  private final ClientConfig config;
  private final String groupId;
  private KafkaProducer<byte[], byte[]> deadLetters;
  private boolean deadLetterTopicReady;

  /**
   * A consumer committing as {@code groupId}.
   *
   * @param groupId consumer group id; offsets are committed under it (non-null)
   */
  public DatasetConsumer(ClientConfig config, String groupId) {
    if (groupId == null || groupId.isBlank()) {
      throw new IllegalArgumentException("a consumer group id is required");
    }
    this.config = config;
    this.groupId = groupId;
  }

  /**
   * The rebuilt splits and what it took.
   *
   * @param datasets          rebuilt splits by split name, in manifest order
   * @param recordsRead       records consumed (manifests, batches, dead-lettered)
   * @param images            images in the rebuilt splits
   * @param deadLettered      records sent to the dead-letter topic
   * @param deadLetterReasons their reasons (the first {@value #MAX_REASONS_KEPT})
   * @param nanos             wall time of {@link #consume}
   */
  public record Result(String topic, Map<String, ImageDataset> datasets, long recordsRead,
                       long images, long deadLettered, List<String> deadLetterReasons,
                       long nanos) {

    /** Rebuilt images per second. */
    public double imagesPerSecond() {
      return nanos == 0 ? 0 : images * 1e9 / nanos;
    }

    /** The rebuilt split {@code split}. */
    public ImageDataset split(String split) {
      ImageDataset ds = datasets.get(split);
      if (ds == null) {
        throw new IllegalArgumentException("no split '" + split + "' in " + topic
            + "; rebuilt: " + datasets.keySet());
      }
      return ds;
    }
  }

  /** {@link #consume(String, Set, Duration)} with no required split. */
  public Result consume(String topic, Duration timeout) {
    return consume(topic, Set.of(), timeout);
  }

  /**
   * Reads {@code topic} from the beginning until its splits are rebuilt.
   *
   * @param expectedSplits splits that must be present (waits for their manifests); may be empty
   * @throws IllegalStateException on timeout (listing what is missing), on a missing topic, or
   *     when a rebuilt split does not match its manifest's {@code pixels_sha256}
   */
  public Result consume(String topic, Set<String> expectedSplits, Duration timeout) {
    return consume(topic, expectedSplits, timeout, DEFAULT_GRACE);
  }

  /**
   * As {@link #consume(String, Set, Duration)}, failing after {@code grace} (at most
   * {@code timeout}) when the topic does not exist, or when the read is at the end of the topic,
   * an expected split has no manifest, and no record arrived for {@code grace}.
   */
  public Result consume(String topic, Set<String> expectedSplits, Duration timeout,
                        Duration grace) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    long graceNanos = Math.min(grace.toNanos(), timeout.toNanos());
    Rebuild state = new Rebuild(topic, Topics.datasetOfSamples(topic).orElse(null));
    try (KafkaConsumer<byte[], byte[]> consumer = config.createConsumer(groupId)) {
      List<TopicPartition> partitions = awaitPartitions(consumer, topic,
          config.bootstrapServers(), start + graceNanos, Duration.ofNanos(graceNanos));
      consumer.assign(partitions);
      // Find the group coordinator now, while no fetch is in flight: found later, the lookup
      // queues behind a long-polling fetch on the broker connection (fetch.max.wait.ms, 500 ms).
      consumer.committed(Set.copyOf(partitions));
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long lastArrival = System.nanoTime();
      while (!(state.complete(expectedSplits) && caughtUp(consumer, end))) {
        long now = System.nanoTime();
        long left = deadline - now;
        if (now - lastArrival >= graceNanos && state.lacksManifest(expectedSplits)
            && caughtUp(consumer, consumer.endOffsets(partitions))) {
          throw new IllegalStateException(topic + " at " + config.bootstrapServers()
              + " has no manifest for " + state.withoutManifest(expectedSplits)
              + " and nothing arrived for " + graceNanos / 1_000_000 + " ms ("
              + state.recordsRead + " records read); fill it with: "
              + fillCommand(topic, state.dataset));
        }
        if (left <= 0) {
          throw new IllegalStateException("timed out after " + timeout.toMillis() + " ms reading "
              + topic + " at " + config.bootstrapServers() + " (group " + groupId + "): "
              + state.missing(expectedSplits, consumer, end));
        }
        ConsumerRecords<byte[], byte[]> records =
            consumer.poll(Duration.ofNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200))));
        if (records.isEmpty()) {
          continue;
        }
        lastArrival = System.nanoTime();
        for (ConsumerRecord<byte[], byte[]> r : records) {
          state.accept(r);
        }
        flushDeadLetters();
        commit(consumer, state.commitOffsets(records));
      }
      // batches whose manifest never came cannot be used: dead-letter them
      state.rejectPending();
      flushDeadLetters();
      Map<String, ImageDataset> datasets = state.datasets(); // verifies before committing
      Map<TopicPartition, OffsetAndMetadata> finalOffsets = new HashMap<>();
      for (TopicPartition tp : partitions) {
        finalOffsets.put(tp, new OffsetAndMetadata(consumer.position(tp)));
      }
      commit(consumer, finalOffsets);
      long images = datasets.values().stream().mapToLong(ImageDataset::size).sum();
      return new Result(topic, datasets, state.recordsRead, images, state.deadLettered,
          List.copyOf(state.reasons), System.nanoTime() - start);
    }
  }

  /**
   * The splits {@code topic} holds completely: per split, its latest manifest, when every batch
   * that manifest announces was published after it (validated as a batch, not hashed). Reads
   * the topic to the end offsets it had at the start, without a consumer group and without
   * dead-lettering anything. An absent topic holds nothing.
   *
   * <p>Why: a run that finds its dataset already there (same manifest as its files would give)
   * need not publish it again; see {@code IngestVerticle}.
   *
   * @throws IllegalStateException when the topic cannot be read to its end within
   *     {@code timeout}
   */
  public Map<String, SampleRecords.Manifest> completeSplits(String topic, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, SampleRecords.Manifest> manifests = new LinkedHashMap<>();
    Map<String, BitSet> seen = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = config.createConsumer(null)) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
      if (infos == null || infos.isEmpty()) {
        return Map.of();
      }
      List<TopicPartition> partitions = infos.stream()
          .map(i -> new TopicPartition(topic, i.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (!caughtUp(consumer, end)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topic + " at "
              + config.bootstrapServers() + " to its end within " + timeout.toMillis() + " ms");
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          try {
            if (SampleRecords.kind(r) == SampleRecords.Kind.MANIFEST) {
              SampleRecords.Manifest m = SampleRecords.decodeManifest(r);
              if (!m.equals(manifests.get(m.split()))) {
                manifests.put(m.split(), m);
                seen.put(m.split(), new BitSet(m.batches()));
              }
            } else {
              String split = SampleRecords.header(r.headers(), SampleRecords.H_SPLIT);
              SampleRecords.Manifest m = split == null ? null : manifests.get(split);
              if (m != null) {
                seen.get(split).set(SampleRecords.decodeBatch(r, m).index());
              }
            }
          } catch (MalformedRecordException ignored) {
            // not part of a complete split; consume() dead-letters it
          }
        }
      }
    }
    Map<String, SampleRecords.Manifest> out = new LinkedHashMap<>();
    manifests.forEach((split, m) -> {
      if (seen.get(split).cardinality() == m.batches()) {
        out.put(split, m);
      }
    });
    return out;
  }

  /** Closes the dead-letter producer, if one was opened. */
  @Override
  public void close() {
    if (deadLetters != null) {
      deadLetters.close();
      deadLetters = null;
    }
  }

  /** The CLI command that publishes a dataset to its samples topic. */
  public static String fillCommand(String topic, String dataset) {
    String name = dataset != null ? dataset : Topics.datasetOfSamples(topic).orElse("NAME");
    return "reffakd ingest --dataset " + name + " --data DIR (with the same --kafka or "
        + "--kafka-dir)";
  }

  /**
   * The partitions of {@code topic}, waiting until {@code deadline} for it to be created.
   *
   * @throws IllegalStateException naming the topic, the cluster and the command that fills it
   *     when it does not exist by then
   */
  public static List<TopicPartition> awaitPartitions(KafkaConsumer<byte[], byte[]> consumer,
                                                     String topic, String bootstrap,
                                                     long deadline, Duration timeout) {
    while (true) {
      List<PartitionInfo> infos = null;
      try {
        long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        infos = consumer.partitionsFor(topic, Duration.ofMillis(Math.min(left, 5_000)));
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        // topic metadata not there yet
      }
      if (infos != null && !infos.isEmpty()) {
        List<TopicPartition> tps = new ArrayList<>();
        for (PartitionInfo p : infos) {
          tps.add(new TopicPartition(topic, p.partition()));
        }
        return tps;
      }
      if (System.nanoTime() >= deadline) {
        throw new IllegalStateException("topic " + topic + " does not exist at " + bootstrap
            + " (waited " + timeout.toMillis() + " ms); fill it with: "
            + fillCommand(topic, null));
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for topic " + topic, e);
      }
    }
  }

  private static boolean caughtUp(KafkaConsumer<byte[], byte[]> consumer,
                                  Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static void commit(KafkaConsumer<byte[], byte[]> consumer,
                             Map<TopicPartition, OffsetAndMetadata> offsets) {
    if (!offsets.isEmpty()) {
      consumer.commitSync(offsets);
    }
  }

  // ---------------------------------------------------------------- dead letters

  private final AtomicReference<Exception> deadLetterFailure = new AtomicReference<>();
  private final Callback deadLetterCallback = (meta, e) -> {
    if (e != null) {
      deadLetterFailure.compareAndSet(null, e);
    }
  };

  private void sendDeadLetter(ConsumerRecord<byte[], byte[]> r, String reason) {
    if (!deadLetterTopicReady) {
      try (Admin admin = config.createAdmin()) {
        Topics.ensure(admin, Topics.DEADLETTER);
      }
      deadLetterTopicReady = true;
    }
    if (deadLetters == null) {
      deadLetters = config.createProducer();
    }
    deadLetters.send(DeadLetters.of(r, reason), deadLetterCallback);
  }

  /** Waits for the dead letters sent so far, so their source offsets may be committed. */
  private void flushDeadLetters() {
    if (deadLetters == null) {
      return;
    }
    deadLetters.flush();
    Exception e = deadLetterFailure.get();
    if (e != null) {
      throw new IllegalStateException("cannot write to " + Topics.DEADLETTER + " at "
          + config.bootstrapServers() + ": " + e, e);
    }
  }

  // ---------------------------------------------------------------- rebuild state

  /** One split being filled from its batches. */
  private static final class SplitState {
    final SampleRecords.Manifest manifest;
    final byte[] pixels;
    final int[] labels;
    final BitSet received;
    /**
     * pixels_sha256 over the pixels so far, while batches arrive in order exactly once (the
     * normal case on one partition): hashing as they come overlaps it with the fetches.
     */
    final MessageDigest runningSha = SampleRecords.sha256();
    int hashedBatches;
    boolean inOrder = true;
    /** Where the manifest and each batch applied came from: {@code partition@offset}. */
    final String manifestAt;
    final String[] batchAt;

    SplitState(SampleRecords.Manifest m, ConsumerRecord<byte[], byte[]> r) {
      this.manifest = m;
      this.manifestAt = r.partition() + "@" + r.offset();
      this.batchAt = new String[m.batches()];
      this.pixels = new byte[m.count() * m.imageSize()];
      this.labels = new int[m.count()];
      this.received = new BitSet(m.batches());
    }

    void hash(SampleRecords.Batch b) {
      if (inOrder && b.index() == hashedBatches && !received.get(b.index())) {
        runningSha.update(b.payload(), b.pixelOffset(), b.count() * manifest.imageSize());
        hashedBatches++;
      } else {
        inOrder = false; // out of order or repeated: hash the result once at the end
      }
    }

    String pixelsSha256() {
      if (inOrder && hashedBatches == manifest.batches()) {
        SampleRecords.updateLabels(runningSha, labels, manifest.classes().size());
        return HexFormat.of().formatHex(runningSha.digest());
      }
      return SampleRecords.pixelsSha256(pixels, labels, manifest.classes().size());
    }

    boolean complete() {
      return received.cardinality() == manifest.batches();
    }
  }

  /** What one {@link #consume} call has rebuilt so far. */
  private final class Rebuild {
    final String topic;
    String dataset;
    final Map<String, SplitState> splits = new LinkedHashMap<>();
    /** Batches that arrived before their split's manifest, by split. */
    final Map<String, List<ConsumerRecord<byte[], byte[]>>> pending = new LinkedHashMap<>();
    long recordsRead;
    long deadLettered;
    final List<String> reasons = new ArrayList<>();

    Rebuild(String topic, String dataset) {
      this.topic = topic;
      this.dataset = dataset;
    }

    void accept(ConsumerRecord<byte[], byte[]> r) {
      recordsRead++;
      try {
        switch (SampleRecords.kind(r)) {
          case MANIFEST -> acceptManifest(SampleRecords.decodeManifest(r), r);
          case BATCH -> acceptBatch(r);
        }
      } catch (MalformedRecordException e) {
        reject(r, e.getMessage());
      }
    }

    private void checkDataset(String name) {
      if (dataset == null) {
        dataset = name;
      } else if (!dataset.equals(name)) {
        throw new MalformedRecordException("dataset '" + name + "' does not belong on "
            + topic + " (dataset " + dataset + ")");
      }
    }

    private void acceptManifest(SampleRecords.Manifest m, ConsumerRecord<byte[], byte[]> mr) {
      checkDataset(m.dataset());
      SplitState s = splits.get(m.split());
      if (s == null || !s.manifest.equals(m)) {
        splits.put(m.split(), new SplitState(m, mr));
      }
      List<ConsumerRecord<byte[], byte[]>> waiting = pending.remove(m.split());
      if (waiting != null) {
        for (ConsumerRecord<byte[], byte[]> r : waiting) {
          try {
            acceptBatch(r);
          } catch (MalformedRecordException e) {
            reject(r, e.getMessage());
          }
        }
      }
    }

    private void acceptBatch(ConsumerRecord<byte[], byte[]> r) {
      SampleRecords.splitKeyOf(r); // headers present
      String name = SampleRecords.header(r.headers(), SampleRecords.H_DATASET);
      String split = SampleRecords.header(r.headers(), SampleRecords.H_SPLIT);
      checkDataset(name);
      SplitState s = splits.get(split);
      if (s == null) {
        pending.computeIfAbsent(split, k -> new ArrayList<>()).add(r);
        return;
      }
      SampleRecords.Batch b = SampleRecords.decodeBatch(r, s.manifest);
      SampleRecords.Manifest m = s.manifest;
      int first = b.index() * m.batchSize();
      b.copyPixels(s.pixels, first * m.imageSize());
      System.arraycopy(b.labels(), 0, s.labels, first, b.count());
      s.hash(b);
      s.received.set(b.index());
      s.batchAt[b.index()] = r.partition() + "@" + r.offset();
    }

    private void reject(ConsumerRecord<byte[], byte[]> r, String reason) {
      sendDeadLetter(r, reason);
      deadLettered++;
      if (reasons.size() < MAX_REASONS_KEPT) {
        reasons.add(reason);
      }
    }

    void rejectPending() {
      for (Map.Entry<String, List<ConsumerRecord<byte[], byte[]>>> e : pending.entrySet()) {
        for (ConsumerRecord<byte[], byte[]> r : e.getValue()) {
          reject(r, "batch of " + dataset + "/" + e.getKey() + " without a manifest");
        }
      }
      pending.clear();
    }

    /** Expected splits without a manifest so far, sorted. */
    List<String> withoutManifest(Set<String> expected) {
      List<String> out = new ArrayList<>();
      for (String split : new TreeSet<>(expected)) {
        if (!splits.containsKey(split)) {
          out.add(split);
        }
      }
      if (expected.isEmpty() && splits.isEmpty()) {
        out.add("any split");
      }
      return out;
    }

    boolean lacksManifest(Set<String> expected) {
      return !withoutManifest(expected).isEmpty();
    }

    boolean complete(Set<String> expected) {
      if (splits.isEmpty() || !splits.keySet().containsAll(expected)) {
        return false;
      }
      for (SplitState s : splits.values()) {
        if (!s.complete()) {
          return false;
        }
      }
      return true;
    }

    /** Per partition: past the last record applied, but not past a pending batch. */
    Map<TopicPartition, OffsetAndMetadata> commitOffsets(ConsumerRecords<byte[], byte[]> batch) {
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      for (TopicPartition tp : batch.partitions()) {
        List<ConsumerRecord<byte[], byte[]>> rs = batch.records(tp);
        long next = rs.get(rs.size() - 1).offset() + 1;
        for (List<ConsumerRecord<byte[], byte[]>> waiting : pending.values()) {
          for (ConsumerRecord<byte[], byte[]> w : waiting) {
            if (w.partition() == tp.partition()) {
              next = Math.min(next, w.offset());
            }
          }
        }
        offsets.put(tp, new OffsetAndMetadata(next));
      }
      return offsets;
    }

    Map<String, ImageDataset> datasets() {
      Map<String, ImageDataset> out = new LinkedHashMap<>();
      for (SplitState s : splits.values()) {
        SampleRecords.Manifest m = s.manifest;
        String sha = s.pixelsSha256();
        if (!sha.equals(m.pixelsSha256())) {
          throw new IllegalStateException("rebuilt " + m.splitKey() + " from " + topic
              + " has pixels_sha256 " + sha + " but its manifest says " + m.pixelsSha256()
              + ": " + atFault(s) + "; publish it again: " + fillCommand(topic, m.dataset()));
        }
        out.put(m.split(), new ImageDataset(m.dataset(), m.split(), m.channels(), m.height(),
            m.width(), s.pixels, s.labels, m.classes(), m.checksum()));
      }
      return Collections.unmodifiableMap(out);
    }

    /** The records a pixels_sha256 mismatch can be blamed on, as partition@offset. */
    private String atFault(SplitState s) {
      SampleRecords.Manifest m = s.manifest;
      if (!m.batchSha256().isEmpty()) {
        // every batch applied matched its checksum in this manifest
        return "every batch matched its own checksum in the manifest, so the manifest record "
            + m.splitKey() + "/manifest at partition@offset " + s.manifestAt + " is at fault "
            + "(its pixels_sha256 disagrees with its batch_sha256)";
      }
      List<String> used = new ArrayList<>();
      for (int i = 0; i < s.batchAt.length && used.size() < 20; i++) {
        used.add(i + "=" + s.batchAt[i]);
      }
      return "the manifest at partition@offset " + s.manifestAt + " lists no batch checksums "
          + "(published by an older version), so one of the batches it was rebuilt from is at "
          + "fault (batch=partition@offset: " + String.join(", ", used)
          + (s.batchAt.length > used.size() ? ", ..." : "") + ")";
    }

    String missing(Set<String> expected, KafkaConsumer<byte[], byte[]> consumer,
                   Map<TopicPartition, Long> end) {
      List<String> parts = new ArrayList<>();
      for (String split : new TreeSet<>(expected)) {
        if (!splits.containsKey(split)) {
          parts.add(split + ": no manifest");
        }
      }
      for (SplitState s : splits.values()) {
        if (!s.complete()) {
          SampleRecords.Manifest m = s.manifest;
          List<Integer> absent = new ArrayList<>();
          for (int i = s.received.nextClearBit(0); i < m.batches() && absent.size() < 10;
               i = s.received.nextClearBit(i + 1)) {
            absent.add(i);
          }
          long have = 0;
          for (int i = s.received.nextSetBit(0); i >= 0; i = s.received.nextSetBit(i + 1)) {
            have += m.imagesInBatch(i);
          }
          parts.add(m.split() + ": " + have + "/" + m.count() + " images, "
              + s.received.cardinality() + "/" + m.batches() + " batches (missing "
              + absent + (m.batches() - s.received.cardinality() > absent.size() ? "..." : "")
              + ")");
        }
      }
      for (Map.Entry<String, List<ConsumerRecord<byte[], byte[]>>> e : pending.entrySet()) {
        parts.add(e.getValue().size() + " batches of split " + e.getKey()
            + " without a manifest");
      }
      if (splits.isEmpty() && pending.isEmpty() && expected.isEmpty()) {
        parts.add("no manifest yet");
      }
      for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
        long pos = consumer.position(e.getKey());
        if (pos < e.getValue()) {
          parts.add("partition " + e.getKey().partition() + " read to offset " + pos + " of "
              + e.getValue());
        }
      }
      return String.join("; ", parts) + " (" + recordsRead + " records read, " + deadLettered
          + " dead-lettered)";
    }
  }
}
