package org.reffakd.cli;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.reffakd.backend.Backends;
import org.reffakd.backend.Classifier;
import org.reffakd.backend.ImageBatch;
import org.reffakd.dl4j.Dl4jImport;
import org.reffakd.nn.data.Datasets;
import org.reffakd.nn.data.ImageDataset;
import org.reffakd.nn.prep.PreparedImages;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.nn.run.Splits;
import org.reffakd.nn.run.Teachers;
import org.reffakd.onnx.OnnxModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code reffakd predict}: classify image files, or score a dataset's test split. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Classify images with a model: a run or teacher folder (its last epoch, in the java "
            + "engine), an .onnx file (ONNX Runtime) or a Deeplearning4j zip from "
            + "'reffakd export' (the dl4j engine).",
        "IMAGE files (PNG/JPEG, any size, grey or colour; a grey image feeds a colour model "
            + "on every channel) are resized to the model's input as the runs did (bilinear, "
            + "half-pixel centres) and scaled to [0,1]; each gets one line with its top-3 "
            + "classes and their probabilities.",
        "With --dataset, the model classifies the dataset's test split and prints "
            + "'accuracy 0.xxxx' and the images per second."})
final class PredictCommand implements Callable<Integer> {

  /** Largest image file read (bytes), and largest decoded image (pixels). */
  static final long MAX_IMAGE_BYTES = 64L << 20;
  static final long MAX_IMAGE_PIXELS = 1L << 26;

  @Parameters(index = "0", paramLabel = "MODEL", description = "a run folder, FILE.onnx or "
      + "FILE.zip")
  Path model;

  @Parameters(index = "1..*", paramLabel = "IMAGE", description = "image files")
  List<Path> images = new java.util.ArrayList<>();
  @Option(names = "--dataset", paramLabel = "NAME", description = "score the test split of "
      + "this dataset instead (fashion-mnist, cifar10, ...)")
  String dataset;

