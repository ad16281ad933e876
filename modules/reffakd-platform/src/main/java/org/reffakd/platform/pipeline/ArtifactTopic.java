package org.reffakd.platform.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.reffakd.kafka.ClientConfig;
import org.reffakd.kafka.Topics;
import org.reffakd.nn.run.ArtifactStore;
import org.reffakd.platform.metrics.PlatformMetrics;

/**
 * Artefacts on the compacted topic {@code reffakd.artifacts}, so that a worker needs nothing
 * shared with the others but the Kafka cluster. An artefact of SHA-256 {@code S} is its bytes
 * cut into chunks of at most {@link #CHUNK_BYTES} (under any broker's default message limit),
 * keyed {@code S/0}, {@code S/1}, ..., then a manifest keyed {@code S}: its size, the chunk
 * count and each chunk's SHA-256. Every record of an artefact goes to one partition (chosen
 * from {@code S}), the manifest last, so a reader that finds the manifest finds the chunks
 * before it. Compaction keeps the latest record of each key: publishing again is harmless.
 *
 * <p>{@link #fetch} reads that partition up to its end offset at the time of the call, checks
 * every chunk against the manifest and the whole against {@code S}; a missing or damaged
 * chunk fails naming the artefact and the chunk, never yielding a file.
 */
public final class ArtifactTopic implements ArtifactStore.Remote, AutoCloseable {

  /** Bytes per chunk: well under the 1 MB message limit of a broker's defaults. */
  public static final int CHUNK_BYTES = 512 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The manifest's JSON. */
  record Manifest(String sha256, long size, int chunks, List<String> chunkSha256) {}

  private final ClientConfig kafka;
  private final PlatformMetrics metrics;
  private final KafkaProducer<byte[], byte[]> producer;

  public ArtifactTopic(ClientConfig kafka, PlatformMetrics metrics) {
    this.kafka = kafka;
    this.metrics = metrics;
    this.producer = kafka.createProducer();
  }

  /** The partition of an artefact: from its SHA-256, the same for its chunks and manifest. */
  static int partition(String sha256, int partitions) {
    return Integer.parseUnsignedInt(sha256.substring(0, 7), 16) % partitions;
  }

  @Override
  public String describe() {
    return Topics.ARTIFACTS + " at " + kafka.bootstrapServers();
  }

