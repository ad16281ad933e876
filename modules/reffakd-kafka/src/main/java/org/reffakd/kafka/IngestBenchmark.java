package org.reffakd.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.ArrayList;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.reffakd.nn.data.FashionMnistReader;
import org.reffakd.nn.data.ImageDataset;

/**
 * Measures ingest throughput: a dataset's train and test splits published to a samples topic
 * and rebuilt from it, images per second each way.
 *
 * <p>Why: ingest must stay far faster than training so Kafka never becomes the bottleneck;
 * this is the number the CLI's {@code bench} reports ({@value #PRODUCE_METRIC},
 * {@value #CONSUME_METRIC}). Each run uses a fresh topic (deleted afterwards) and a fresh
 * consumer group; one untimed warm-up run comes first so the JIT does not dominate; the result
 * is the median of the timed runs.
 *
 * <p>Beside ours, a baseline: a plain kafka-clients producer and consumer (the clients' default
 * settings, byte-array serializers, no group) moving the very records our publisher sends
 * (same keys, headers, values, count and order; encoded before the clock starts) through the
 * same broker to a fresh topic with the same settings ({@value #RAW_PRODUCE_METRIC},
 * {@value #RAW_CONSUME_METRIC}). The ratio ours / raw shows what our encoding, checksums,
 * rebuild and verification cost on top of moving the bytes.
 */
public final class IngestBenchmark {

  public static final String PRODUCE_METRIC = "ingest_produce_images_per_s";
  public static final String CONSUME_METRIC = "ingest_consume_images_per_s";
  public static final String RAW_PRODUCE_METRIC = "raw_produce_images_per_s";
  public static final String RAW_CONSUME_METRIC = "raw_consume_images_per_s";

  private IngestBenchmark() {
  }

  /** Medians and every run's figures (images per second). */
  public record Result(long imagesPerRun, double produceImagesPerSecond,
                       double consumeImagesPerSecond, double[] produceRuns,
                       double[] consumeRuns, double rawProduceImagesPerSecond,
                       double rawConsumeImagesPerSecond, double[] rawProduceRuns,
                       double[] rawConsumeRuns) {

    /**
     * The metrics by name: ours, the raw client's, and {@code ingest_produce_vs_raw} /
     * {@code ingest_consume_vs_raw} (ours / raw images per second: 1 = as fast as the raw
     * client).
     */
    public Map<String, Double> metrics() {
      Map<String, Double> m = new LinkedHashMap<>();
      m.put(PRODUCE_METRIC, produceImagesPerSecond);
      m.put(CONSUME_METRIC, consumeImagesPerSecond);
      m.put(RAW_PRODUCE_METRIC, rawProduceImagesPerSecond);
      m.put(RAW_CONSUME_METRIC, rawConsumeImagesPerSecond);
      m.put("ingest_produce_vs_raw", produceImagesPerSecond / rawProduceImagesPerSecond);
      m.put("ingest_consume_vs_raw", consumeImagesPerSecond / rawConsumeImagesPerSecond);
      return m;
    }

    @Override
    public String toString() {
      return String.format("%s=%.0f %s=%.0f %s=%.0f %s=%.0f (%d images per run; runs produce %s"
              + " consume %s raw produce %s raw consume %s)",
          PRODUCE_METRIC, produceImagesPerSecond, CONSUME_METRIC, consumeImagesPerSecond,
          RAW_PRODUCE_METRIC, rawProduceImagesPerSecond, RAW_CONSUME_METRIC,
          rawConsumeImagesPerSecond, imagesPerRun, Arrays.toString(round(produceRuns)),
          Arrays.toString(round(consumeRuns)), Arrays.toString(round(rawProduceRuns)),
          Arrays.toString(round(rawConsumeRuns)));
    }
  }

  /**
   * Runs the benchmark against the cluster of {@code config}.
   *
   * @param splits the splits to push through (e.g. Fashion-MNIST train and test)
   * @param runs   timed runs (>= 1), after one untimed warm-up
   */
  public static Result run(ClientConfig config, List<ImageDataset> splits, int runs) {
    if (runs < 1) {
      throw new IllegalArgumentException("runs " + runs + " < 1");
    }
    String dataset = splits.get(0).name();
    Set<String> names = splits.stream().map(ImageDataset::split)
        .collect(java.util.stream.Collectors.toSet());
    double[] produce = new double[runs];
    double[] consume = new double[runs];
    double[] rawProduce = new double[runs];
    double[] rawConsume = new double[runs];
    long images = 0;
    String stamp = Long.toString(System.currentTimeMillis(), 36);
    try (Admin admin = config.createAdmin();
         DatasetPublisher publisher = new DatasetPublisher(config)) {
      for (int run = -1; run < runs; run++) {
        String topic = "reffakd." + dataset + ".samples.bench-" + stamp + "-" + (run + 1);
        DatasetPublisher.Result p = publisher.publish(topic, splits);
        DatasetConsumer.Result c;
        try (DatasetConsumer consumer = new DatasetConsumer(config, topic + ".group")) {
          c = consumer.consume(topic, names, Duration.ofMinutes(2));
        }
        if (c.images() != p.images() || c.deadLettered() != 0) {
          throw new IllegalStateException("benchmark run " + run + " published " + p.images()
              + " images but rebuilt " + c.images() + " (" + c.deadLettered()
              + " dead-lettered)");
        }
        admin.deleteTopics(List.of(topic));
        String rawTopic = topic + "-raw";
        List<ProducerRecord<byte[], byte[]>> records = sameRecords(publisher, rawTopic, splits);
        Topics.ensure(admin, List.of(Topics.spec(rawTopic)));
        long produceNanos = rawProduce(config, records);
        long consumeNanos = rawConsume(config, rawTopic, records);
        admin.deleteTopics(List.of(rawTopic));
        if (run >= 0) {
          produce[run] = p.imagesPerSecond();
          consume[run] = c.imagesPerSecond();
          images = p.images();
          rawProduce[run] = p.images() * 1e9 / produceNanos;
          rawConsume[run] = p.images() * 1e9 / consumeNanos;
        }
      }
    }
    return new Result(images, median(produce), median(consume), produce, consume,
        median(rawProduce), median(rawConsume), rawProduce, rawConsume);
  }