  @Option(names = "--data", paramLabel = "DIR", description = "the dataset folder (default: "
      + "where that dataset is installed)")
  String data;
  @Option(names = "--limit", paramLabel = "N", description = "score only the first N test "
      + "images")
  Integer limit;
  @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "compute "
      + "threads (default ${DEFAULT-VALUE})")
  int threads;

  /** One model, whatever its file: NCHW pixels in [0, 1] to logits. */
  private interface Scorer extends AutoCloseable {
    int channels();

    int side();

    int classes();

    List<String> classNames();

    float[] logits(float[] pixels, int n);

    @Override
    void close();
  }

  @Override
  public Integer call() throws Exception {
    if (limit != null && limit < 1) {
      throw new IllegalArgumentException("--limit must be at least 1, got " + limit);
    }
    if ((dataset == null) == images.isEmpty()) {
      throw new IllegalArgumentException("predict takes image files or --dataset NAME (one of "
          + "the two)");
    }
    if (dataset == null && (limit != null || data != null)) {
      throw new IllegalArgumentException("--limit and --data go with --dataset");
    }
    try (Scorer s = open(model)) {
      if (dataset != null) {
        return scoreDataset(s);
      }
      if (s.classNames().isEmpty()) {
        throw new IllegalArgumentException(model + ": the model has no class names (a DL4J zip "
            + "or an ONNX file from elsewhere): score it with --dataset NAME instead");
      }
      for (Path img : images) {
        float[] px = read(img, s.channels(), s.side());
        float[] z = s.logits(px, 1);
        double[] p = softmax(z, s.classes());
        Integer[] order = IntStream.range(0, p.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
        StringBuilder line = new StringBuilder(img.toString()).append(':');
        for (int k = 0; k < Math.min(3, p.length); k++) {
          line.append(String.format("  %s %.4f", s.classNames().get(order[k]), p[order[k]]));
        }
        System.out.println(line);
      }
      return 0;
    }
  }

  private int scoreDataset(Scorer s) {
    String name = this.dataset;
    ImageDataset test = Datasets.load(name, DataLocation.resolve(name, data),
        Splits.testSplit(name));
    if (test.numClasses() != s.classes()) {
      throw new IllegalArgumentException(model + ": " + s.classes() + " classes, " + name
          + " has " + test.numClasses());
    }
    if (test.channels() != s.channels()) {
      throw new IllegalArgumentException(model + ": takes " + s.channels() + "-channel images, "
          + name + " has " + test.channels());
    }
    if (limit != null && limit < test.size()) {
      test = test.subset(IntStream.range(0, limit).toArray(), test.split());
    }
    PreparedImages p = PreparedImages.of(test, s.side());
    int per = p.imageSize();
    long hits = 0;
    long t0 = System.nanoTime();
    for (int from = 0; from < p.count(); from += 256) {
      int m = Math.min(256, p.count() - from);
      float[] z = s.logits(p.images(from, m), m);
      for (int i = 0; i < m; i++) {
        hits += OnnxModel.argmax(z, i * s.classes(), s.classes()) == p.labels()[from + i] ? 1 : 0;
      }
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf("accuracy %.4f (%d of %d %s test images), %.0f images/s on %d thread%s%n",
        (double) hits / p.count(), hits, p.count(), name, p.count() / secs, threads,
        threads == 1 ? "" : "s");
    return 0;
  }

  private Scorer open(Path file) throws Exception {
    if (Files.isDirectory(file)) {
      return classifierScorer(file);
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(file + ": no such model file or run folder");
    }
    if (file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx")) {
      OnnxModel m = OnnxModel.open(file, threads);
      if (m.channels() < 1 || m.side() < 1) {
        m.close();
        throw new IllegalArgumentException(file + ": the model's input size is not fixed "
            + "(expected [N, C, S, S])");
      }
      int classes = m.logits(new float[m.channels() * m.side() * m.side()], 1).length;
      return new Scorer() {
        public int channels() {
          return m.channels();
        }

        public int side() {
          return m.side();
        }

        public int classes() {
          return classes;
        }

        public List<String> classNames() {
          return m.classNames().size() == classes ? m.classNames() : List.of();
        }

        public float[] logits(float[] pixels, int n) {
          return m.logits(pixels, n);
        }

        public void close() {
          m.close();
        }
      };
    }
    Dl4jImport.Sidecar sc = Dl4jImport.sidecar(file.toFile());
    if (sc == null || sc.mean() == null) {
      throw new IllegalArgumentException(file + ": a model zip without reffakd-model.json "
          + "(its input size and normalisation are unknown); export it with 'reffakd export'");
    }
    Classifier c = Backends.open(file);
    return normalising(c, sc.channels(), sc.side(), sc.mean(), sc.std(), List.of());
  }

  private Scorer classifierScorer(Path dir) throws Exception {
    RunModel rm = RunModel.read(dir);
    List<String> names = List.of();
    for (String f : new String[] {"result.json", Teachers.DESCRIPTOR}) {
      Path p = dir.resolve(f);
      if (names.isEmpty() && Files.isRegularFile(p)) {
        com.fasterxml.jackson.databind.JsonNode classes = RunConfig.JSON.readTree(p.toFile())
            .path("classes");
        if (classes.isArray()) {
          List<String> read = new java.util.ArrayList<>();
          classes.forEach(c -> read.add(c.asText()));
          names = read;
        }
      }
    }
    Backends.get("java").threads(threads);
    return normalising(rm.open(), rm.channels(), rm.size(), rm.mean(), rm.std(), names);
  }

  /** A classifier fed as the runs fed it: (x - mean) * (1 / std), channel-major. */
  private static Scorer normalising(Classifier c, int channels, int side, float[] mean,
                                    float[] std, List<String> names) {
    return new Scorer() {
      public int channels() {
        return channels;
      }

      public int side() {
        return side;
      }

      public int classes() {
        return c.classes();
      }

      public List<String> classNames() {
        return names.size() == c.classes() ? names : List.of();
      }

      public float[] logits(float[] pixels, int n) {
        int plane = side * side;
        float[] x = new float[n * channels * plane];
        for (int i = 0; i < n; i++) {
          for (int ch = 0; ch < channels; ch++) {
            float inv = (float) (1.0 / std[ch]);
            int off = (i * channels + ch) * plane;
            for (int q = 0; q < plane; q++) {
              x[off + q] = (pixels[off + q] - mean[ch]) * inv;
            }
          }
        }
        float[] z = c.forward(new ImageBatch(x, ImageBatch.Layout.NCHW, n, channels, side,
            side).to(c.engine().equals("java") ? ImageBatch.Layout.CNHW
            : ImageBatch.Layout.NCHW), false);
        return Arrays.copyOf(z, n * c.classes());
      }

      public void close() {
        c.close();
      }
    };
  }

  /**
   * An image file as [0, 1] pixels of the model's channels and side, resized as the runs do
   * (through the same {@link PreparedImages} path). A grey image feeds every channel of a
   * colour model; a colour image (channels not all equal) is refused by a grey model.
   */
  static float[] read(Path file, int channels, int side) throws Exception {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(file + ": no such image file");
    }
    if (Files.size(file) > MAX_IMAGE_BYTES) {
      throw new IllegalArgumentException(file + ": larger than " + MAX_IMAGE_BYTES + " bytes");
    }
    BufferedImage img;
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new IllegalArgumentException(file + ": not a PNG or JPEG image");
      }
      ImageReader r = readers.next();
      try {
        r.setInput(in, true, true);
        if ((long) r.getWidth(0) * r.getHeight(0) > MAX_IMAGE_PIXELS) {
          throw new IllegalArgumentException(file + ": " + r.getWidth(0) + "x" + r.getHeight(0)
              + " pixels, more than " + MAX_IMAGE_PIXELS);
        }
        img = r.read(0);
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException(file + ": cannot decode the image ("
            + e.getMessage() + ")");
      } finally {
        r.dispose();
      }
    }
    int w = img.getWidth();
    int h = img.getHeight();
    byte[] rgb = new byte[3 * w * h];
    boolean grey = true;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int argb = img.getRGB(x, y);
        int r = (argb >> 16) & 0xff;
        int g = (argb >> 8) & 0xff;
        int b = argb & 0xff;
        grey &= r == g && g == b;
        rgb[y * w + x] = (byte) r;
        rgb[w * h + y * w + x] = (byte) g;
        rgb[2 * w * h + y * w + x] = (byte) b;
      }
    }
    byte[] px;
    if (channels == 1) {
      if (!grey) {
        throw new IllegalArgumentException(file + ": a colour image, the model takes grey "
            + "(1-channel) images");
      }
      px = Arrays.copyOf(rgb, w * h);
    } else if (channels == 3) {
      px = rgb;
    } else {
      throw new IllegalArgumentException(model(channels));
    }
    ImageDataset one = new ImageDataset("image", "predict", channels, h, w, px, new int[] {0},
        List.of("?"), "");
    return PreparedImages.of(one, side).image(0);
  }

  private static String model(int channels) {
    return "the model takes " + channels + "-channel images; image files give 1 or 3";
  }

  static double[] softmax(float[] z, int k) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < k; j++) {
      max = Math.max(max, z[j]);
    }
    double[] p = new double[k];
    double sum = 0;
    for (int j = 0; j < k; j++) {
      p[j] = Math.exp(z[j] - max);
      sum += p[j];
    }
    for (int j = 0; j < k; j++) {
      p[j] /= sum;
    }
    return p;
  }
}
