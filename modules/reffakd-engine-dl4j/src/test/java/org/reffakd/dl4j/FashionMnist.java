package org.reffakd.dl4j;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.reffakd.backend.ImageBatch;

/** The first images of the real Fashion-MNIST IDX files, normalised, 1x28x28. */
record FashionMnist(float[] images, int[] labels, int n) {

  static final Path DIR = Path.of(System.getProperty("reffakd.fashion",
      "/usr/share/datasets/fashion-mnist"));
  static final float MEAN = 0.2860f;
  static final float STD = 0.3530f;
  static final int SIDE = 28;

  static boolean available() {
    return Files.exists(DIR.resolve("train-images-idx3-ubyte.gz"));
  }

  static FashionMnist load(boolean train, int n) throws IOException {
    String p = train ? "train" : "t10k";
    float[] x = new float[n * SIDE * SIDE];
    int[] y = new int[n];
    try (DataInputStream in = open(p + "-images-idx3-ubyte.gz")) {
      in.readInt();
      in.readInt();
      in.readInt();
      in.readInt();
      byte[] buf = new byte[x.length];
      in.readFully(buf);
      for (int i = 0; i < x.length; i++) {
        x[i] = ((buf[i] & 0xff) / 255f - MEAN) / STD;
      }
    }
    try (DataInputStream in = open(p + "-labels-idx1-ubyte.gz")) {
      in.readInt();
      in.readInt();
      for (int i = 0; i < n; i++) {
        y[i] = in.readUnsignedByte();
      }
    }
    return new FashionMnist(x, y, n);
  }

  private static DataInputStream open(String name) throws IOException {
    InputStream raw = Files.newInputStream(DIR.resolve(name));
    return new DataInputStream(new GZIPInputStream(raw, 1 << 16));
  }

  /** Images from..from+count as a batch (one channel: CNHW and NCHW coincide). */
  ImageBatch batch(int from, int count, int[] order) {
    int plane = SIDE * SIDE;
    float[] d = new float[count * plane];
    for (int i = 0; i < count; i++) {
      int src = order == null ? from + i : order[from + i];
      System.arraycopy(images, src * plane, d, i * plane, plane);
    }
    return new ImageBatch(d, ImageBatch.Layout.NCHW, count, 1, SIDE, SIDE);
  }

  int label(int i, int[] order) {
    return labels[order == null ? i : order[i]];
  }
}
