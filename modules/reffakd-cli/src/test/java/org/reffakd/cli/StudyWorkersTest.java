package org.reffakd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reffakd.nn.run.FashionSubset;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.platform.Platform;
import org.reffakd.kafka.Topics;
import org.reffakd.study.StudyRunner;
import org.reffakd.study.StudySpec;

/**
 * Two {@code reffakd worker} processes on one broker share a study's jobs, each with its own
 * artefact folder and runs root (nothing shared but Kafka: the encoders and the kd teachers
 * travel through reffakd.artifacts); one is killed with SIGKILL in the middle of a job; the
 * study still ends with exactly one result per job, and with the report the same study gets
 * from one in-process worker on a broker of its own (every figure but the measured times).
 */
class StudyWorkersTest {

  @TempDir
  Path tmp;

  /** A child JVM running the CLI, its output lines collected as they come. */
  record Child(Process process, List<String> lines) {
    long count(String fragment) {
      return lines.stream().filter(l -> l.contains(fragment)).count();
    }

    /** {@code reffakd ARGS...} in a child JVM with this test's class path and the given heap. */
    static Child start(String heap, String... args) throws Exception {
      List<String> cmd = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "--add-modules", "jdk.incubator.vector", "-Xmx" + heap, "-cp",
          System.getProperty("java.class.path"), "org.reffakd.cli.Main"));
      cmd.addAll(List.of(args));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      List<String> lines = new CopyOnWriteArrayList<>();
      Thread t = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
            StandardCharsets.UTF_8))) {
          for (String l = r.readLine(); l != null; l = r.readLine()) {
            lines.add(l);
          }
        } catch (Exception ignored) {
          // the process ended
        }
      });
      t.setDaemon(true);
      t.start();
      return new Child(p, lines);
    }
  }

  static Child worker(String name, String bootstrap, Path artifacts, Path runs) throws Exception {
    return Child.start("2g", "worker", "--kafka", bootstrap, "--artifacts", artifacts.toString(),
        "--runs-root", runs.toString(), "--name", name);
  }

  static void await(String what, java.util.function.BooleanSupplier ok, int seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(100);
    }
  }

  @Test
  void twoWorkerProcessesShareAStudyAndAKilledOneLosesNoJob() throws Exception {
    Path data = tmp.resolve("fmnist");
    FashionSubset.writeIdx(data, 1500, 300);
    Path study = tmp.resolve("study");
    Path artifacts = study.resolve("artifacts");
    Child a = null;
    Child b = null;
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Platform p = Platform.start(new Platform.Options(null, null, tmp.resolve("kafka"),
        artifacts))) {
      p.ingest("fashion-mnist", data);
      String bootstrap = p.kafka().bootstrapServers();
      a = worker("a", bootstrap, tmp.resolve("artifacts-a"), tmp.resolve("runs-a"));
      b = worker("b", bootstrap, tmp.resolve("artifacts-b"), tmp.resolve("runs-b"));
      Child wa = a;
      Child wb = b;
      // both in the group before the jobs arrive
      await("both workers to hold partitions", () -> wa.count("holds") > 0
          && wb.count("holds") > 0 && !last(wa, "holds").contains("holds 0")
          && !last(wb, "holds").contains("holds 0")
          && last(wa, "holds").contains("holds " + Topics.JOBS_PARTITIONS / 2)
          && last(wb, "holds").contains("holds " + Topics.JOBS_PARTITIONS / 2),
          120);

      RunConfig base = RunConfig.defaults("fashion-mnist").with(Map.of("data", data.toString(),
          "ae_epochs", 0, "epochs", 3, "batch_size", 64, "lr", 0.05, "threads", 1,
          "val_size", 200, "soft_per_class", 10));
      StudySpec spec = new StudySpec(base, List.of("ce", "reffakd", "label-smoothing", "kd"),
          List.of("clean"), List.of(1L, 2L, 3L), Map.of(),
          Map.of("alpha", "0.5", "temperature", "5"), List.of(1.0), "lenet5bn", 1);
      Future<StudyRunner.Outcome> run = pool.submit(() -> new StudyRunner(p, spec, study, true,
          System.out).run());

      // once each worker has finished a job, kill a in the middle of its next one
      await("both workers to finish a job", () -> wa.count(" done") >= 1
          && wb.count(" done") >= 1, 300);
      await("worker a to start another job", () -> wa.count(" started") > wa.count(" done"),
          300);
      a.process().destroyForcibly(); // SIGKILL: no clean shutdown, no commit
      assertTrue(a.process().waitFor(30, TimeUnit.SECONDS));
      long aDone = a.count(" done");

      StudyRunner.Outcome o = run.get(10, TimeUnit.MINUTES);
      assertEquals(12, o.jobs());
      assertEquals(12, o.data().jobs().size(), "every job has a result");
      assertTrue(aDone >= 1 && b.count(" done") >= 1, "both workers did some: a " + aDone
          + ", b " + b.count(" done"));

      Map<String, Integer> counts = new HashMap<>();
      try (KafkaConsumer<byte[], byte[]> c = p.kafka().createConsumer("count")) {
        c.subscribe(List.of(Topics.RUNS));
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
          for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(300))) {
            counts.merge(new String(r.key(), StandardCharsets.UTF_8), 1, Integer::sum);
          }
          if (counts.size() == 12) {
            c.poll(Duration.ofSeconds(2)).forEach(r -> counts.merge(new String(r.key(),
                StandardCharsets.UTF_8), 1, Integer::sum));
            break;
          }
        }
      }
      assertEquals(12, counts.size(), counts.toString());
      assertTrue(counts.values().stream().allMatch(n -> n == 1),
          "exactly one result per job: " + counts);
      // the survivor's own folder holds what it fetched from the topic: the encoders it used
      // and the teachers of its kd jobs, none of them copied from the study's folder
      try (var files = Files.walk(tmp.resolve("artifacts-b"))) {
        assertTrue(files.filter(Files::isRegularFile).count() >= 1,
            "worker b fetched no artefact into its own folder");
      }
      assertEquals(0, o.failed().size(), "no job failed: " + o.failed());

      // the same study in one process, on a broker of its own: the same report
      b.process().destroyForcibly();
      Path alone = tmp.resolve("study-alone");
      StudyRunner.Outcome one;
      try (Platform q = Platform.start(new Platform.Options(null, null, tmp.resolve("kafka-2"),
          alone.resolve("artifacts")));
           org.reffakd.platform.pipeline.JobWorker w = new org.reffakd.platform.pipeline
               .JobWorker(q.kafka(), q.pipeline(), alone.resolve("jobs"),
               org.reffakd.nn.train.Progress.NONE, "alone").start()) {
        q.ingest("fashion-mnist", data);
        one = new StudyRunner(q, spec, alone, true, System.out).run();
      }
      assertEquals(12, one.data().jobs().size());
      assertEquals(0, one.failed().size(), one.failed().toString());
      List<String> expected = deterministic(alone.resolve("results.csv"));
      assertEquals(13, expected.size(), "a header and 12 jobs: " + expected);
      assertEquals(expected, deterministic(study.resolve("results.csv")));
    } finally {
      pool.shutdownNow();
      for (Child c : new Child[] {a, b}) {
        if (c != null) {
          c.process().destroyForcibly();
        }
      }
    }
  }

  /** results.csv without the columns measured on the machine (times, memory, latency). */
  private static List<String> deterministic(Path csv) throws Exception {
    List<String> lines = Files.readAllLines(csv);
    List<String> header = List.of(lines.get(0).split(",", -1));
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      String[] cells = line.split(",", -1);
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < cells.length; i++) {
        String col = header.get(i);
        if (!col.startsWith("measured_") && !col.contains("latency")
            && !col.contains("images_per_s")) {
          b.append(cells[i]).append(',');
        }
      }
      out.add(b.toString());
    }
    java.util.Collections.sort(out.subList(1, out.size()));
    return out;
  }

  private static String last(Child c, String fragment) {
    String l = "";
    for (String s : c.lines()) {
      if (s.contains(fragment)) {
        l = s;
      }
    }
    return l;
  }
}
