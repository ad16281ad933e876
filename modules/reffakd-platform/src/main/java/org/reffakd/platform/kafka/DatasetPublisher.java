package org.reffakd.platform.kafka;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
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
 */
public final class DatasetPublisher implements AutoCloseable {

  /** Images per batch record unless a record would exceed {@link #MAX_RECORD_BYTES}. */
  public static final int DEFAULT_BATCH_IMAGES = 500;
  /** Largest batch value: stays below the 1 MB default {@code message.max.bytes} of brokers. */
  public static final int MAX_RECORD_BYTES = 900 * 1024;

  private final ClientConfig config;
  private final int batchImages;
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
   * @throws IllegalStateException    when a record is not acknowledged
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
    AtomicReference<Exception> failure = new AtomicReference<>();
    Callback callback = (meta, e) -> {
      if (e != null) {
        failure.compareAndSet(null, e);
      }
    };
    long start = System.nanoTime();
    long records = 0;
    long bytes = 0;
    List<SplitResult> results = new ArrayList<>();
    for (ImageDataset ds : splits) {
      int perRecord = batchSize(ds);
      SampleRecords.Manifest manifest = SampleRecords.Manifest.of(ds, perRecord);
      ProducerRecord<byte[], byte[]> m = SampleRecords.manifestRecord(topic, manifest);
      p.send(m, callback);
      records++;
      bytes += m.value().length;
      for (int i = 0; i < manifest.batches() && failure.get() == null; i++) {
        ProducerRecord<byte[], byte[]> r = SampleRecords.batchRecord(topic, ds, i, perRecord);
        p.send(r, callback);
        records++;
        bytes += r.value().length;
      }
      results.add(new SplitResult(ds.split(), ds.size(), manifest.batches(), perRecord));
    }
    p.flush();
    long nanos = System.nanoTime() - start;
    Exception e = failure.get();
    if (e != null) {
      throw new IllegalStateException("publishing " + dataset + " to " + topic + " at "
          + config.bootstrapServers() + " failed: " + e, e);
    }
    long images = results.stream().mapToLong(SplitResult::images).sum();
    return new Result(topic, List.copyOf(results), images, records, bytes, nanos);
  }

  /** Images per record for {@code ds}: the configured count, capped by the record size. */
  int batchSize(ImageDataset ds) {
    int perImage = ds.imageSize() + SampleRecords.labelWidth(ds.numClasses());
    int fit = Math.max(1, (MAX_RECORD_BYTES - SampleRecords.HEADER_BYTES) / perImage);
    return Math.min(batchImages, fit);
  }

  private KafkaProducer<byte[], byte[]> producer() {
    if (producer == null) {
      producer = config.createProducer();
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
