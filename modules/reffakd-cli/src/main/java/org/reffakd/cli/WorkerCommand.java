package org.reffakd.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.reffakd.platform.Platform;
import org.reffakd.platform.pipeline.JobWorker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code reffakd worker}: a distillation worker in the reffakd-workers consumer group. */
@Command(name = "worker", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Join the consumer group reffakd-workers on the topic reffakd.jobs and run "
        + "the requests that 'reffakd submit' and 'reffakd study' publish (whole runs, or a "
        + "study's distillation jobs), one at a time; results go to reffakd.runs and run "
        + "folders under --runs-root. A study's jobs name their soft labels by key (read back "
        + "from reffakd.softlabels) and their encoder and teacher by SHA-256, fetched from "
        + "reffakd.artifacts into this worker's own --artifacts folder (a cache, verified): "
        + "a worker needs only --kafka. Start as many workers as you like, on as many "
        + "machines: while a worker trains, the jobs waiting in its partitions go to idle "
        + "workers; each request is done once (a worker keeps its running job's partition through "
        + "rebalances; only a worker that dies mid-job hands the job on, to be done again). A "
        + "request is untrusted input: its "
        + "id must be a plain name, its config is checked against the bounds of every field "
        + "before any work (else it goes to reffakd.deadletter), and it can name a loss but never "
        + "code: plugins come only from --plugins and $REFFAKD_PLUGINS (docs/security.md). "
        + "Stop with Ctrl-C."})
final class WorkerCommand implements Callable<Integer> {

  @Mixin
  KafkaOptions kafka;
  @Option(names = "--runs-root", paramLabel = "DIR", defaultValue = "runs",
      description = "where run folders go (default ${DEFAULT-VALUE})")
  Path runsRoot;
  @Option(names = "--name", defaultValue = "worker", description = "worker name for logs")
  String name;
  @Option(names = "--plugins", paramLabel = "DIR", description = "folder of loss plugin jars, "
      + "repeatable (also searched: $REFFAKD_PLUGINS or ~/.reffakd/plugins). The only places "
      + "this worker loads code from: a request's own plugin folders are ignored")
  java.util.List<Path> plugins = java.util.List.of();

  @Override
  public Integer call() throws InterruptedException {
    Platform p = Platform.start(kafka.options(runsRoot.resolve("kafka"),
        runsRoot.resolve("artifacts")));
    JobWorker w = new JobWorker(p.kafka(), p.pipeline(), runsRoot,
        new ConsoleProgress(System.out), name).withPlugins(plugins).start();
    System.out.println("worker " + name + " waiting for run requests on reffakd.jobs at "
        + p.kafka().bootstrapServers() + " (Ctrl-C stops)");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      w.close();
      p.close();
      stopped.countDown();
    }));
    stopped.await();
    return 0;
  }
}
