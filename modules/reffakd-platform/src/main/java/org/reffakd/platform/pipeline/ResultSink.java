package org.reffakd.platform.pipeline;

import io.vertx.core.json.JsonObject;

/**
 * Where finished artefacts go besides the run directory: the Kafka topics
 * {@code reffakd.softlabels} and {@code reffakd.runs} in the platform, nothing in tests that
 * do not need Kafka. Called on worker threads; implementations must be thread-safe.
 */
public interface ResultSink {

  /** A run's soft labels: {dataset, run, classes, similarity, soft_labels, provenance...}. */
  void softLabels(String dataset, String run, JsonObject softLabels);

  /** A run's result.json object. */
  void result(String run, JsonObject result);

  ResultSink NONE = new ResultSink() {
    @Override
    public void softLabels(String dataset, String run, JsonObject s) {}

    @Override
    public void result(String run, JsonObject r) {}
  };
}
