package org.reffakd.kafka;

import java.util.ArrayList;
import java.util.Arrays;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.reffakd.nn.data.ImageDataset;

/**
 * Publishes dataset splits to {@code reffakd.<dataset>.samples}: per split a manifest, then the
 * images in batch records (see {@link SampleRecords}).
 *
 * <p>Why: ingest is the first stage of the pipeline and Kafka its durable, replayable record; it
 * must not become the slow part, so images travel a few hundred per record through one
 * idempotent producer (no duplicates or reordering on retry), and {@link #publish} returns only
 * after every record is acknowledged by all in-sync replicas.
 *
 * <p>A broker that goes away mid-ingest (restart, leader change) is ridden out: the producer
 * retries each record for {@link ClientConfig#DELIVERY_TIMEOUT} (and a send waits as long for
 * buffer space), and its sequence numbers, which the broker keeps in its log directory, drop
 * any retried record that had already been written, so each batch lands once. A record still
 * unacknowledged after that fails the whole publication with one line naming the broker and the
 * record; it is never reported complete.
 */
public final class DatasetPublisher implements AutoCloseable {

  /** Images per batch record unless a record would exceed {@link #MAX_RECORD_BYTES}. */
  public static final int DEFAULT_BATCH_IMAGES = 500;
  /** Largest batch value: stays below the 1 MB default {@code message.max.bytes} of brokers. */
  public static final int MAX_RECORD_BYTES = 900 * 1024;

  /**
   * Called on the publishing thread after each batch record is handed to the producer.
   */
  @FunctionalInterface
  public interface Progress {
    /**
     * @param split        the split being published
     * @param batch        the batch index just sent (not yet acknowledged)
     * @param batches      batches in the split
     * @param acknowledged records of this publication acknowledged so far (manifests included)
     */
    void sent(String split, int batch, int batches, long acknowledged);
  }

  private final ClientConfig config;
  private final int batchImages;
  private Progress progress = (split, batch, batches, acknowledged) -> { };
  private final AtomicLong acknowledged = new AtomicLong();
  private KafkaProducer<byte[], byte[]> producer;

  /** A publisher with {@value #DEFAULT_BATCH_IMAGES} images per record. */
  public DatasetPublisher(ClientConfig config) {
    this(config, DEFAULT_BATCH_IMAGES);
  }

  /** A publisher with at most {@code batchImages} images per record. */
  public DatasetPublisher(ClientConfig config, int batchImages) {
    if (batchImages < 1) {
      throw new IllegalArgumentException("batch images " + batchImages + " < 1");
    }
    this.config = config;
    this.batchImages = batchImages;
  }

  /** Reports each batch sent to {@code progress}; returns this publisher. */
  public DatasetPublisher progress(Progress progress) {
    this.progress = progress == null ? (split, batch, batches, acknowledged) -> { } : progress;
    return this;
  }

  /** Records of the current (or last) publication acknowledged so far, manifests included. */
  public long acknowledged() {
    return acknowledged.get();
  }

  /** What one split's publication produced. */
  public record SplitResult(String split, int images, int batches, int batchSize) {
  }

  /**
   * What a publication produced and how long it took ({@code nanos}: from the first encode to
   * the last acknowledgement; topic creation excluded).
   */
  public record Result(String topic, List<SplitResult> splits, long images, long records,
                       long bytes, long nanos) {

    /** Images acknowledged per second. */
    public double imagesPerSecond() {
      return nanos == 0 ? 0 : images * 1e9 / nanos;
    }
  }

  /** Publishes the given splits (same dataset) to {@code reffakd.<dataset>.samples}. */
  public Result publish(ImageDataset... splits) {
    if (splits.length == 0) {
      throw new IllegalArgumentException("nothing to publish");
    }
    return publish(Topics.samples(splits[0].name()), Arrays.asList(splits));
  }

