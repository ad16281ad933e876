package org.reffakd.platform.pipeline;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.reffakd.nn.run.SoftLabelRecord;

/**
 * Where the similarity stage publishes soft-label records and the distillation stage reads
 * them back by key: the compacted topic {@code reffakd.softlabels} in the platform
 * ({@link SoftLabelTopic}); a map in tests that run the verticles without Kafka. Called on
 * worker threads; implementations are thread-safe.
 */
public interface SoftLabelStore {

  /** Publishes a record under its key; returns once it is durable. */
  void publish(SoftLabelRecord record);

  /** The latest record of a key; fails naming the key and where it looked. */
  SoftLabelRecord fetch(String key);

  /** A store in this JVM's memory (tests without a broker). */
  static SoftLabelStore inMemory() {
    Map<String, String> m = new ConcurrentHashMap<>();
    return new SoftLabelStore() {
      @Override
      public void publish(SoftLabelRecord r) {
        m.put(r.key(), r.toJson()); // serialised, as on the topic: no object is shared
      }

      @Override
      public SoftLabelRecord fetch(String key) {
        String json = m.get(key);
        if (json == null) {
          throw new IllegalArgumentException("no soft-label record " + key);
        }
        return SoftLabelRecord.fromJson(json);
      }
    };
  }
}
