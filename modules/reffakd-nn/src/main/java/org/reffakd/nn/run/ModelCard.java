package org.reffakd.nn.run;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reffakd.backend.ExportReport;
import org.reffakd.backend.ExportSource;
import org.reffakd.backend.Exporter;
import org.reffakd.backend.Exporters;
import org.reffakd.backend.Classifier;
import org.reffakd.nn.prep.PreparedImages;
import org.reffakd.nn.util.CodeVersion;

/**
 * The model card of a finished run: its last-epoch student exported as {@code student.onnx}
 * (float) and {@code student-int8.onnx} into the run folder (each with its card beside it,
 * FILE.onnx.json, as {@code reffakd export} writes it), each measured in ONNX Runtime
 * (size, test accuracy, latency at batch 1, throughput at batch 64, 1 thread) by the
 * exporters found on the class path (module reffakd-export-onnx; without it, no card). The
 * figures go into result.json under {@code model_card} (the same layout {@code reffakd export}
 * writes), and the study reads them per job. A format that cannot be made (an int8 model that
 * loses too much, a run without validation images to calibrate on) is recorded as refused
 * with its reason; the run itself never fails for its card.
 */
public final class ModelCard {

  /** The formats a card exports, and the file each writes into the run folder. */
  static final Map<String, String> FILES = Map.of("onnx", "student.onnx",
      "onnx-int8", "student-int8.onnx");

  private ModelCard() {}

  /**
   * A run's card (result.json {@code model_card}): the student's size, and per exported format
   * ({@code onnx}, {@code onnx-int8}, or whatever {@code reffakd export} wrote) its entry.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonPropertyOrder({"parameters", "macs_per_image"})
  public record Card(long parameters, long macsPerImage,
                     @JsonAnyGetter Map<String, Entry> formats) {

    public Card {
      formats = formats == null ? new LinkedHashMap<>() : new LinkedHashMap<>(formats);
    }

    /** Reads a card; its formats in the file's order ({@link OrderedJson}). */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static Card read(ObjectNode json) throws java.io.IOException {
      return new Card(json.path("parameters").asLong(-1), json.path("macs_per_image").asLong(-1),
          OrderedJson.others(json, java.util.Set.of("parameters", "macs_per_image"),
              Entry.class));
    }

