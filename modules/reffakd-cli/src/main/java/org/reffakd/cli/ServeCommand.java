package org.reffakd.cli;

import io.vertx.core.http.HttpServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.reffakd.dashboard.DashboardOptions;
import org.reffakd.dashboard.DashboardServer;
import org.reffakd.platform.Platform;
import org.reffakd.platform.pipeline.JobWorker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code reffakd serve}: the dashboard and /metrics over a runs folder, plus a worker. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Serve the web dashboard (runs, live curves, reconstructions, similarity "
        + "heat map, soft labels, comparison) and Prometheus metrics at /metrics over a runs "
        + "folder. With --kafka it also joins the workers on reffakd.jobs (see 'reffakd "
        + "submit') unless --no-worker. Stop with Ctrl-C."})
final class ServeCommand implements Callable<Integer> {

  @Mixin
  DashboardFlags web;
  @Option(names = "--runs", paramLabel = "DIR", defaultValue = "runs",
      description = "runs folder (default ${DEFAULT-VALUE})")
  Path runs;
  @Mixin
  KafkaOptions kafka;
  @Option(names = "--no-worker", description = "with --kafka: do not run requests from "
      + "reffakd.jobs")
  boolean noWorker;
  @Option(names = "--plugins", paramLabel = "DIR", description = "with the worker: folder of "
      + "loss plugin jars, repeatable (also searched: $REFFAKD_PLUGINS or ~/.reffakd/plugins); "
      + "a request's own plugin folders are ignored")
  java.util.List<Path> plugins = java.util.List.of();

  @Override
  public Integer call() throws InterruptedException {
    DashboardOptions opts = new DashboardOptions(web.host, web.port, runs, web.token());
    opts.validate();
    Platform p = Platform.start(kafka.options(runs.resolve("kafka"), runs.resolve("artifacts")));
    HttpServer server;
    try {
      server = DashboardServer.start(p, opts);
    } catch (RuntimeException e) {
      p.close();
      throw e;
    }
    System.out.printf("dashboard: http://%s:%d/  (metrics: /metrics)  runs folder: %s%n",
        web.host, server.actualPort(), runs.toAbsolutePath());
    if (!opts.loopback()) {
      System.out.println("dashboard: every request needs the token (Authorization: Bearer "
          + "TOKEN); in a browser open /login?token=TOKEN once");
    }
    JobWorker worker = null;
    if (kafka.bootstrap != null && !noWorker) {
      worker = new JobWorker(p.kafka(), p.pipeline(), runs, new ConsoleProgress(System.out),
          "serve").withMetrics(p.metrics()).withPlugins(plugins).start();
      System.out.println("worker: running requests from reffakd.jobs at " + kafka.bootstrap);
    }
    JobWorker w = worker;
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (w != null) {
        w.close();
      }
      p.close();
      stopped.countDown();
    }));
    stopped.await();
    return 0;
  }
}
