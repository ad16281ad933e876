package org.reffakd.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.reffakd.backend.Classifier;
import org.reffakd.backend.ExportReport;
import org.reffakd.backend.ExportSource;
import org.reffakd.backend.Exporter;
import org.reffakd.backend.Exporters;
import org.reffakd.nn.run.ModelCard;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.nn.run.RunData;
import org.reffakd.nn.run.RunResult;
import org.reffakd.nn.util.CodeVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code reffakd export}: a run's student as a model file another runtime loads. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Write a run's (or a teacher folder's) model, its last epoch (checkpoints/"
            + "student-last.ckpt, the model behind test_accuracy.last), as a model file another "
            + "runtime loads. Formats (exporters found on the class path):",
        "  dl4j: a Deeplearning4j ModelSerializer zip (input \"input\": NCHW float32 images "
            + "resized as the run did and normalised per channel with the run's mean/std; output "
            + "the logits). The zip holds reffakd-model.json (architecture, sizes, "
            + "normalisation).",
        "  onnx: an ONNX model (opset 13) for ONNX Runtime: input \"pixels\" float32 [N,C,S,S] "
            + "in [0,1], resized as the run did (bilinear, half-pixel centres); the normalisation "
            + "is inside; output \"logits\" [N,classes]; batch norm folded; class names, input "
            + "size, resize, test accuracy, dataset SHA-256, code version and epoch in "
            + "metadata_props.",
        "  onnx-int8: the ONNX model quantised (QDQ; int8 weights per channel, uint8 activations "
            + "calibrated on the run's validation images); refused when over 0.4x the float size "
            + "or more than 0.01 below its test accuracy.",
        "The onnx formats read the run's dataset (class names, validation and test images), "
            + "measure accuracy, latency (batch 1) and throughput (batch 64) in ONNX Runtime on "
            + "1 thread, and write them with parameters and MACs to FILE.json beside the model and "
            + "into the run's result.json (model_card, per format). README, section \"Deploy the student\", shows the lines that load each file."})
final class ExportCommand implements Callable<Integer> {

  @Parameters(paramLabel = "RUN_DIR", description = "a run or teacher folder (config.json, "
      + "checkpoints/)")
  Path run;
  @Option(names = "--format", defaultValue = Exporters.DEFAULT, description = "dl4j, onnx or "
      + "onnx-int8 (default ${DEFAULT-VALUE})")
  String format;
  @Option(names = "--out", paramLabel = "FILE", required = true, description = "the file "
      + "to write (FILE.zip for dl4j, FILE.onnx for onnx)")
  Path out;
  @Option(names = "--data", paramLabel = "DIR", description = "the dataset folder, when not "
      + "where the run read it (onnx formats)")
  String data;

  @Override
  public Integer call() throws Exception {
    Exporter exporter = Exporters.get(format);
    RunModel rm = RunModel.read(run);
    RunConfig cfg = rm.cfg();
    Map<String, float[]> state;
    long params;
    long macs;
    try (Classifier c = rm.open()) {
      state = new LinkedHashMap<>(c.state());
      params = c.parameterCount();
      macs = c.macsPerImage(rm.channels(), rm.size());
    }
    List<String> classNames = List.of();
    ExportSource.Images calibration = null;
    ExportSource.Images evaluation = null;
    Map<String, String> meta = new LinkedHashMap<>();
    if (!format.equals("dl4j")) {
      RunConfig dc = data == null ? cfg : cfg.withInput(cfg.input().withDir(data));
      RunData d = RunData.load(dc, System.err);
      classNames = d.train().classNames();
      RunData.Parts parts = d.parts(dc);
      calibration = parts.validation() == null ? null : ModelCard.images(parts.validation());
      evaluation = ModelCard.images(d.testImages());
      meta.putAll(ModelCard.metadata(cfg, d.train().height(), d.train().width(), rm.size(),
          rm.lastAccuracy(), rm.epoch(), String.valueOf(rm.header().datasetSha256() != null
              ? rm.header().datasetSha256() : d.checksums()),
          rm.header().codeVersion() != null ? rm.header().codeVersion() : CodeVersion.get()));
      meta.put("exported_by", CodeVersion.get());
    }
    ExportSource src = new ExportSource(cfg.student().arch(), rm.channels(), rm.size(), rm.classes(),
        state, rm.mean(), rm.std(), classNames, meta, calibration, evaluation);
    ExportReport report = ModelCard.export(exporter, src, out);
    System.out.printf("wrote %s: %s%s%n", out, report.summary(),
        rm.lastAccuracy() == null ? "" : String.format("; the run's last test accuracy %.4f",
            rm.lastAccuracy()));
    if (!report.figures().isEmpty()) {
      Path json = ModelCard.writeBeside(out, new ModelCard.Beside(out.getFileName().toString(),
          run.toAbsolutePath().toString(), cfg.student().arch(), rm.epoch(), params, macs,
          rm.lastAccuracy(), report.figures()));
      System.out.printf("wrote %s: %d parameters, %d MACs per image%n", json, params, macs);
      Map<String, Object> figures = new LinkedHashMap<>(report.figures());
      figures.remove("format");
      recordCard(params, macs, new ModelCard.Entry(out.getFileName().toString(), rm.epoch(),
          rm.lastAccuracy(), null, figures));
    }
    return 0;
  }

  /**
   * The run's model card in its result.json: {@code model_card} holds the parameters and MACs
   * and, per exported format, the figures of the latest export of that format (a teacher
   * folder has no result.json: its card is the JSON beside the file only).
   */
  private void recordCard(long params, long macs, ModelCard.Entry entry) {
    Path resultFile = run.resolve("result.json");
    if (!Files.isRegularFile(resultFile)) {
      return;
    }
    RunResult r = RunResult.read(resultFile);
    Map<String, Object> details = new LinkedHashMap<>(r.details());
    ModelCard.Card was = details.get("model_card") == null ? null
        : RunConfig.JSON.convertValue(details.get("model_card"), ModelCard.Card.class);
    details.put("model_card", (was == null ? new ModelCard.Card(params, macs, null) : was)
        .with(params, macs, format, entry));
    new RunResult(r.dataset(), r.classes(), r.loss(), r.seed(), r.arch(), r.epochs(),
        r.softLabelVariant(), r.softLabelKey(), r.accuracy(), r.history(), r.timings(),
        r.cost(), details).write(resultFile);
    System.out.printf("recorded the %s model card in %s (model_card)%n", format, resultFile);
  }
}