  /** The records {@code publisher} sends for {@code splits}, in its order, to {@code topic}. */
  static List<ProducerRecord<byte[], byte[]>> sameRecords(DatasetPublisher publisher,
                                                          String topic,
                                                          List<ImageDataset> splits) {
    List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
    for (ImageDataset ds : splits) {
      int perRecord = publisher.batchSize(ds);
      SampleRecords.Manifest m = SampleRecords.Manifest.of(ds, perRecord);
      out.add(SampleRecords.manifestRecord(topic, m));
      for (int i = 0; i < m.batches(); i++) {
        out.add(SampleRecords.batchRecord(topic, ds, i, perRecord));
      }
    }
    return out;
  }

  /**
   * Sends {@code records} with a plain producer (client defaults, byte arrays) and waits for
   * every acknowledgement; returns the nanoseconds from the first send to the end of the flush.
   */
  static long rawProduce(ClientConfig config, List<ProducerRecord<byte[], byte[]>> records) {
    Properties p = config.common();
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    int largest = records.stream().mapToInt(r -> r.value().length).max().orElse(0);
    // the default max.request.size (1 MB) is enough for our records; raised only if not
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
        Integer.toString(Math.max(1024 * 1024, largest + 64 * 1024)));
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
      java.util.concurrent.atomic.AtomicReference<Exception> failure =
          new java.util.concurrent.atomic.AtomicReference<>();
      long start = System.nanoTime();
      for (ProducerRecord<byte[], byte[]> r : records) {
        producer.send(r, (meta, e) -> {
          if (e != null) {
            failure.compareAndSet(null, e);
          }
        });
      }
      producer.flush();
      long nanos = System.nanoTime() - start;
      if (failure.get() != null) {
        throw new IllegalStateException("raw producer baseline failed: " + failure.get(),
            failure.get());
      }
      return nanos;
    }
  }

  /**
   * Reads {@code topic} from the beginning with a plain consumer (client defaults, no group,
   * byte arrays) until it has seen as many records and value bytes as {@code sent}; returns the
   * nanoseconds from the consumer's creation to the last record, as ours is timed.
   */
  static long rawConsume(ClientConfig config, String topic,
                         List<ProducerRecord<byte[], byte[]>> sent) {
    Properties p = config.common();
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    long wantBytes = sent.stream().mapToLong(r -> r.value().length).sum();
    long start = System.nanoTime();
    long deadline = start + Duration.ofMinutes(2).toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
          .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      long records = 0;
      long bytes = 0;
      while (records < sent.size()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("raw consumer baseline: " + records + " of "
              + sent.size() + " records after 2 minutes");
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          records++;
          bytes += r.value().length;
        }
      }
      long nanos = System.nanoTime() - start;
      if (bytes != wantBytes) {
        throw new IllegalStateException("raw consumer baseline read " + bytes
            + " value bytes, " + wantBytes + " were sent");
      }
      return nanos;
    }
  }

  /**
   * Runs the benchmark on Fashion-MNIST (train + test, 70,000 images) from
   * {@code fashionMnistDir} through an embedded broker whose data lives under a temporary
   * directory (deleted afterwards).
   */
  public static Result runEmbedded(Path fashionMnistDir, int runs) {
    List<ImageDataset> splits = List.of(FashionMnistReader.read(fashionMnistDir, "train"),
        FashionMnistReader.read(fashionMnistDir, "test"));
    Path dir;
    try {
      dir = Files.createTempDirectory("reffakd-ingest-bench");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir)) {
      return run(ClientConfig.of(kafka.bootstrapServers()), splits, runs);
    } finally {
      deleteTree(dir);
    }
  }

  /**
   * {@code IngestBenchmark FASHION_MNIST_DIR [RUNS]}: prints the metrics (ours, the raw
   * client's, the ratios), one per line, as {@code name value}.
   */
  public static void main(String[] args) {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: IngestBenchmark FASHION_MNIST_DIR [RUNS (default 5)]");
      System.exit(2);
    }
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Result r = runEmbedded(Path.of(args[0]), runs);
    r.metrics().forEach((k, v) -> System.out.printf("%s %s%n", k,
        k.endsWith("_vs_raw") ? String.format("%.3f", v) : String.format("%.0f", v)));
    System.out.println("# " + r);
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  private static long[] round(double[] v) {
    return Arrays.stream(v).mapToLong(Math::round).toArray();
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // best effort: a temporary directory
        }
      });
    } catch (IOException e) {
      // best effort
    }
  }
}
