package org.reffakd.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.reffakd.nn.run.FashionIdx;
import org.reffakd.nn.run.DirectRun;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.nn.run.SoftLabelRecord;
import org.reffakd.nn.train.Progress;
import org.reffakd.kafka.Topics;
import org.reffakd.platform.pipeline.JobWorker;
import org.reffakd.platform.pipeline.Jobs;

/**
 * The platform against a real broker (the embedded one the test starts): training from the
 * samples topic gives the same soft labels and accuracy as training from the files; artefacts
 * land on their topics; two workers in one consumer group do each of four requests exactly once.
 */
class PlatformTest {

  @TempDir
  static Path tmp;
  @RegisterExtension
  static final FashionIdx data = new FashionIdx(() -> tmp, 1500, 300);
  static Platform platform;

  @BeforeAll
  static void start() throws Exception {
    platform = Platform.start(new Platform.Options(null, null, tmp.resolve("kafka")));
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  static RunConfig config(int epochs, long seed) {
    return data.tinyConfig(epochs, 150).withSeed(seed);
  }

  @Test
  void trainingFromTheTopicMatchesTrainingFromTheFiles() throws Exception {
    JsonObject ingest = platform.ingest("fashion-mnist", data.dir());
    assertEquals(1800, ingest.getLong("images"));
    JsonObject fromTopic = Platform.await(platform.pipeline().run("topic-run",
        config(2, 5), tmp.resolve("topic-run"), true, Progress.NONE));
    org.reffakd.nn.run.RunResult fromFiles = new DirectRun(config(2, 5), tmp.resolve("file-run"),
        Progress.NONE, new PrintStream(OutputStream.nullOutputStream())).execute();
    JsonObject files = org.reffakd.platform.bus.Messages.json(fromFiles);
    assertEquals(files.getValue("soft_labels"), fromTopic.getValue("soft_labels"));
    assertEquals(files.getValue("test_accuracy"), fromTopic.getValue("test_accuracy"));
    // provenance is unchanged by the trip through Kafka: the manifest carries the checksum
    assertEquals(files.getValue("dataset_sha256"), fromTopic.getValue("dataset_sha256"));

    // the hand-off: the distillation stage read the soft labels back from the topic by key
    String key = fromTopic.getString("soft_label_key");
    assertTrue(key.startsWith("fashion-mnist/"), key);
    assertEquals(files.getValue("soft_label_key"), key, "the key hashes what made the matrix");
    Map<String, String> soft = readAll(Topics.SOFTLABELS);
    assertTrue(soft.containsKey(key), soft.keySet().toString());
    SoftLabelRecord onTopic = platform.softLabels().fetch(key);
    assertEquals(fromTopic.getJsonArray("soft_labels").encode(),
        new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(onTopic.softLabels()));
    assertTrue(readAll(Topics.RUNS).containsKey("topic-run"));
  }

  @Test
  void twoWorkersDoEachOfFourRequestsExactlyOnce() throws Exception {
    platform.ingest("fashion-mnist", data.dir());
    // a second platform instance (own Vert.x, own consumers) on the same cluster
    try (Platform other = Platform.start(new Platform.Options(
            platform.kafka().bootstrapServers(), null, null));
         JobWorker a = new JobWorker(platform.kafka(), platform.pipeline(), tmp.resolve("wa"),
             Progress.NONE, "a").start();
         JobWorker b = new JobWorker(other.kafka(), other.pipeline(), tmp.resolve("wb"),
             Progress.NONE, "b").start()) {
      // exactly once holds while the group is stable: wait until both workers hold partitions
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while ((a.assignment().isEmpty() || b.assignment().isEmpty()
          || a.assignment().size() + b.assignment().size() != Topics.JOBS_PARTITIONS)
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertTrue(!a.assignment().isEmpty() && !b.assignment().isEmpty(),
          "both workers joined: " + a.assignment() + " / " + b.assignment());
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        ids.add(Jobs.submit(platform.kafka(), config(1, 100 + i), "job-" + i, i % 2 == 0));
      }
      for (String id : ids) {
        assertNotNull(Jobs.awaitResult(platform.kafka(), id, Duration.ofMinutes(4)),
            "no result for " + id);
      }
      Thread.sleep(1500); // a duplicate would have had time to show up
      Map<String, Integer> counts = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> r : records(Topics.RUNS)) {
        String k = new String(r.key(), StandardCharsets.UTF_8);
        if (k.startsWith("job-")) {
          counts.merge(k, 1, Integer::sum);
        }
      }
      assertEquals(Map.of("job-0", 1, "job-1", 1, "job-2", 1, "job-3", 1), counts);
      assertEquals(4, a.completed() + b.completed());
    }
  }

  static Map<String, String> readAll(String topic) {
    Map<String, String> m = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records(topic)) {
      m.put(new String(r.key(), StandardCharsets.UTF_8),
          new String(r.value(), StandardCharsets.UTF_8));
    }
    return m;
  }

  static List<ConsumerRecord<byte[], byte[]>> records(String topic) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = platform.kafka().createConsumer("read-" + topic
        + System.nanoTime())) {
      c.subscribe(List.of(topic));
      Set<Integer> seenEmpty = new HashSet<>();
      for (int i = 0; i < 40 && seenEmpty.size() < 3; i++) {
        var batch = c.poll(Duration.ofMillis(250));
        if (batch.isEmpty() && !c.assignment().isEmpty()) {
          seenEmpty.add(i);
        }
        batch.forEach(out::add);
      }
    }
    return out;
  }
}
