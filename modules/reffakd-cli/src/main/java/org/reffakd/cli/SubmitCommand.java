package org.reffakd.cli;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.kafka.ClientConfig;
import org.reffakd.platform.pipeline.Jobs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code reffakd submit}: publish a run request for the workers. */
@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Publish a run request (the run's config, as run --write-config writes it, "
        + "or built from the same options as run) to reffakd.jobs for the workers; with "
        + "--wait, wait for its result on reffakd.runs and print the accuracy.",
        "The request names a loss, never code: --plugins checks the loss here, but the "
            + "request carries no plugin folders; each worker loads plugins from its own "
            + "--plugins and $REFFAKD_PLUGINS. --run-id must be a plain name (letters, digits, "
            + "'.', '_', '+', '-')."})
final class SubmitCommand implements Callable<Integer> {

  @Mixin
  RunOptions options;
  @Option(names = "--kafka", paramLabel = "HOST:PORT", required = true,
      description = "bootstrap servers of the cluster the workers use")
  String bootstrap;
  @Option(names = "--kafka-config", paramLabel = "FILE", description = "Kafka client "
      + "properties (SASL/TLS)")
  java.nio.file.Path clientConfig;
  @Option(names = "--run-id", paramLabel = "ID", description = "run id (default: generated)")
  String runId;
  @Option(names = "--from-topic", description = "the worker trains from the dataset's samples "
      + "topic instead of reading files")
  boolean fromTopic;
  @Option(names = "--wait", description = "wait for the result (up to --timeout-min minutes)")
  boolean await;
  @Option(names = "--timeout-min", defaultValue = "120", description = "how long --wait waits")
  long timeoutMin;

  @Override
  public Integer call() {
    RunConfig cfg = options.resolve();
    ClientConfig kafka = ClientConfig.of(bootstrap, clientConfig);
    kafka.requireReachable(); // one line naming the address, within seconds
    String id = Jobs.submit(kafka, cfg, runId, fromTopic);
    System.out.println("submitted run " + id + " to reffakd.jobs on " + bootstrap);
    if (!await) {
      return 0;
    }
    JsonObject r = Jobs.awaitResult(kafka, id, Duration.ofMinutes(timeoutMin));
    if (r == null) {
      throw new IllegalStateException("no result for run " + id + " on reffakd.runs within "
          + timeoutMin + " minutes");
    }
    System.out.println("run " + id + " finished: test accuracy "
        + r.getJsonObject("test_accuracy").encode());
    return 0;
  }
}
