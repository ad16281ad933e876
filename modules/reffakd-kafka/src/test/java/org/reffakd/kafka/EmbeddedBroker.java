package org.reffakd.kafka;

import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's embedded broker: started before the class's tests (and its {@code @BeforeAll}
 * methods) with its data in the folder {@code dir} gives, closed after them. Declared as
 * {@code @RegisterExtension static final EmbeddedBroker broker = new EmbeddedBroker(() -> tmp);}
 * with {@code tmp} the class's static {@code @TempDir}, set before extensions start.
 */
public final class EmbeddedBroker implements BeforeAllCallback, AfterAllCallback {

  private final Supplier<Path> dir;
  private EmbeddedKafka kafka;
  private ClientConfig config;

  public EmbeddedBroker(Supplier<Path> dir) {
    this.dir = dir;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    kafka = EmbeddedKafka.start(dir.get());
    config = ClientConfig.of(kafka.bootstrapServers());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (kafka != null) {
      kafka.close();
    }
  }

  public EmbeddedKafka kafka() {
    return kafka;
  }

  /** Client settings for this broker. */
  public ClientConfig config() {
    return config;
  }
}
