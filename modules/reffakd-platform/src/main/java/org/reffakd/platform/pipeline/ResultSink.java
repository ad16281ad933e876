package org.reffakd.platform.pipeline;

import io.vertx.core.json.JsonObject;

/**
 * Where finished results go besides the run directory: the Kafka topic
 * {@code reffakd.runs} in the platform, nothing in tests that
 * do not need Kafka. Called on worker threads; implementations must be thread-safe.
 */
public interface ResultSink {

  /** A run's result.json object. */
  void result(String run, JsonObject result);

  ResultSink NONE = new ResultSink() {
    @Override
    public void result(String run, JsonObject r) {}
  };
}
