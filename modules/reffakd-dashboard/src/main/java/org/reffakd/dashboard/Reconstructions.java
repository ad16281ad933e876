package org.reffakd.dashboard;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.reffakd.nn.data.Datasets;
import org.reffakd.nn.data.ImageDataset;
import org.reffakd.backend.AutoencoderModel;
import org.reffakd.backend.ImageBatch;
import org.reffakd.nn.prep.Augmentation;
import org.reffakd.nn.prep.BatchAssembler;
import org.reffakd.nn.prep.Normalization;
import org.reffakd.nn.prep.PreparedImages;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.nn.train.AutoencoderTrainer;

/**
 * The autoencoder's reconstructions of a few test images of a run, next to the originals, as
 * PNG data URLs. The decoder ends in a sigmoid and is trained against the normalised input
 * (METHOD.md), so two pictures are given: the output mapped back to pixel values (what it
 * reconstructs) and the raw sigmoid output as intensity (what the decoder draws). The images are the first test image of each class (then the next ones), at
 * the run's resolution; the reconstruction is computed by the run's best autoencoder checkpoint
 * on the input normalised exactly as in training (train-split mean and std, computed in chunks
 * so memory stays small), and shown de-normalised. Work runs on a one-thread worker pool, never
 * on an event loop; results are cached per run until the checkpoint changes, the loaded test
 * images and statistics per dataset folder.
 */
final class Reconstructions {

  static final int MAX_IMAGES = 16;
  private static final int MAX_CACHED_RUNS = 32;

  private final WorkerExecutor worker;
  private final Map<String, Cached> results = Collections.synchronizedMap(lru(MAX_CACHED_RUNS));
  private final Map<String, DataView> data = Collections.synchronizedMap(lru(2));

  private record Cached(String signature, JsonObject json) {}

  /** Test images of a dataset folder with the training split's normalisation. */
  private record DataView(PreparedImages images, int[] indices, List<String> classNames,
                          Normalization norm) {}

  Reconstructions(Vertx vertx) {
    this.worker = vertx.createSharedWorkerExecutor("reffakd-dashboard-reconstructions", 1);
  }

  void close() {
    worker.close();
  }

  /** Reconstructions of {@code n} (1..{@value #MAX_IMAGES}) test images of run {@code id}. */
  Future<JsonObject> of(String id, Path dir, int n) {
    return worker.executeBlocking(() -> compute(id, dir, n), false);
  }

  JsonObject compute(String id, Path dir, int n) {
    Path ck = dir.resolve("checkpoints").resolve(AutoencoderTrainer.BEST);
    if (!Files.isRegularFile(ck)) {
      throw new ApiException(409, "run " + id + " has no trained autoencoder yet (no "
          + dir.relativize(ck) + ")");
    }
    String sig;
    try {
      sig = Files.getLastModifiedTime(ck).toMillis() + "/" + Files.size(ck) + "/" + n;
    } catch (IOException e) {
      throw new ApiException(409, "run " + id + ": cannot read " + ck + ": " + e.getMessage());
    }
    Cached c = results.get(id);
    if (c != null && c.signature().equals(sig)) {
      return c.json();
    }
    if (!Files.isRegularFile(dir.resolve("config.json"))) {
      throw new ApiException(409, "run " + id + " has no config.json");
    }
    RunConfig cfg;
    try {
      cfg = RunConfig.read(dir.resolve("config.json"));
    } catch (IllegalArgumentException e) {
      throw new ApiException(500, e.getMessage());
    }
    if (cfg.input().dir() == null || !Files.isDirectory(Path.of(cfg.input().dir()))) {
      throw new ApiException(409, "run " + id + ": its data folder " + cfg.input().dir()
          + " (config.json \"data\") is not there, so no test image can be shown");
    }
    DataView v = view(cfg);
    AutoencoderModel ae = cfg.backend().autoencoder(v.images().channels(), cfg.seed());
    AutoencoderTrainer.Selected header = AutoencoderTrainer.loadBest(ae, dir);
    int count = Math.min(n, v.images().count());
    int[] first = IntStream.range(0, count).toArray();
    PreparedImages imgs = v.images().subset(first);
    BatchAssembler ba = new BatchAssembler(imgs, v.norm(), Augmentation.NONE);
    int[] labels = new int[count];
    ImageBatch xb = ba.batch(first, 0, count, 0, 0, null, labels);
    float[] x = xb.data(); // CNHW, as the reconstruction
    float[] y = ae.reconstruct(xb);

    int ch = imgs.channels();
    int side = imgs.side();
    int plane = side * side;
    double[] mean = v.norm().mean();
    double[] std = v.norm().std();
    JsonArray out = new JsonArray();
    double total = 0;
    for (int b = 0; b < count; b++) {
      int bb = b;
      double se = 0;
      for (int k = 0; k < ch; k++) {
        int off = (k * count + b) * plane;
        for (int p = 0; p < plane; p++) {
          double d = y[off + p] - x[off + p];
          se += d * d;
        }
      }
      double mse = se / (ch * plane);
      total += mse;
      float[] img = imgs.image(b);
      String original = png(ch, side, (k, p) -> img[k * plane + p]);
      String recon = png(ch, side, (k, p) ->
          (float) (y[(k * count + bb) * plane + p] * std[k] + mean[k]));
      String raw = png(ch, side, (k, p) -> y[(k * count + bb) * plane + p]);
      out.add(new JsonObject().put("index", v.indices()[b]).put("label", labels[b])
          .put("class", v.classNames().get(labels[b])).put("mse", mse)
          .put("original", original).put("reconstruction", recon).put("decoder_output", raw));
    }
    JsonObject json = Json.finite(new JsonObject().put("run", id).put("dataset", cfg.dataset())
        .put("split", "test").put("side", side).put("channels", ch)
        .put("checkpoint", new JsonObject().put("epoch", header.epoch())
            .put("val_mse", header.valMse()))
        .put("mse", count == 0 ? null : total / count)
        .put("note", "MSE against the normalised input, as in training; 'reconstruction' is"
            + " the decoder output mapped back to pixels (x std + mean), 'decoder_output' the"
            + " sigmoid output itself as intensity")
        .put("images", out));
    results.put(id, new Cached(sig, json));
    return json;
  }

