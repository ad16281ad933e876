package org.reffakd.cli;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.reffakd.nn.run.ReffakdRun;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.platform.Platform;
import org.reffakd.platform.web.DashboardOptions;

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
        Path root = runDir.toAbsolutePath().getParent();
        try {
          var server = p.startDashboard(new DashboardOptions(web.host, web.port, root,
              web.token()));
          System.out.printf("dashboard: http://%s:%d/#/run/%s  (metrics: /metrics)%n",
              web.host, server.actualPort(), runDir.getFileName());
        } catch (RuntimeException e) {
          // a busy port must not stop the training: say so and go on without the page
          System.out.println("dashboard not started: " + e.getMessage()
              + " (use --port, or --no-dashboard)");
        }
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
