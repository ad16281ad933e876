package org.reffakd.platform.kafka;

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
import org.apache.kafka.clients.admin.Admin;
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
 */
public final class IngestBenchmark {

  public static final String PRODUCE_METRIC = "ingest_produce_images_per_s";
  public static final String CONSUME_METRIC = "ingest_consume_images_per_s";

  private IngestBenchmark() {
  }

  /** Medians and every run's figures (images per second). */
  public record Result(long imagesPerRun, double produceImagesPerSecond,
                       double consumeImagesPerSecond, double[] produceRuns,
                       double[] consumeRuns) {

    /** The two metrics by name. */
    public Map<String, Double> metrics() {
      Map<String, Double> m = new LinkedHashMap<>();
      m.put(PRODUCE_METRIC, produceImagesPerSecond);
      m.put(CONSUME_METRIC, consumeImagesPerSecond);
      return m;
    }

    @Override
    public String toString() {
      return String.format("%s=%.0f %s=%.0f (%d images per run; runs produce %s consume %s)",
          PRODUCE_METRIC, produceImagesPerSecond, CONSUME_METRIC, consumeImagesPerSecond,
          imagesPerRun, Arrays.toString(round(produceRuns)), Arrays.toString(round(consumeRuns)));
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
        if (run >= 0) {
          produce[run] = p.imagesPerSecond();
          consume[run] = c.imagesPerSecond();
          images = p.images();
        }
      }
    }
    return new Result(images, median(produce), median(consume), produce, consume);
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
   * {@code IngestBenchmark FASHION_MNIST_DIR [RUNS]}: prints the two metrics, one per line, as
   * {@code name value}.
   */
  public static void main(String[] args) {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: IngestBenchmark FASHION_MNIST_DIR [RUNS (default 5)]");
      System.exit(2);
    }
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Result r = runEmbedded(Path.of(args[0]), runs);
    r.metrics().forEach((k, v) -> System.out.printf("%s %.0f%n", k, v));
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