  private DataView view(RunConfig cfg) {
    String key = cfg.dataset() + "|" + Path.of(cfg.input().dir()).toAbsolutePath() + "|"
        + cfg.input().imageSize();
    DataView v = data.get(key);
    if (v != null) {
      return v;
    }
    Path dir = Path.of(cfg.input().dir());
    ImageDataset test = Datasets.load(cfg.dataset(), dir,
        org.reffakd.nn.run.Splits.testSplit(cfg.dataset()));
    int[] pick = pick(test.labels(), test.numClasses(), MAX_IMAGES);
    PreparedImages imgs = PreparedImages.of(test.subset(pick, "test"), cfg.input().imageSize());
    ImageDataset train = Datasets.load(cfg.dataset(), dir, "train");
    v = new DataView(imgs, pick, test.classNames(), statistics(train, cfg.input().imageSize()));
    data.put(key, v);
    return v;
  }

  /** The first image of each class in class order, then the following images, up to max. */
  static int[] pick(int[] labels, int classes, int max) {
    List<Integer> out = new ArrayList<>();
    for (int c = 0; c < classes && out.size() < max; c++) {
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] == c) {
          out.add(i);
          break;
        }
      }
    }
    for (int i = 0; i < labels.length && out.size() < max; i++) {
      if (!out.contains(i)) {
        out.add(i);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The train split's per-channel mean and std, as the run computed them. */
  static Normalization statistics(ImageDataset train, int side) {
    return PreparedImages.of(train, side).statistics().safe(); // as RunData: constant -> std 1
  }


  private interface Pixel {
    float at(int channel, int p);
  }

  private static String png(int channels, int side, Pixel px) {
    BufferedImage img = new BufferedImage(side, side, channels == 3
        ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
    for (int yy = 0; yy < side; yy++) {
      for (int xx = 0; xx < side; xx++) {
        int p = yy * side + xx;
        if (channels == 3) {
          img.setRGB(xx, yy, (byte255(px.at(0, p)) << 16) | (byte255(px.at(1, p)) << 8)
              | byte255(px.at(2, p)));
        } else {
          img.getRaster().setSample(xx, yy, 0, byte255(px.at(0, p)));
        }
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(bytes.toByteArray());
  }

  private static int byte255(float v) {
    return Math.max(0, Math.min(255, Math.round(v * 255f)));
  }

  private static <K, V> Map<K, V> lru(int max) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> e) {
        return size() > max;
      }
    };
  }
}
