package org.reffakd.kafka;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-process KRaft broker: starts, creates the platform topics with their settings, closes
 * cleanly (twice), restarts on its own data directory with its topics, and runs beside a second
 * broker.
 */
class EmbeddedKafkaTest {

  @TempDir
  Path tmp;

  @Test
  void startsCreatesTopicsClosesAndStartsAgain() throws Exception {
    List<String> names = new ArrayList<>(Topics.fixed());
    names.add(Topics.samples("fashion-mnist"));
    Path dir = tmp.resolve("first");
    EmbeddedKafka kafka = EmbeddedKafka.start(dir);
    try (Admin admin = ClientConfig.of(kafka.bootstrapServers()).createAdmin()) {
      assertTrue(kafka.bootstrapServers().startsWith("127.0.0.1:"), kafka.bootstrapServers());
      assertEquals(1, admin.describeCluster().nodes().get().size());

      Set<String> created = Topics.ensure(admin, names.toArray(String[]::new));
      assertEquals(Set.copyOf(names), created);
      assertEquals(Set.of(), Topics.ensure(admin, names.toArray(String[]::new)),
          "a second ensure creates nothing and does not fail");
      assertTrue(admin.listTopics().names().get().containsAll(names));

      Map<String, TopicDescription> d = admin.describeTopics(names).allTopicNames().get();
      assertEquals(1, d.get(Topics.samples("fashion-mnist")).partitions().size(),
          "one samples partition keeps batch order");
      assertEquals(Topics.JOBS_PARTITIONS, d.get(Topics.JOBS).partitions().size());

      assertEquals(TopicConfig.CLEANUP_POLICY_COMPACT,
          topicConfig(admin, Topics.SOFTLABELS).get(TopicConfig.CLEANUP_POLICY_CONFIG).value());
      assertEquals(TopicConfig.CLEANUP_POLICY_DELETE,
          topicConfig(admin, Topics.RUNS).get(TopicConfig.CLEANUP_POLICY_CONFIG).value());
      assertEquals("-1", topicConfig(admin, Topics.samples("fashion-mnist"))
          .get(TopicConfig.RETENTION_MS_CONFIG).value(), "samples are kept");
    }
    long t0 = System.nanoTime();
    kafka.close();
    long closeMs = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(closeMs < 10_000, "close took " + closeMs + " ms");
    assertDoesNotThrow(kafka::close, "close is idempotent");

    // the same data directory again: same node, topics kept
    try (EmbeddedKafka again = EmbeddedKafka.start(dir);
         Admin admin = ClientConfig.of(again.bootstrapServers()).createAdmin()) {
      assertEquals(kafka.nodeId(), again.nodeId());
      assertTrue(admin.listTopics().names().get().containsAll(names));
    }
  }

  @Test
  void twoBrokersAtOnceThenANewOne() throws Exception {
    try (EmbeddedKafka a = EmbeddedKafka.start(tmp.resolve("a"));
         EmbeddedKafka b = EmbeddedKafka.start(tmp.resolve("b"))) {
      assertNotEquals(a.bootstrapServers(), b.bootstrapServers());
      try (Admin admin = ClientConfig.of(a.bootstrapServers()).createAdmin()) {
        Topics.ensure(admin, Topics.RUNS);
      }
      try (Admin admin = ClientConfig.of(b.bootstrapServers()).createAdmin()) {
        assertTrue(!admin.listTopics().names().get().contains(Topics.RUNS),
            "the brokers are separate clusters");
      }
    }
    try (EmbeddedKafka c = EmbeddedKafka.start(tmp.resolve("c"));
         Admin admin = ClientConfig.of(c.bootstrapServers()).createAdmin()) {
      assertEquals(1, admin.describeCluster().nodes().get().size());
    }
  }

  private static Config topicConfig(Admin admin, String topic) throws Exception {
    ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin.describeConfigs(List.of(r)).all().get().get(r);
  }
}
