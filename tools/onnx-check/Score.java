import ai.onnxruntime.*;
import java.nio.*;
import java.nio.file.*;
import java.util.Map;
// ONNX Runtime alone (no project class): accuracy of an .onnx on pixels prepared by PIL
public class Score {
  public static void main(String[] a) throws Exception {
    FloatBuffer x = ByteBuffer.wrap(Files.readAllBytes(Path.of(a[1]))).order(ByteOrder.BIG_ENDIAN).asFloatBuffer();
    byte[] y = Files.readAllBytes(Path.of(a[2]));
    int n = y.length;
    var env = OrtEnvironment.getEnvironment();
    try (var s = env.createSession(a[0], new OrtSession.SessionOptions());
         var t = OnnxTensor.createTensor(env, x, new long[] {n, 1, 32, 32});
         var r = s.run(Map.of("pixels", t))) {
      float[][] z = (float[][]) r.get(0).getValue();
      int hits = 0;
      for (int i = 0; i < n; i++) { int b = 0; for (int j = 1; j < z[i].length; j++) if (z[i][j] > z[i][b]) b = j; hits += b == y[i] ? 1 : 0; }
      System.out.printf("%s: accuracy %.4f on %d images%n", a[0], (double) hits / n, n);
    }
  }
}