  /**
   * Publishes the given splits (same dataset) to {@code topic}, creating the topic when missing,
   * and waits for every acknowledgement.
   *
   * @throws IllegalArgumentException when the splits name different datasets or repeat a split,
   *     or {@code topic} is the samples topic of another dataset
   * @throws IllegalStateException    when a record is not acknowledged (within
   *     {@link ClientConfig#DELIVERY_TIMEOUT}); one line naming the broker and the record
   */
  public Result publish(String topic, List<ImageDataset> splits) {
    if (splits.isEmpty()) {
      throw new IllegalArgumentException("nothing to publish");
    }
    String dataset = splits.get(0).name();
    Topics.datasetOfSamples(topic).filter(d -> !d.equals(dataset)).ifPresent(d -> {
      throw new IllegalArgumentException("dataset " + dataset + " does not belong on " + topic
          + " (consumers would dead-letter it); use " + Topics.samples(dataset));
    });
    List<String> seen = new ArrayList<>();
    for (ImageDataset ds : splits) {
      if (!ds.name().equals(dataset)) {
        throw new IllegalArgumentException("one topic per dataset: " + ds.name() + "/"
            + ds.split() + " published with " + dataset);
      }
      if (seen.contains(ds.split())) {
        throw new IllegalArgumentException("split " + ds.split() + " given twice");
      }
      seen.add(ds.split());
    }
    try (Admin admin = config.createAdmin()) {
      Topics.ensure(admin, List.of(Topics.spec(topic)));
    }
    KafkaProducer<byte[], byte[]> p = producer();
    AtomicReference<Failure> failure = new AtomicReference<>();
    acknowledged.set(0);
    long start = System.nanoTime();
    long records = 0;
    long bytes = 0;
    List<SplitResult> results = new ArrayList<>();
    for (ImageDataset ds : splits) {
      int perRecord = batchSize(ds);
      // each batch encoded and hashed once: for the manifest's batch_sha256, then sent (the
      // manifest goes first, so the split's values are held until then)
      int batches = (ds.size() + perRecord - 1) / perRecord;
      byte[][] values = new byte[batches][];
      List<String> shas = new ArrayList<>(batches);
      for (int i = 0; i < batches; i++) {
        values[i] = SampleRecords.batchValue(ds, i, perRecord);
        shas.add(SampleRecords.sha256Hex(values[i]));
      }
      SampleRecords.Manifest manifest = SampleRecords.Manifest.of(ds, perRecord, shas);
      ProducerRecord<byte[], byte[]> m = SampleRecords.manifestRecord(topic, manifest);
      p.send(m, callback(m, failure, acknowledged));
      records++;
      bytes += m.value().length;
      for (int i = 0; i < manifest.batches() && failure.get() == null; i++) {
        ProducerRecord<byte[], byte[]> r = SampleRecords.batchRecord(topic, ds, i, perRecord,
            values[i], shas.get(i));
        values[i] = null; // the producer holds it now
        p.send(r, callback(r, failure, acknowledged));
        records++;
        bytes += r.value().length;
        progress.sent(ds.split(), i, manifest.batches(), acknowledged.get());
      }
      results.add(new SplitResult(ds.split(), ds.size(), manifest.batches(), perRecord));
    }
    p.flush();
    long nanos = System.nanoTime() - start;
    Failure f = failure.get();
    if (f != null) {
      // what is still buffered would only expire the same way: do not wait for it
      producer.close(Duration.ZERO);
      producer = null;
      throw new IllegalStateException("publishing " + dataset + " to " + topic + " at "
          + config.bootstrapServers() + " failed: record " + f.key + " not acknowledged ("
          + oneLine(f.error) + "); " + acknowledged.get() + " of " + records
          + " records sent were acknowledged, the topic does not hold the whole dataset: publish again",
          f.error);
    }
    long images = results.stream().mapToLong(SplitResult::images).sum();
    return new Result(topic, List.copyOf(results), images, records, bytes, nanos);
  }

  /** The first record that failed, by key. */
  private record Failure(String key, Exception error) {
  }

  private static Callback callback(ProducerRecord<byte[], byte[]> r,
                                   AtomicReference<Failure> failure, AtomicLong acknowledged) {
    return (meta, e) -> {
      if (e == null) {
        acknowledged.incrementAndGet();
      } else {
        String key = r.key() == null ? "(no key)"
            : new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
        failure.compareAndSet(null, new Failure(key, e));
      }
    };
  }

  private static String oneLine(Throwable e) {
    String m = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    m = m.replaceAll("\\s+", " ").trim();
    return m.length() > 300 ? m.substring(0, 300) + "..." : m;
  }

  /** Images per record for {@code ds}: the configured count, capped by the record size. */
  int batchSize(ImageDataset ds) {
    int perImage = ds.imageSize() + SampleRecords.labelWidth(ds.numClasses());
    int fit = Math.max(1, (MAX_RECORD_BYTES - SampleRecords.HEADER_BYTES) / perImage);
    return Math.min(batchImages, fit);
  }

  private KafkaProducer<byte[], byte[]> producer() {
    if (producer == null) {
      Properties p = config.producer();
      // a send waits for buffer space while the broker is away, as long as records are retried
      p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG,
          String.valueOf(p.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)));
      producer = new KafkaProducer<>(p);
    }
    return producer;
  }

  /** Closes the producer (after sending whatever is buffered). */
  @Override
  public void close() {
    if (producer != null) {
      producer.close();
      producer = null;
    }
  }
}
