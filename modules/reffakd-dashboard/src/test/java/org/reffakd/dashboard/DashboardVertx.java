package org.reffakd.dashboard;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.reffakd.platform.metrics.PlatformMetrics;

/**
 * A test class's Vert.x with the platform's meters (Prometheus registry), which its dashboards
 * run on: started before the class's tests (and its {@code @BeforeAll} methods), closed after
 * them. Declared as {@code @RegisterExtension static final DashboardVertx web = ...}.
 */
final class DashboardVertx implements BeforeAllCallback, AfterAllCallback {

  private PlatformMetrics metrics;
  private Vertx vertx;

  @Override
  public void beforeAll(ExtensionContext context) {
    metrics = new PlatformMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    vertx = metrics.newVertx(new VertxOptions());
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (vertx != null) {
      DashboardServerTest.await(vertx.close());
    }
    if (metrics != null) {
      metrics.close();
    }
  }

  Vertx vertx() {
    return vertx;
  }

  PlatformMetrics metrics() {
    return metrics;
  }

  /** {@link DashboardServer#start(Vertx, DashboardOptions, PlatformMetrics)} here. */
  Future<HttpServer> start(DashboardOptions options) {
    return DashboardServer.start(vertx, options, metrics);
  }

  /** A dashboard with the rules of {@code options.host()}, bound to {@code bindHost}. */
  Future<HttpServer> start(DashboardOptions options, String bindHost) {
    return DashboardServer.start(vertx, options, metrics, bindHost);
  }
}
