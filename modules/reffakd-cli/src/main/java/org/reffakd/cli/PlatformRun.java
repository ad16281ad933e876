package org.reffakd.cli;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.reffakd.nn.run.ReffakdRun;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.platform.Platform;

/** A run through the platform: broker (embedded or external), ingest, the stage verticles. */
final class PlatformRun {

  private PlatformRun() {}

  static Map<String, Object> run(RunConfig cfg, Path runDir, KafkaOptions kafka,
                                 boolean fromTopic, DashboardFlags web, boolean dashboard) {
    long t0 = System.nanoTime();
    try (Platform p = Platform.start(kafka.options(runDir.resolve("kafka"),
        ReffakdRun.defaultStore(runDir).root()))) {
      System.out.printf("platform: Kafka %s (%s), ready in %.1fs%n",
          p.kafka().bootstrapServers(), kafka.bootstrap == null ? "embedded" : "external",
          (System.nanoTime() - t0) / 1e9);
      if (dashboard) {
        web.start(p, runDir.toAbsolutePath().getParent(), "#/run/" + runDir.getFileName());
      }
      if (!fromTopic) {
        JsonObject in = p.ingest(cfg.dataset(), Path.of(cfg.data()));
        System.out.printf("ingest: %d images to %s in %.2fs (%.0f images/s)%n",
            in.getLong("images"), in.getString("topic"), in.getDouble("seconds"),
            in.getDouble("images_per_s"));
      }
      String id = runDir.getFileName().toString();
      JsonObject result = p.run(id, cfg, runDir, true, new ConsoleProgress(System.out));
      @SuppressWarnings("unchecked")
      Map<String, Object> map = result.mapTo(Map.class);
      return map;
    }
  }
}
