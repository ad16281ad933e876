import java.time.Duration;
import java.util.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Prints each key of a topic with how many records carry it. usage: CountKeys BOOTSTRAP TOPIC */
public class CountKeys {
  public static void main(String[] a) {
    Properties p = new Properties();
    p.put("bootstrap.servers", a[0]);
    p.put("key.deserializer", ByteArrayDeserializer.class.getName());
    p.put("value.deserializer", ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
      List<TopicPartition> tps = new ArrayList<>();
      c.partitionsFor(a[1]).forEach(i -> tps.add(new TopicPartition(a[1], i.partition())));
      c.assign(tps);
      c.seekToBeginning(tps);
      Map<TopicPartition, Long> end = c.endOffsets(tps);
      Map<String, Integer> n = new TreeMap<>();
      while (tps.stream().anyMatch(t -> c.position(t) < end.get(t))) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          n.merge(r.key() == null ? "(null)" : new String(r.key()), 1, Integer::sum);
        }
      }
      n.forEach((k, v) -> System.out.println(v + " " + k));
    }
  }
}
