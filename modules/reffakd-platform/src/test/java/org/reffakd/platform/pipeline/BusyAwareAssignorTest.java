package org.reffakd.platform.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** No worker holds waiting jobs while it trains (issue 20): the assignment, member by member. */
class BusyAwareAssignorTest {

  private static Set<Integer> parts(List<TopicPartition> tps) {
    return tps.stream().map(TopicPartition::partition).collect(Collectors.toSet());
  }

  @Test
  void idleWorkersShareThePartitionsEvenly() {
    Map<String, List<TopicPartition>> a = BusyAwareAssignor.assign("jobs", 6,
        List.of("w1", "w2", "w3"), Map.of());
    assertEquals(Set.of(0, 3), parts(a.get("w1")));
    assertEquals(Set.of(1, 4), parts(a.get("w2")));
    assertEquals(Set.of(2, 5), parts(a.get("w3")));
  }

  @Test
  void aBusyWorkerKeepsOnlyItsRunningJobsPartition() {
    Map<String, List<TopicPartition>> a = BusyAwareAssignor.assign("jobs", 6,
        List.of("w1", "w2", "w3"), Map.of("w2", 4));
    assertEquals(Set.of(4), parts(a.get("w2")));
    assertEquals(Set.of(0, 2, 5), parts(a.get("w1")));
    assertEquals(Set.of(1, 3), parts(a.get("w3")));
    // all busy: each keeps its own, the waiting partitions are spread over all of them
    Map<String, List<TopicPartition>> all = BusyAwareAssignor.assign("jobs", 6,
        List.of("w1", "w2"), Map.of("w1", 0, "w2", 1));
    assertEquals(6, all.values().stream().mapToInt(List::size).sum());
    assertEquals(Set.of(0, 2, 4), parts(all.get("w1")));
    assertEquals(Set.of(1, 3, 5), parts(all.get("w2")));
  }

  @Test
  void theGroupAssignmentReadsEachMembersSubscription() {
    Node n = new Node(0, "h", 1);
    PartitionInfo[] ps = new PartitionInfo[6];
    for (int i = 0; i < 6; i++) {
      ps[i] = new PartitionInfo("jobs", i, n, new Node[] {n}, new Node[] {n});
    }
    Cluster cluster = new Cluster("c", List.of(n), List.of(ps), Set.of(), Set.of());
    ByteBuffer busy = ByteBuffer.allocate(4).putInt(0, 2);
    ByteBuffer idle = ByteBuffer.allocate(4).putInt(0, -1);
    ConsumerPartitionAssignor.GroupAssignment g = new BusyAwareAssignor().assign(cluster,
        new ConsumerPartitionAssignor.GroupSubscription(Map.of(
            "a", new ConsumerPartitionAssignor.Subscription(List.of("jobs"), busy),
            "b", new ConsumerPartitionAssignor.Subscription(List.of("jobs"), idle),
            "c", new ConsumerPartitionAssignor.Subscription(List.of("jobs"), null))));
    assertEquals(Set.of(2), parts(g.groupAssignment().get("a").partitions()));
    assertEquals(Set.of(0, 3, 5), parts(g.groupAssignment().get("b").partitions()));
    assertEquals(Set.of(1, 4), parts(g.groupAssignment().get("c").partitions()));
  }
}
