package org.reffakd.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node KRaft Kafka broker (combined broker + controller) running inside this JVM.
 *
 * <p>Why: the default one-command mode must need no external infrastructure (no Docker, no
 * separate Kafka install), and the tests must exercise a real broker rather than a mock. The
 * node listens on free 127.0.0.1 ports only, keeps its logs under the given data directory and
 * is tuned for one node (replication factor 1, small log-cleaner buffer so the heap cost stays
 * around 30 MB, topic auto-creation off so every topic is created on purpose by {@link Topics}).
 *
 * <p>Start it with {@link #start(Path)}; it returns once an Admin client has seen the cluster.
 * Several instances may run at once (each on its own ports and node id), and a new one may be
 * started after an earlier one closed. A data directory formatted by an earlier run is reused:
 * its topics survive a restart.
 *
 * <p>{@link #start(Path, int, int)} binds given ports instead of free ones, and {@link #restart()}
 * stops a node and starts it again on the same data directory and the same ports, so a client's
 * {@code bootstrap.servers} stays valid across the restart (as with an external broker that is
 * restarted under its clients).
 */
public final class EmbeddedKafka implements AutoCloseable {

  /** How long {@link #start(Path)} waits for the node to answer by default. */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final String BROKER_LISTENER = "PLAINTEXT";
  /** Distinct node ids keep the per-node JMX/app-info names of concurrent nodes apart. */
  private static final AtomicInteger NEXT_NODE_ID = new AtomicInteger(1);
  private static final int BIND_ATTEMPTS = 3;
  private static final String FORMATTER_CLASS = "org.apache.kafka.metadata.storage.Formatter";

  /** How long a fixed port that is still held (a node just closed) is retried. */
  private static final Duration FIXED_PORT_WAIT = Duration.ofSeconds(10);

  private final Path dataDir;
  private final Path logDir;
  private final int nodeId;
  private final int brokerPort;
  private final int controllerPort;
  private final Duration timeout;
  private final Map<String, String> overrides;
  private final String bootstrapServers;
  private final KafkaRaftServer server;
  private final DirLock lock;
  private volatile boolean closed;

  private EmbeddedKafka(Path dataDir, Path logDir, int nodeId, int brokerPort,
                        int controllerPort, Duration timeout, Map<String, String> overrides,
                        KafkaRaftServer server, DirLock lock) {
    this.dataDir = dataDir;
    this.lock = lock;
    this.logDir = logDir;
    this.nodeId = nodeId;
    this.brokerPort = brokerPort;
    this.controllerPort = controllerPort;
    this.timeout = timeout;
    this.overrides = Map.copyOf(overrides);
    this.bootstrapServers = "127.0.0.1:" + brokerPort;
    this.server = server;
  }

  /** Starts a node with its logs under {@code dataDir}, waiting up to a minute for it. */
  public static EmbeddedKafka start(Path dataDir) {
    return start(dataDir, DEFAULT_START_TIMEOUT);
  }

  /**
   * Formats {@code dataDir} (unless an earlier run already did), starts the node and waits until
   * an Admin {@code describeCluster} call succeeds.
   *
   * @throws IllegalStateException when the node does not answer within {@code timeout} or fails
   *                               to start; the message names the data directory and ports
   */
  public static EmbeddedKafka start(Path dataDir, Duration timeout) {
    return start(dataDir, timeout, Map.of());
  }

  /**
   * As {@link #start(Path, Duration)} with broker settings that replace the defaults of this
   * class (e.g. {@code num.io.threads}); listeners, node id and log directory are fixed here.
   */
  public static EmbeddedKafka start(Path dataDir, Duration timeout,
                                    Map<String, String> overrides) {
    return start(dataDir, timeout, overrides, 0, 0);
  }

  /**
   * Starts a node on the given 127.0.0.1 ports (broker listener and KRaft controller), waiting
   * up to a minute for it. A port still held, e.g. by a node of this directory that just
   * closed, is retried for up to 10 s.
   *
   * @throws IllegalStateException when a port stays taken or the node does not answer
   */
  public static EmbeddedKafka start(Path dataDir, int brokerPort, int controllerPort) {
    if (brokerPort <= 0 || controllerPort <= 0 || brokerPort == controllerPort) {
      throw new IllegalArgumentException("two distinct ports needed, got broker " + brokerPort
          + " and controller " + controllerPort);
    }
    return start(dataDir, DEFAULT_START_TIMEOUT, Map.of(), brokerPort, controllerPort);
  }

  /**
   * Stops this node (when it still runs) and starts it again on the same data directory, ports
   * and settings: topics, offsets and producer state survive, and {@link #bootstrapServers()}
   * is unchanged.
   *
   * @return the new node; this object stays closed
   */
  public EmbeddedKafka restart() {
    close();
    return start(dataDir, timeout, overrides, brokerPort, controllerPort);
  }

  /** Ports 0 and 0: free ports, chosen anew on each of a few attempts. */
  private static EmbeddedKafka start(Path dataDir, Duration timeout,
                                     Map<String, String> overrides, int fixedBrokerPort,
                                     int fixedControllerPort) {
    Path dir = dataDir.toAbsolutePath().normalize();
    // one process per data directory, decided before any of the broker's files is touched: a
    // second broker on the same logs corrupts the first one's
    DirLock lock = DirLock.take(dir);
    try {
      return start(dir, lock, timeout, overrides, fixedBrokerPort, fixedControllerPort);
    } catch (RuntimeException | Error e) {
      lock.release();
      throw e;
    }
  }

  private static EmbeddedKafka start(Path dir, DirLock lock, Duration timeout,
                                     Map<String, String> overrides, int fixedBrokerPort,
                                     int fixedControllerPort) {
    Path logDir = dir.resolve("kraft-logs");
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create Kafka data directory " + logDir, e);
    }
    int nodeId = existingNodeId(logDir);
    if (nodeId < 0) {
      nodeId = NEXT_NODE_ID.getAndIncrement();
    }
    boolean fixed = fixedBrokerPort > 0;
    long fixedDeadline = System.nanoTime() + FIXED_PORT_WAIT.toNanos();
    IllegalStateException last = null;
    for (int attempt = 1; ; attempt++) {
      int brokerPort = fixed ? fixedBrokerPort : freePort();
      int controllerPort = fixed ? fixedControllerPort : freePort();
      while (controllerPort == brokerPort) {
        controllerPort = freePort();
      }
      Map<String, Object> props = config(nodeId, logDir, brokerPort, controllerPort);
      props.putAll(overrides);
      KafkaConfig config = new KafkaConfig(props, false);
      format(nodeId, logDir);
      String bootstrap = "127.0.0.1:" + brokerPort;
      KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
      try {
        server.startup();
      } catch (RuntimeException e) {
        stopQuietly(server);
        boolean retry = fixed ? System.nanoTime() < fixedDeadline : attempt < BIND_ATTEMPTS;
        if (hasCause(e, BindException.class) && retry) {
          last = new IllegalStateException("port taken while starting Kafka on " + bootstrap, e);
          if (fixed) {
            sleep(250);
          }
          continue;
        }
        if (hasCause(e, BindException.class) && last != null) {
          e.addSuppressed(last);
        }
        throw new IllegalStateException("embedded Kafka failed to start on " + bootstrap
            + " (controller port " + controllerPort + ", data directory " + logDir + "): "
            + e.getMessage(), e);
      }
      EmbeddedKafka kafka = new EmbeddedKafka(dir, logDir, nodeId, brokerPort, controllerPort,
          timeout, overrides, server, lock);
      try {
        kafka.awaitReady(timeout);
      } catch (RuntimeException e) {
        stopQuietly(server);
        kafka.closed = true;
        throw e;
      }
      return kafka;
    }
  }

  /** {@code host:port} of the broker listener, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The broker listener's port. */
  public int brokerPort() {
    return brokerPort;
  }

  /** The KRaft controller listener's port. */
  public int controllerPort() {
    return controllerPort;
  }

  /** The directory holding this node's metadata and topic logs. */
  public Path logDir() {
    return logDir;
  }

  /** This node's id (stable across restarts on the same data directory). */
  public int nodeId() {
    return nodeId;
  }

  /** Shuts the node down and waits for it; calling it again does nothing. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      stopQuietly(server);
    } finally {
      lock.release();
    }
  }

  /** The lock file of a data directory, held while its broker runs. */
  public static final String LOCK_FILE = "reffakd.lock";

  /**
   * An exclusive lock on {@code DIR/reffakd.lock} (holding this process's id, for the message
   * of the next one), taken before any broker file is touched and held until close.
   */
  static final class DirLock {
    private final java.nio.channels.FileChannel channel;
    private final java.nio.channels.FileLock lock;

    private DirLock(java.nio.channels.FileChannel channel, java.nio.channels.FileLock lock) {
      this.channel = channel;
      this.lock = lock;
    }

    static DirLock take(Path dir) {
      Path file = dir.resolve(LOCK_FILE);
      java.nio.channels.FileChannel ch = null;
      try {
        Files.createDirectories(dir);
        ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE);
        java.nio.channels.FileLock l;
        try {
          l = ch.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
          l = null;
        }
        if (l == null) {
          String holder = "";
          try {
            holder = Files.readString(file).strip();
          } catch (IOException | RuntimeException e) {
            // unreadable: the message goes without the process id
          }
          ch.close();
          throw new IllegalStateException("the embedded Kafka data directory " + dir + " is in "
              + "use by another reffakd process" + (holder.isEmpty() ? "" : " (pid " + holder
              + ")") + ": one process per runs folder; stop that one, or give this one another "
              + "folder (--runs, --runs-root, --out, --kafka-dir) or a cluster (--kafka)");
        }
        ch.truncate(0);
        ch.write(java.nio.ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid())
            .getBytes(java.nio.charset.StandardCharsets.UTF_8)), 0);
        return new DirLock(ch, l);
      } catch (IOException e) {
        if (ch != null) {
          try {
            ch.close();
          } catch (IOException ignored) {
            // already failing
          }
        }
        throw new UncheckedIOException("cannot lock Kafka data directory " + dir + ": "
            + e.getMessage(), e);
      }
    }

    void release() {
      try {
        if (lock.isValid()) {
          lock.release();
        }
        channel.close();
      } catch (IOException e) {
        // closing: nothing to do
      }
    }
  }

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    Exception lastError = null;
    try (Admin admin = Admin.create(p)) {
      while (System.nanoTime() < deadline) {
        long leftMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        try {
          var cluster = admin.describeCluster(
              new DescribeClusterOptions().timeoutMs((int) Math.min(leftMs, 10_000)));
          if (!cluster.nodes().get(leftMs, TimeUnit.MILLISECONDS).isEmpty()) {
            return;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for embedded Kafka", e);
        } catch (Exception e) {
          lastError = e;
        }
        sleep(50);
      }
    }
    throw new IllegalStateException("embedded Kafka at " + bootstrapServers + " (data directory "
        + logDir + ") did not answer describeCluster within " + timeout.toMillis() + " ms"
        + (lastError == null ? "" : "; last error: " + lastError), lastError);
  }

  private static Map<String, Object> config(int nodeId, Path logDir, int brokerPort,
                                            int controllerPort) {
    Map<String, Object> p = new HashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(nodeId));
    p.put("controller.quorum.voters", nodeId + "@127.0.0.1:" + controllerPort);
    p.put("listeners", BROKER_LISTENER + "://127.0.0.1:" + brokerPort + ","
        + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", BROKER_LISTENER + "://127.0.0.1:" + brokerPort);
    p.put("controller.listener.names", CONTROLLER_LISTENER);
    p.put("inter.broker.listener.name", BROKER_LISTENER);
    p.put("listener.security.protocol.map",
        BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    // one node: every internal topic has one replica
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("num.partitions", "1");
    // the cleaner's dedupe buffer defaults to 128 MB of heap; 4 MB is plenty for one node
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));
    p.put("auto.create.topics.enable", "false");
    p.put("group.initial.rebalance.delay.ms", "0");
    // image batch records are up to ~1 MB; leave room above the 1 MB default
    p.put("message.max.bytes", Integer.toString(16 * 1024 * 1024));
    // fewer threads than a production broker's defaults (3 network, 8 I/O, 10 background):
    // this node shares the machine with the training it feeds
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "4");
    p.put("background.threads", "4");
    p.put("log.cleaner.threads", "1");
    return p;
  }

  /**
   * Writes meta.properties and the bootstrap metadata, as {@code kafka-storage format} does.
   *
   * <p>Kafka's {@code Formatter} lives in kafka-metadata, which the kafka_2.13 POM declares with
   * runtime scope only; it is called reflectively so this module needs no extra compile-time
   * dependency. The class is always present at run time (the broker cannot start without it).
   */
  private static void format(int nodeId, Path logDir) {
    if (Files.exists(logDir.resolve("meta.properties"))) {
      return;
    }
    try {
      Class<?> type = Class.forName(FORMATTER_CLASS);
      Object f = type.getConstructor().newInstance();
      type.getMethod("setPrintStream", PrintStream.class)
          .invoke(f, new PrintStream(OutputStream.nullOutputStream()));
      type.getMethod("setNodeId", int.class).invoke(f, nodeId);
      type.getMethod("setClusterId", String.class).invoke(f, Uuid.randomUuid().toString());
      type.getMethod("setControllerListenerName", String.class).invoke(f, CONTROLLER_LISTENER);
      type.getMethod("setMetadataLogDirectory", String.class).invoke(f, logDir.toString());
      type.getMethod("addDirectory", String.class).invoke(f, logDir.toString());
      type.getMethod("setIgnoreFormatted", boolean.class).invoke(f, true);
      type.getMethod("run").invoke(f);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      throw new IllegalStateException("cannot format Kafka storage in " + logDir + ": "
          + cause.getMessage(), cause);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot format Kafka storage in " + logDir + ": "
          + FORMATTER_CLASS + " (kafka-metadata " + "4.1) is missing or changed: " + e, e);
    }
  }

  /** The node id recorded by an earlier format of this directory, or -1. */
  private static int existingNodeId(Path logDir) {
    Path meta = logDir.resolve("meta.properties");
    if (!Files.isRegularFile(meta)) {
      return -1;
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(meta)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + meta, e);
    }
    String id = p.getProperty("node.id");
    if (id == null) {
      throw new IllegalStateException(meta + " has no node.id; delete the directory to reformat");
    }
    int parsed = Integer.parseInt(id.trim());
    NEXT_NODE_ID.accumulateAndGet(parsed + 1, Math::max);
    return parsed;
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
    }
  }

  private static void stopQuietly(KafkaRaftServer server) {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      // shutting down after a failed start may throw; nothing more can be done
    }
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for embedded Kafka", e);
    }
  }

  @Override
  public String toString() {
    return "EmbeddedKafka[node " + nodeId + " at " + bootstrapServers + ", " + logDir + "]";
  }
}
