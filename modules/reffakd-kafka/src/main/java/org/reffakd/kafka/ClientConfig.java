package org.reffakd.kafka;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka client settings for one cluster: the platform's defaults, then an optional client
 * properties file, then the bootstrap servers.
 *
 * <p>Why: the same verticles talk to the embedded broker and to an external cluster
 * ({@code --kafka host:port --kafka-config FILE}); SASL/TLS settings live in the file, while the
 * throughput settings below (large batches, no per-record overhead, idempotent producer, manual
 * commits) are what the ingest path needs. A key in the file overrides a default here; the
 * explicit bootstrap string overrides the file's {@code bootstrap.servers}.
 *
 * <p>Keys and values are raw bytes everywhere: decoding (and rejecting) them is the job of the
 * record codecs such as {@link SampleRecords}, so a foreign record never fails inside the client.
 */
public final class ClientConfig {

  private final String bootstrapServers;
  private final Properties fileProperties;

  private ClientConfig(String bootstrapServers, Properties fileProperties) {
    this.bootstrapServers = bootstrapServers;
    this.fileProperties = fileProperties;
  }

  /** Settings for {@code bootstrapServers} ({@code host:port[,host:port...]}). */
  public static ClientConfig of(String bootstrapServers) {
    return of(bootstrapServers, null);
  }

  /**
   * Settings for {@code bootstrapServers} with a client properties file merged in.
   *
   * @param bootstrapServers {@code host:port} list; may be null when the file names them
   * @param clientProperties a Java properties file (security.protocol, sasl.*, ssl.*, ...), or
   *                         null for none
   * @throws IllegalArgumentException when neither names the bootstrap servers
   * @throws UncheckedIOException     when the file cannot be read
   */
  public static ClientConfig of(String bootstrapServers, Path clientProperties) {
    Properties file = new Properties();
    if (clientProperties != null) {
      try (Reader r = Files.newBufferedReader(clientProperties, StandardCharsets.UTF_8)) {
        file.load(r);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read Kafka client properties " + clientProperties
            + ": " + e.getMessage(), e);
      }
    }
    String servers = bootstrapServers != null && !bootstrapServers.isBlank() ? bootstrapServers
        : file.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    if (servers == null || servers.isBlank()) {
      throw new IllegalArgumentException("no Kafka bootstrap servers: give --kafka host:port"
          + (clientProperties == null ? "" : " or bootstrap.servers in " + clientProperties));
    }
    return new ClientConfig(servers.trim(), file);
  }

  /** The bootstrap servers in effect. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Settings shared by every client: the file's keys and the bootstrap servers. */
  public Properties common() {
    Properties p = new Properties();
    p.putAll(fileProperties);
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return p;
  }

  /** Admin client settings. */
  public Properties admin() {
    return common();
  }

  /**
   * How long a producer keeps retrying a record before it fails: a broker restarted within this
   * time loses nothing. A client properties file may set {@code delivery.timeout.ms} itself.
   */
  public static final java.time.Duration DELIVERY_TIMEOUT = java.time.Duration.ofMinutes(2);

  /**
   * Producer settings: idempotent, {@code acks=all}, retried without limit for
   * {@link #DELIVERY_TIMEOUT} with at most 5 requests in flight (so the broker's sequence
   * numbers keep order and drop duplicates across retries and a broker restart), byte-array
   * serializers, 1 MB batches with a short linger, no compression (image bytes compress poorly
   * for the CPU they cost; measured slower than none on the embedded broker), requests up to
   * 16 MB.
   */
  public Properties producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.RETRIES_CONFIG, Integer.toString(Integer.MAX_VALUE));
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(DELIVERY_TIMEOUT.toMillis()));
    p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(1024 * 1024));
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(16 * 1024 * 1024));
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(64L * 1024 * 1024));
    p.put(ProducerConfig.SEND_BUFFER_CONFIG, Integer.toString(1024 * 1024));
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.putAll(common());
    return p;
  }

  /**
   * Consumer settings for {@code groupId}: manual commits (the caller commits after processing),
   * earliest reset, byte-array deserializers, fetches up to 16 MB per partition / 64 MB total,
   * long polls of at most 100 ms.
   */
  public Properties consumer(String groupId) {
    Properties p = new Properties();
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(16 * 1024 * 1024));
    p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(64 * 1024 * 1024));
    p.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, Integer.toString(1024 * 1024));
    // a caught-up consumer's long-polling fetch delays close() and any request queued behind
    // it on the same connection by up to this long (default 500 ms)
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.putAll(common());
    if (groupId != null) {
      p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    }
    return p;
  }

  /** How long the first contact with a cluster may take before it is called unreachable. */
  public static final java.time.Duration FIRST_CONTACT = java.time.Duration.ofSeconds(10);

  /**
   * Checks that the cluster answers within {@link #FIRST_CONTACT} (a file's
   * {@code request.timeout.ms} / {@code default.api.timeout.ms} override it).
   *
   * @throws IllegalStateException one line: {@code cannot reach Kafka at HOST:PORT: <reason>}
   */
  public void requireReachable() {
    Properties p = admin();
    String ms = Long.toString(FIRST_CONTACT.toMillis());
    p.putIfAbsent(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, ms);
    p.putIfAbsent(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
    try (Admin admin = Admin.create(p)) {
      admin.describeCluster().clusterId().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while contacting Kafka at "
          + bootstrapServers, e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot reach Kafka at " + bootstrapServers + ": "
          + shortReason(e, p.getProperty(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG)), e);
    }
  }

  private static String shortReason(Throwable e, String timeoutMs) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof org.apache.kafka.common.errors.TimeoutException) {
      return "no broker answered within " + timeoutMs + " ms";
    }
    if (root instanceof org.apache.kafka.common.config.ConfigException
        && String.valueOf(root.getMessage()).contains("resolvable")) {
      return "the host name does not resolve";
    }
    String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return m.length() > 200 ? m.substring(0, 200) + "..." : m;
  }

  /** A new Admin client; the caller closes it. */
  public Admin createAdmin() {
    return Admin.create(admin());
  }

  /** A new byte-array producer with {@link #producer()}; the caller closes it. */
  public KafkaProducer<byte[], byte[]> createProducer() {
    return new KafkaProducer<>(producer());
  }

  /** A new byte-array consumer with {@link #consumer(String)}; the caller closes it. */
  public KafkaConsumer<byte[], byte[]> createConsumer(String groupId) {
    return new KafkaConsumer<>(consumer(groupId));
  }

  @Override
  public String toString() {
    return "ClientConfig[" + bootstrapServers + (fileProperties.isEmpty() ? ""
        : ", " + fileProperties.size() + " keys from file") + "]";
  }
}
