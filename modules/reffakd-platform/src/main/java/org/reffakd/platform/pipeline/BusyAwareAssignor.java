package org.reffakd.platform.pipeline;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.TopicPartition;

/**
 * The workers' partition assignment on {@code reffakd.jobs}: no worker holds waiting jobs while
 * it trains. A worker that takes a job says so (its subscription carries the partition of the
 * job it runs) and asks for a rebalance; this assignor then leaves a busy worker only the
 * partition of its running job (its offset is committed when the job ends, so a worker killed
 * mid-job hands the job on) and spreads every other partition over the idle workers. When the
 * job ends the worker says it is idle and asks again, and gets its share back. With no idle
 * worker the partitions are spread over all (paused by their busy holders until one is free).
 *
 * <p>A worker's state reaches its consumer's assignor through {@link #TOKEN} (the assignor is
 * built by the consumer from its class name). Listed before Kafka's range assignor, so a group
 * that also holds workers of a release without it falls back to range assignment.
 */
public final class BusyAwareAssignor implements ConsumerPartitionAssignor, Configurable {

  /** Consumer property naming the worker whose state this assignor reports. */
  public static final String TOKEN = "reffakd.worker.token";

  /** The partition each worker runs a job from (-1: idle), by token. */
  private static final Map<String, AtomicInteger> STATES = new ConcurrentHashMap<>();

  private AtomicInteger state = new AtomicInteger(-1);

  /** The state of the worker of {@code token} (registered once, then shared). */
  public static AtomicInteger state(String token) {
    return STATES.computeIfAbsent(token, t -> new AtomicInteger(-1));
  }

  /** Forgets a worker's state (the worker closed). */
  public static void forget(String token) {
    STATES.remove(token);
  }

  @Override
  public void configure(Map<String, ?> configs) {
    Object t = configs.get(TOKEN);
    if (t != null) {
      state = state(t.toString());
    }
  }

  @Override
  public String name() {
    return "reffakd-busy-aware";
  }

  @Override
  public ByteBuffer subscriptionUserData(Set<String> topics) {
    ByteBuffer b = ByteBuffer.allocate(4);
    b.putInt(state.get());
    b.flip();
    return b;
  }

  @Override
  public GroupAssignment assign(Cluster metadata, GroupSubscription group) {
    Map<String, Subscription> members = new TreeMap<>(group.groupSubscription());
    Map<String, List<TopicPartition>> out = new HashMap<>();
    members.keySet().forEach(m -> out.put(m, new ArrayList<>()));
    Set<String> topics = new java.util.TreeSet<>();
    members.values().forEach(s -> topics.addAll(s.topics()));
    for (String topic : topics) {
      Integer count = metadata.partitionCountForTopic(topic);
      if (count == null) {
        continue;
      }
      List<String> subscribed = members.entrySet().stream()
          .filter(e -> e.getValue().topics().contains(topic)).map(Map.Entry::getKey).toList();
      Map<String, Integer> busy = new HashMap<>();
      for (String m : subscribed) {
        int p = busyPartition(members.get(m));
        if (p >= 0 && p < count && !busy.containsValue(p)) {
          busy.put(m, p);
        }
      }
      assign(topic, count, subscribed, busy).forEach((m, parts) -> out.get(m).addAll(parts));
    }
    Map<String, Assignment> assignments = new HashMap<>();
    out.forEach((m, parts) -> assignments.put(m, new Assignment(parts)));
    return new GroupAssignment(assignments);
  }

  /**
   * One topic's partitions: each busy member keeps its running job's partition only; the rest
   * go round-robin to the idle members, or to every member when none is idle.
   */
  static Map<String, List<TopicPartition>> assign(String topic, int count,
                                                  List<String> members,
                                                  Map<String, Integer> busy) {
    Map<String, List<TopicPartition>> out = new TreeMap<>();
    members.forEach(m -> out.put(m, new ArrayList<>()));
    busy.forEach((m, p) -> out.get(m).add(new TopicPartition(topic, p)));
    List<String> takers = members.stream().filter(m -> !busy.containsKey(m)).toList();
    if (takers.isEmpty()) {
      takers = members;
    }
    int next = 0;
    for (int p = 0; p < count; p++) {
      if (busy.containsValue(p) || takers.isEmpty()) {
        continue;
      }
      out.get(takers.get(next++ % takers.size())).add(new TopicPartition(topic, p));
    }
    return out;
  }

  private static int busyPartition(Subscription s) {
    ByteBuffer b = s.userData();
    if (b == null || b.remaining() < 4) {
      return -1; // a member that does not say: idle
    }
    return b.duplicate().getInt();
  }
}
