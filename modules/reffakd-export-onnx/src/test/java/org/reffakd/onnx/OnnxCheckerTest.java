package org.reffakd.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reffakd.backend.Backends;
import org.reffakd.backend.Classifier;
import org.reffakd.backend.ExportSource;
import org.reffakd.backend.Exporters;

/**
 * The reference ONNX checker (Python's onnx package, Debian's python3-onnx, which .ci/run
 * installs) accepts the float and the int8 models with full shape inference, and the int8
 * model runs in ONNX Runtime with its weights at most 0.4x the float model's size.
 */
class OnnxCheckerTest {

  /** Debian's interpreter, which has Debian's python3-onnx (a pyenv python3 on PATH does not). */
  private static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3"))
      ? "/usr/bin/python3" : "python3";

  @TempDir
  Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"lenet5bn", "resnet18-w16"})
  void checkerAcceptsTheFloatAndInt8Models(String arch) throws Exception {
    int side = 32;
    Map<String, float[]> state;
    try (Classifier c = Backends.get("java").classifier(arch, 1, side, 10, 5)) {
      state = new LinkedHashMap<>(c.state());
    }
    SplittableRandom r = new SplittableRandom(2);
    int n = 16;
    float[] cal = new float[n * side * side];
    for (int i = 0; i < cal.length; i++) {
      cal[i] = (float) r.nextDouble();
    }
    ExportSource src = new ExportSource(arch, 1, side, 10, state, new float[] {0.3f},
        new float[] {0.35f}, List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
        Map.of("code_version", "test"), new ExportSource.Images(cal, null, n), null);
    Path f = tmp.resolve("f.onnx");
    Path q = tmp.resolve("q.onnx");
    Exporters.get("onnx").export(src, f);
    Exporters.get("onnx-int8").export(src, q);
    assertTrue(Files.size(q) <= 0.4 * Files.size(f), Files.size(q) + " vs " + Files.size(f));
    try (OnnxModel m = OnnxModel.open(q, 1)) {
      assertEquals(10 * 3, m.logits(cal, 3).length);
    }
    assumeTrue(pythonOnnx(), "python3 with the onnx package (apt-get install python3-onnx)");
    for (Path p : List.of(f, q)) {
      Process proc = new ProcessBuilder(PYTHON, "-c", "import onnx, sys; "
          + "m = onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); "
          + "print('opset', m.opset_import[0].version, 'ok')", p.toString())
          .redirectErrorStream(true).start();
      String out = new String(proc.getInputStream().readAllBytes());
      assertTrue(proc.waitFor(2, TimeUnit.MINUTES));
      assertEquals(0, proc.exitValue(), p + ": " + out);
      assertTrue(out.contains("opset 13 ok"), out);
    }
  }

  private static boolean pythonOnnx() {
    try {
      Process p = new ProcessBuilder(PYTHON, "-c", "import onnx").redirectErrorStream(true)
          .start();
      p.getInputStream().readAllBytes();
      return p.waitFor(1, TimeUnit.MINUTES) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }
}