  @Override
  public void publish(String sha256, Path file) {
    int part = partition(sha256, Topics.ARTIFACTS_PARTITIONS);
    List<String> chunkSha = new ArrayList<>();
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    long size = 0;
    try (InputStream in = Files.newInputStream(file)) {
      for (int i = 0; ; i++) {
        byte[] chunk = in.readNBytes(CHUNK_BYTES);
        if (chunk.length == 0 && i > 0) {
          break;
        }
        size += chunk.length;
        chunkSha.add(ArtifactStore.sha256(chunk));
        sent.add(producer.send(new ProducerRecord<>(Topics.ARTIFACTS, part,
            key(sha256 + "/" + i), chunk)));
        if (chunk.length < CHUNK_BYTES) {
          break;
        }
      }
      byte[] manifest = JSON.writeValueAsBytes(new Manifest(sha256, size, chunkSha.size(),
          chunkSha));
      sent.add(producer.send(new ProducerRecord<>(Topics.ARTIFACTS, part, key(sha256),
          manifest)));
      for (Future<RecordMetadata> f : sent) {
        f.get();
      }
      metrics.recordsProduced(Topics.ARTIFACTS, sent.size());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing artifact " + sha256, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot publish artifact " + sha256 + " to "
          + describe() + ": " + e.getCause(), e);
    }
  }

  /** Chunk indices a manifest may name: 4096 chunks of 512 KiB, artefacts up to 2 GiB. */
  static final int MAX_CHUNKS = 4096;

  /**
   * Two passes over the artefact's partition: the first notes where the latest manifest and
   * the latest record of each chunk are (offsets only), the second reads the chunks the
   * manifest names, in order, checks each and writes it to {@code dest}: one chunk in memory at
   * a time, whatever else the partition holds.
   */
  @Override
  public boolean fetch(String sha256, Path dest) {
    TopicPartition tp = new TopicPartition(Topics.ARTIFACTS,
        partition(sha256, Topics.ARTIFACTS_PARTITIONS));
    String prefix = sha256 + "/";
    byte[] manifest = null;
    Map<Integer, Long> chunkAt = new HashMap<>();
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    long read = 0;
    try (KafkaConsumer<byte[], byte[]> c = kafka.createConsumer(null)) {
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      while (c.position(tp) < end) {
        for (ConsumerRecord<byte[], byte[]> r : poll(c, sha256, deadline)) {
          read++;
          String k = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
          if (k.equals(sha256)) {
            manifest = r.value();
          } else if (k.startsWith(prefix)) {
            try {
              int i = Integer.parseInt(k.substring(prefix.length()));
              if (i >= 0 && i < MAX_CHUNKS) {
                chunkAt.put(i, r.offset());
              }
            } catch (NumberFormatException e) {
              // not a chunk key of ours: ignored
            }
          }
        }
      }
      if (manifest == null) {
        metrics.recordsConsumed(Topics.ARTIFACTS, read);
        return false;
      }
      Manifest m = manifest(sha256, manifest);
      java.util.ArrayDeque<ConsumerRecord<byte[], byte[]>> ahead = new java.util.ArrayDeque<>();
      c.seek(tp, chunkAt.values().stream().mapToLong(Long::longValue).min().orElse(end));
      long size = 0;
      try (OutputStream out = Files.newOutputStream(dest)) {
        for (int i = 0; i < m.chunks(); i++) {
          Long at = chunkAt.get(i);
          byte[] chunk = at == null ? null : recordAt(c, tp, ahead, at, sha256, deadline);
          read++;
          if (chunk == null) {
            throw new IllegalStateException("artifact " + sha256 + " on " + describe()
                + ": chunk " + (i + 1) + " of " + m.chunks() + " is missing");
          }
          String actual = ArtifactStore.sha256(chunk);
          if (!actual.equals(m.chunkSha256().get(i))) {
            throw new IllegalStateException("artifact " + sha256 + " on " + describe()
                + ": chunk " + (i + 1) + " of " + m.chunks() + " is corrupt (SHA-256 " + actual
                + ", the manifest says " + m.chunkSha256().get(i) + ")");
          }
          out.write(chunk);
          size += chunk.length;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + dest + ": " + e.getMessage(), e);
      }
      if (size != m.size()) {
        throw new IllegalStateException("artifact " + sha256 + " on " + describe() + ": "
            + size + " bytes, the manifest says " + m.size());
      }
    }
    metrics.recordsConsumed(Topics.ARTIFACTS, read);
    return true;
  }

  /** The manifest's JSON, checked to describe this artefact. */
  private Manifest manifest(String sha256, byte[] json) {
    Manifest m;
    try {
      m = JSON.readValue(json, Manifest.class);
    } catch (IOException e) {
      throw new IllegalStateException("artifact " + sha256 + " on " + describe()
          + ": unreadable manifest: " + e.getMessage().replaceAll("\\s+", " "));
    }
    if (!sha256.equals(m.sha256()) || m.chunks() < 1 || m.chunks() > MAX_CHUNKS
        || m.chunkSha256() == null || m.chunkSha256().size() != m.chunks()) {
      throw new IllegalStateException("artifact " + sha256 + " on " + describe()
          + ": its manifest does not describe it");
    }
    return m;
  }

  /**
   * The value of the record at {@code offset}, or null when compaction removed it since. Reads
   * on from the records a previous call fetched (chunks are read in order, most in one fetch)
   * and seeks only when the offset is behind them: memory stays one fetch's worth.
   */
  private byte[] recordAt(KafkaConsumer<byte[], byte[]> c, TopicPartition tp,
                          java.util.ArrayDeque<ConsumerRecord<byte[], byte[]>> ahead,
                          long offset, String sha256, long deadline) {
    while (!ahead.isEmpty() && ahead.peekFirst().offset() < offset) {
      ahead.removeFirst();
    }
    if (!ahead.isEmpty() ? ahead.peekFirst().offset() > offset : c.position(tp) > offset) {
      ahead.clear(); // behind what was read (a chunk written again later): read it again
      c.seek(tp, offset);
    }
    while (true) {
      if (!ahead.isEmpty()) {
        ConsumerRecord<byte[], byte[]> r = ahead.peekFirst();
        return r.offset() == offset ? ahead.removeFirst().value() : null;
      }
      for (ConsumerRecord<byte[], byte[]> r : poll(c, sha256, deadline)) {
        if (r.offset() >= offset) {
          ahead.addLast(r);
        }
      }
    }
  }

  private List<ConsumerRecord<byte[], byte[]>> poll(KafkaConsumer<byte[], byte[]> c,
                                                    String sha256, long deadline) {
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException("timed out reading artifact " + sha256 + " from "
          + describe());
    }
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    c.poll(Duration.ofMillis(200)).forEach(out::add);
    return out;
  }

  private static byte[] key(String k) {
    return k.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    producer.close();
  }
}