    /** This card with the entry of {@code format} replaced (the latest export counts). */
    public Card with(long parameters, long macsPerImage, String format, Entry entry) {
      Map<String, Entry> f = new LinkedHashMap<>(formats);
      f.put(format, entry);
      return new Card(parameters, macsPerImage, f);
    }
  }

  /**
   * One exported format of a card: the file, the epoch its weights are of, and either the
   * exporter's figures ({@link ExportReport#figures}: sizes, ONNX Runtime accuracy, latency,
   * throughput; their keys are the exporter's) or why the format was refused.
   *
   * @param runTestAccuracyLast the run's own last test accuracy (written by export)
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Entry(String model, Integer epoch, Double runTestAccuracyLast, String refused,
                      @JsonAnyGetter Map<String, Object> figures) {

    private static final java.util.Set<String> NAMED = java.util.Set.of("model", "epoch",
        "run_test_accuracy_last", "refused");

    public Entry {
      figures = figures == null ? new LinkedHashMap<>() : new LinkedHashMap<>(figures);
    }

    /** Reads an entry; the figures in the file's order. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static Entry read(ObjectNode json) throws java.io.IOException {
      return new Entry(json.hasNonNull("model") ? json.get("model").asText() : null,
          json.hasNonNull("epoch") ? json.get("epoch").asInt() : null,
          json.hasNonNull("run_test_accuracy_last")
              ? json.get("run_test_accuracy_last").asDouble() : null,
          json.hasNonNull("refused") ? json.get("refused").asText() : null,
          OrderedJson.others(json, NAMED, Object.class));
    }
  }

  /**
   * The card written beside an exported file (FILE.json, what the dashboard lists): what the
   * model is, the run it came from (absent for a run's own card), its size and the exporter's
   * figures.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Beside(String model, String run, String arch, Integer epoch, long parameters,
                       long macsPerImage, Double runTestAccuracyLast,
                       @JsonAnyGetter Map<String, Object> figures) {}

  /** Off with {@code REFFAKD_MODEL_CARD=0} (or {@code -Dreffakd.model.card=0}). */
  static boolean enabled() {
    String v = System.getProperty("reffakd.model.card", System.getenv("REFFAKD_MODEL_CARD"));
    return v == null || !(v.equals("0") || v.equalsIgnoreCase("off")
        || v.equalsIgnoreCase("false"));
  }

  /**
   * The card of {@code student} (trained as {@code cfg} says on {@code data}); null when no
   * ONNX exporter is on the class path.
   */
  static Card make(Classifier student, RunConfig cfg, RunData data,
                                  RunData.Parts parts, int epoch, double lastAccuracy,
                                  Path runDir) {
    List<String> formats = Exporters.formats();
    if (!formats.contains("onnx")) {
      return null;
    }
    int channels = parts.student().channels();
    int side = cfg.input().imageSize();
    Map<String, String> meta = metadata(cfg, data.train().height(), data.train().width(), side,
        lastAccuracy, epoch, String.valueOf(data.checksums()),
        CodeVersion.get());
    ExportSource src = new ExportSource(cfg.student().arch(), channels, side, student.classes(),
        new LinkedHashMap<>(student.state()), floats(data.norm().mean()),
        floats(data.norm().std()), data.train().classNames(), meta,
        parts.validation() == null ? null : images(parts.validation()),
        images(data.testImages()));
    long parameters = student.parameterCount();
    long macs = student.macsPerImage(channels, side);
    Card card = new Card(parameters, macs, null);
    for (String format : List.of("onnx", "onnx-int8")) {
      if (!formats.contains(format)) {
        continue;
      }
      Path out = runDir.resolve(FILES.get(format));
      String model = out.getFileName().toString();
      Entry entry;
      try {
        ExportReport report = export(Exporters.get(format), src, out);
        Map<String, Object> figures = new LinkedHashMap<>(report.figures());
        figures.remove("format");
        entry = new Entry(model, epoch, null, null, figures);
        // beside the file, as 'reffakd export' writes it: the dashboard shows it
        writeBeside(out, new Beside(model, null, cfg.student().arch(), epoch, parameters, macs,
            lastAccuracy, report.figures()));
      } catch (Exception | LinkageError e) {
        // an int8 model that loses too much, no calibration images, no native runtime here
        entry = new Entry(model, epoch, null,
            e.getMessage() == null ? e.toString() : e.getMessage(), null);
      }
      card = card.with(parameters, macs, format, entry);
    }
    return card;
  }

  /**
   * What an exported file records of the run (ONNX {@code metadata_props}): how images were
   * resized, the dataset, the run's last test accuracy (when known), the dataset checksum, the
   * code version, the epoch, the loss and the seed.
   */
  public static Map<String, String> metadata(RunConfig cfg, int srcHeight, int srcWidth,
                                             int side, Double lastAccuracy, int epoch,
                                             String datasetSha256, String codeVersion) {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("resize", "bilinear, half-pixel centres, edges clamped: " + srcHeight + "x"
        + srcWidth + " -> " + side + "x" + side + ", then 8-bit values / 255");
    meta.put("dataset", cfg.dataset());
    if (lastAccuracy != null) {
      meta.put("test_accuracy", String.format("%.4f", lastAccuracy));
    }
    meta.put("dataset_sha256", datasetSha256);
    meta.put("code_version", codeVersion);
    meta.put("epoch", Integer.toString(epoch));
    meta.put("loss", String.valueOf(cfg.objective().name()));
    meta.put("seed", Long.toString(cfg.seed()));
    return meta;
  }

  /** Exports {@code src} to {@code out} through a temporary file moved into place. */
  public static ExportReport export(Exporter exporter, ExportSource src, Path out)
      throws java.io.IOException {
    Path parent = out.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, ".export", exporter.extension());
    try {
      Files.delete(tmp); // exporters write a new file
      ExportReport report = exporter.export(src, tmp);
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return report;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** A model's card as FILE.json beside it (what the dashboard lists). */
  public static Path writeBeside(Path out, Beside card) throws java.io.IOException {
    Path json = out.resolveSibling(out.getFileName() + ".json");
    RunConfig.JSON.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), card);
    return json;
  }

  /** A prepared split as the exporters take it: [0, 1] pixels, NCHW, with labels. */
  public static ExportSource.Images images(PreparedImages p) {
    return new ExportSource.Images(p.images(0, p.count()), p.labels(), p.count());
  }

  private static float[] floats(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }
}
