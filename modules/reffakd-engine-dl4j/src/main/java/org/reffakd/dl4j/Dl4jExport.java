package org.reffakd.dl4j;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Writes a classifier (of either backend: its {@code state()}) as a Deeplearning4j model zip
 * that DL4J's own {@code ModelSerializer.restoreComputationGraph(file)} loads with nothing of
 * this project on the class path.
 *
 * <p>The network inside: input "input", NCHW float32 images of channels x side x side, output
 * the logits (a DenseLayer with identity activation; no softmax, no loss layer). The
 * normalisation is not part of it: inputs must be normalised as the run fed its model, with
 * the mean/std the run records in its provenance. They are written, with the architecture,
 * into the zip as the entry {@value #SIDECAR} (JSON), which DL4J ignores and
 * {@link Dl4jImport} reads.
 */
public final class Dl4jExport {

  /** The zip entry with the architecture and input normalisation. */
  public static final String SIDECAR = "reffakd-model.json";

  private Dl4jExport() {}

  /**
   * Writes the zip.
   *
   * @param state a classifier's state (names and layouts of the java engine; momentum buffers
   *     are ignored)
   * @param mean per-channel mean the inputs were normalised with, or null
   * @param std per-channel standard deviation, or null
   */
  public static void write(Map<String, float[]> state, String arch, int channels, int side,
                           int classes, float[] mean, float[] std, File zip)
      throws IOException {
    Map<String, float[]> weights = new LinkedHashMap<>();
    state.forEach((k, v) -> {
      if (!k.startsWith("momentum.")) {
        weights.put(k, v);
      }
    });
    NetPlan plan = NetPlan.classifier(arch, channels, side, classes, 0);
    try (Dl4jClassifier c = new Dl4jClassifier(plan, classes, weights)) {
      ModelSerializer.writeModel(c.graph(), zip, false);
    }
    String json = "{\n"
        + "  \"format\": \"reffakd-dl4j-classifier\",\n"
        + "  \"version\": 1,\n"
        + "  \"arch\": \"" + arch + "\",\n"
        + "  \"channels\": " + channels + ",\n"
        + "  \"side\": " + side + ",\n"
        + "  \"classes\": " + classes + ",\n"
        + "  \"input\": \"NCHW float32, normalised per channel as (x - mean[c]) / std[c]\",\n"
        + "  \"output\": \"logits\",\n"
        + "  \"mean\": " + (mean == null ? "null" : Arrays.toString(mean)) + ",\n"
        + "  \"std\": " + (std == null ? "null" : Arrays.toString(std)) + "\n"
        + "}\n";
    try (FileSystem fs = FileSystems.newFileSystem(zip.toPath())) {
      Files.writeString(fs.getPath("/" + SIDECAR), json, StandardCharsets.UTF_8);
    }
  }
}
