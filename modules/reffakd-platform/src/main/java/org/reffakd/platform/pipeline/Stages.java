package org.reffakd.platform.pipeline;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.reffakd.nn.run.ReffakdRun;
import org.reffakd.nn.run.RunData;
import org.reffakd.nn.softlabel.SoftLabels;
import org.reffakd.nn.train.AutoencoderTrainer;
import org.reffakd.platform.bus.Addresses;

/** The four stage verticles of a run, in pipeline order. */
public final class Stages {

  private Stages() {}

  /** {@link Addresses#LOAD}: checks the run's loss and teacher, then loads its images. */
  public static final class Load extends StageVerticle {
    private final DataSource files;
    private final DataSource topic;

    public Load(RunRegistry runs, DataSource files, DataSource topic) {
      super(Addresses.LOAD, runs);
      this.files = files;
      this.topic = topic;
    }

    @Override
    protected JsonObject run(ReffakdRun run, JsonObject req) {
      run.prepare();
      boolean fromTopic = req.getBoolean("from_topic", false);
      DataSource src = fromTopic ? topic : files;
      if (src == null) {
        throw new IllegalStateException("no Kafka samples source configured");
      }
      long t = System.nanoTime();
      RunData data = src.load(run.config());
      run.useData(data, (System.nanoTime() - t) / 1e9);
      return new JsonObject().put("train", data.train().size()).put("test", data.test().size())
          .put("source", (fromTopic ? "topic " : "files ") + src.describe(run.config()));
    }
  }

  /** {@link Addresses#AUTOENCODER_TRAIN}. */
  public static final class Autoencoder extends StageVerticle {
    public Autoencoder(RunRegistry runs) {
      super(Addresses.AUTOENCODER_TRAIN, runs);
    }

    @Override
    protected JsonObject run(ReffakdRun run, JsonObject req) {
      AutoencoderTrainer.Result r = run.trainAutoencoder();
      return r == null ? new JsonObject().putNull("val_mse")
          : new JsonObject().put("val_mse", r.bestValMse()).put("epoch", r.bestEpoch());
    }

    @Override
    protected String eventAddress() {
      return Addresses.AUTOENCODER_TRAINED;
    }
  }

  /** {@link Addresses#SIMILARITY_COMPUTE}: soft labels, also sent to the soft-label topic. */
  public static final class Similarity extends StageVerticle {
    private final ResultSink sink;

    public Similarity(RunRegistry runs, ResultSink sink) {
      super(Addresses.SIMILARITY_COMPUTE, runs);
      this.sink = sink;
    }

    @Override
    protected JsonObject run(ReffakdRun run, JsonObject req) {
      SoftLabels s = run.computeSoftLabels();
      JsonObject out = new JsonObject()
          .put("dataset", run.config().dataset())
          .put("classes", new JsonArray(run.classNames()))
          .put("similarity", rows(s.similarityRows()))
          .put("soft_labels", rows(s.softRows()));
      sink.softLabels(run.config().dataset(), req.getString("run"), out);
      return out;
    }

    @Override
    protected String eventAddress() {
      return Addresses.SOFTLABELS_READY;
    }
  }

  /** {@link Addresses#DISTILL}: trains the student; the reply is the run's result. */
  public static final class Distillation extends StageVerticle {
    private final ResultSink sink;

    public Distillation(RunRegistry runs, ResultSink sink) {
      super(Addresses.DISTILL, runs);
      this.sink = sink;
    }

    @Override
    protected JsonObject run(ReffakdRun run, JsonObject req) {
      JsonObject result = JsonObject.mapFrom(run.distill());
      sink.result(req.getString("run"), result);
      return result;
    }
  }

  static JsonArray rows(double[][] m) {
    JsonArray a = new JsonArray();
    for (double[] r : m) {
      JsonArray row = new JsonArray();
      for (double v : r) {
        row.add(v);
      }
      a.add(row);
    }
    return a;
  }
}
