package org.reffakd.platform.pipeline;

import java.util.Objects;
import org.reffakd.nn.run.ArtifactStore;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.nn.run.RunData;

/**
 * What the stage verticles of one JVM use to turn references into inputs: the data sources
 * (files, or the samples topic), the artefact store (encoder and teacher checkpoints by
 * SHA-256), the soft-label store (the {@code reffakd.softlabels} topic) and where results go.
 * Nothing here holds a run's state: a stage gets everything from its request.
 *
 * <p>The last data set loaded is kept (one entry, keyed by its source and resolution; a topic
 * source also by the topic's end offset, so a re-ingest is seen), because the stages of a run
 * and the jobs of a study load the same images again and again.
 */
public final class StageServices {

  private final DataSource files;
  private final DataSource topic;
  private final ArtifactStore artifacts;
  private final SoftLabelStore softLabels;
  private final ResultSink results;
  private String cachedKey;
  private RunData cached;

  public StageServices(DataSource files, DataSource topic, ArtifactStore artifacts,
                       SoftLabelStore softLabels, ResultSink results) {
    this.files = files;
    this.topic = topic;
    this.artifacts = artifacts;
    this.softLabels = softLabels;
    this.results = results;
  }

  public ArtifactStore artifacts() {
    return artifacts;
  }

  public SoftLabelStore softLabels() {
    return softLabels;
  }

  public ResultSink results() {
    return results;
  }

  /** The run's data from its files or its samples topic (blocking). */
  public synchronized RunData data(RunConfig cfg, boolean fromTopic) {
    DataSource src = fromTopic ? topic : files;
    if (src == null) {
      throw new IllegalStateException("no Kafka samples source configured");
    }
    String key = (fromTopic ? "topic:" : "files:") + src.version(cfg) + "|" + cfg.dataset() + "|"
        + cfg.input().dir() + "|" + cfg.input().imageSize();
    if (!Objects.equals(key, cachedKey)) {
      cached = null; // let the old images go before the new ones are read
      cachedKey = null;
      cached = src.load(cfg);
      cachedKey = key;
    }
    return cached;
  }
}
