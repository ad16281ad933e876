package org.reffakd.dl4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.reffakd.backend.BaseExporter;
import org.reffakd.backend.ExportReport;
import org.reffakd.backend.ExportSource;

/** {@code --format dl4j}: a Deeplearning4j ModelSerializer zip ({@link Dl4jExport}). */
public final class Dl4jExporter extends BaseExporter {

  public Dl4jExporter() {
    super("dl4j", ".zip", "a Deeplearning4j ModelSerializer zip (ComputationGraph; input "
        + "\"input\": NCHW float32 images resized as the run did and normalised per channel with "
        + "the run's mean/std; output: the logits, no softmax), with reffakd-model.json inside "
        + "(architecture, sizes, normalisation; DL4J ignores it)");
  }

  @Override
  public ExportReport export(ExportSource s, Path out) throws IOException {
    Dl4jExport.write(s.state(), s.arch(), s.channels(), s.side(), s.classes(), s.mean(),
        s.std(), out.toFile());
    return new ExportReport(String.format("%s, input %dx%dx%d (NCHW, normalised with mean %s "
            + "std %s), %d logits", s.arch(), s.channels(), s.side(), s.side(),
        Arrays.toString(s.mean()), Arrays.toString(s.std()), s.classes()), Map.of());
  }
}
