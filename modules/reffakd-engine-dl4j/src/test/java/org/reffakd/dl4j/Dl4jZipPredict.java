package org.reffakd.dl4j;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Run in a child JVM with only Deeplearning4j on the class path (nothing of this project but
 * this class): loads a model zip with DL4J's own ModelSerializer and writes the logits of the
 * given images. Args: zip, input file (int n, c, h, w, then NCHW floats), output file (int n,
 * k, then logits). Prints the predictions' count per class.
 */
public final class Dl4jZipPredict {

  private Dl4jZipPredict() {}

  public static void main(String[] args) throws Exception {
    ComputationGraph g = ModelSerializer.restoreComputationGraph(new File(args[0]), false);
    INDArray x;
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(
        new FileInputStream(args[1])))) {
      int n = in.readInt();
      int c = in.readInt();
      int h = in.readInt();
      int w = in.readInt();
      float[] d = new float[n * c * h * w];
      for (int i = 0; i < d.length; i++) {
        d[i] = in.readFloat();
      }
      x = Nd4j.create(d).reshape('c', n, c, h, w);
    }
    INDArray out = g.output(false, x)[0];
    long n = out.size(0);
    long k = out.size(1);
    int[] counts = new int[(int) k];
    try (DataOutputStream o = new DataOutputStream(new BufferedOutputStream(
        new FileOutputStream(args[2])))) {
      o.writeInt((int) n);
      o.writeInt((int) k);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < k; j++) {
          o.writeFloat(out.getFloat(i, j));
        }
        counts[out.getRow(i).argMax().getInt(0)]++;
      }
    }
    System.out.println("predicted per class " + java.util.Arrays.toString(counts)
        + " classpath-has-reffakd-main=" + (Dl4jZipPredict.class.getClassLoader()
        .getResource("org/reffakd/dl4j/Dl4jBackend.class") != null));
  }
}
