package org.reffakd.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.reffakd.nn.data.TestFiles.assertFormatError;
import static org.reffakd.nn.data.TestFiles.gzip;
import static org.reffakd.nn.data.TestFiles.write;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistReaderTest {

  @TempDir
  Path dir;

  static byte[] idxImages(int magic, int count, int rows, int cols, byte[] pixels) {
    return ByteBuffer.allocate(16 + pixels.length).putInt(magic).putInt(count).putInt(rows)
        .putInt(cols).put(pixels).array();
  }

  static byte[] idxImages(int count, int rows, int cols) {
    byte[] px = new byte[count * rows * cols];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) (i * 7 + 200);
    }
    return idxImages(0x803, count, rows, cols, px);
  }

  static byte[] idxLabels(int magic, int... labels) {
    ByteBuffer b = ByteBuffer.allocate(8 + labels.length).putInt(magic).putInt(labels.length);
    for (int l : labels) {
      b.put((byte) l);
    }
    return b.array();
  }

  @Test
  void readsRawFiles() throws Exception {
    byte[] images = idxImages(3, 2, 4);
    byte[] labels = idxLabels(0x801, 9, 0, 5);
    write(dir.resolve("train-images-idx3-ubyte"), images);
    write(dir.resolve("train-labels-idx1-ubyte"), labels);

    ImageDataset ds = FashionMnistReader.read(dir, "train");

    assertEquals("fashion-mnist", ds.name());
    assertEquals("train", ds.split());
    assertEquals(3, ds.size());
    assertEquals(1, ds.channels());
    assertEquals(2, ds.height());
    assertEquals(4, ds.width());
    assertArrayEquals(Arrays.copyOfRange(images, 16, images.length), ds.pixels());
    assertEquals(200, ds.pixels()[0] & 0xff); // unsigned
    assertArrayEquals(new int[] {9, 0, 5}, ds.labels());
    assertEquals("Ankle boot", ds.classNames().get(9));
    assertEquals(TestFiles.sha256(images, labels), ds.sha256());
  }

  @Test
  void readsGzipFilesAndMnistNames() throws Exception {
    byte[] images = gzip(idxImages(2, 3, 3));
    byte[] labels = gzip(idxLabels(0x801, 1, 2));
    write(dir.resolve("t10k-images-idx3-ubyte.gz"), images);
    write(dir.resolve("t10k-labels-idx1-ubyte.gz"), labels);

    ImageDataset ds = FashionMnistReader.read(dir, "test", "mnist");

    assertEquals(2, ds.size());
    assertArrayEquals(Arrays.copyOfRange(idxImages(2, 3, 3), 16, 16 + 18), ds.pixels());
    assertArrayEquals(new int[] {1, 2}, ds.labels());
    assertEquals(FashionMnistReader.MNIST_CLASSES, ds.classNames());
    assertEquals("test", ds.split());
    assertEquals(TestFiles.sha256(images, labels), ds.sha256(), "hash of stored (gzip) bytes");
  }

  @Test
  void detectsGzipByMagicNotByName() {
    write(dir.resolve("train-images-idx3-ubyte"), gzip(idxImages(2, 2, 2)));
    write(dir.resolve("train-labels-idx1-ubyte.gz"), idxLabels(0x801, 3, 4)); // raw, named .gz
    ImageDataset ds = FashionMnistReader.read(dir, "train");
    assertArrayEquals(new int[] {3, 4}, ds.labels());
  }

  @Test
  void badMagicNamesFileAndNumbers() {
    Path img = write(dir.resolve("train-images-idx3-ubyte"), idxLabels(0x801, 1, 2));
    write(dir.resolve("train-labels-idx1-ubyte"), idxLabels(0x801, 1, 2));
    assertFormatError(() -> FashionMnistReader.read(dir, "train"), img.toString(),
        "bad magic number 0x00000801", "label file", "expected 0x00000803");
  }

  @Test
  void truncatedImagesNameTheCutRecord() {
    byte[] full = idxImages(5, 2, 2);
    Path img = write(dir.resolve("train-images-idx3-ubyte"),
        Arrays.copyOf(full, 16 + 3 * 4 + 1)); // image 3 has only one byte
    write(dir.resolve("train-labels-idx1-ubyte"), idxLabels(0x801, 0, 1, 2, 3, 4));
    assertFormatError(() -> FashionMnistReader.read(dir, "train"), img.toString(),
        "record 3", "truncated", "5 images of 2x2");
  }

  @Test
  void truncatedGzipIsReported() {
    byte[] gz = gzip(idxImages(50, 8, 8));
    Path img = write(dir.resolve("train-images-idx3-ubyte.gz"),
        Arrays.copyOf(gz, gz.length / 2));
    write(dir.resolve("train-labels-idx1-ubyte"), idxLabels(0x801, new int[50]));
    assertFormatError(() -> FashionMnistReader.read(dir, "train"), img.toString(), "truncated");
  }

  @Test
  void gzipMissingItsTrailerIsReported() {
    byte[] gz = gzip(idxImages(2, 2, 2));
    Path img = write(dir.resolve("train-images-idx3-ubyte.gz"), Arrays.copyOf(gz, gz.length - 4));
    write(dir.resolve("train-labels-idx1-ubyte"), idxLabels(0x801, 0, 1));
    assertFormatError(() -> FashionMnistReader.read(dir, "train"), img.toString(), "gzip");
  }

  @Test
  void corruptGzipIsReported() {
    byte[] gz = gzip(idxImages(20, 8, 8));
    for (int i = 12; i < gz.length - 8; i++) {
      gz[i] = (byte) (gz[i] ^ 0x5a);
    }
    Path img = write(dir.resolve("train-images-idx3-ubyte.gz"), gz);
    write(dir.resolve("train-labels-idx1-ubyte"), idxLabels(0x801, new int[20]));
    DatasetFormatException e = assertThrows(DatasetFormatException.class,
        () -> FashionMnistReader.read(dir, "train"));
    assertTrue(e.getMessage().startsWith(img.toString()), e.getMessage());
  }

  @Test
  void notGzipAfterMagicIsReported() {
    Path img = write(dir.resolve("train-images-idx3-ubyte.gz"),
        new byte[] {0x1f, (byte) 0x8b, 7, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3});
    write(dir.resolve("train-labels-idx1-ubyte"), idxLabels(0x801, 0));
    assertFormatError(() -> FashionMnistReader.read(dir, "train"), img.toString(),
        "not a valid gzip file");
  }

  @Test
  void labelOutOfRangeNamesRecord() {
    write(dir.resolve("train-images-idx3-ubyte"), idxImages(3, 2, 2));
    Path lab = write(dir.resolve("train-labels-idx1-ubyte"), idxLabels(0x801, 0, 9, 10));
    assertFormatError(() -> FashionMnistReader.read(dir, "train"), lab.toString(),
        "record 2", "label 10 outside 0..9");
  }

  @Test
  void countMismatchNamesBothFiles() {
    write(dir.resolve("train-images-idx3-ubyte"), idxImages(3, 2, 2));
    Path lab = write(dir.resolve("train-labels-idx1-ubyte"), idxLabels(0x801, 0, 1));
    assertFormatError(() -> FashionMnistReader.read(dir, "train"), lab.toString(),
        "2 labels", "train-images-idx3-ubyte has 3 images");
  }

  @Test
  void trailingBytesAreFlagged() {
    byte[] images = idxImages(2, 2, 2);
    Path img = write(dir.resolve("train-images-idx3-ubyte"), Arrays.copyOf(images,
        images.length + 3));
    write(dir.resolve("train-labels-idx1-ubyte"), idxLabels(0x801, 0, 1));
    assertFormatError(() -> FashionMnistReader.read(dir, "train"), img.toString(),
        "3 unexpected trailing bytes");
  }

  @Test
  void implausibleDimensionsAreRejected() {
    Path img = write(dir.resolve("train-images-idx3-ubyte"),
        idxImages(0x803, 2, 0, 28, new byte[0]));
    write(dir.resolve("train-labels-idx1-ubyte"), idxLabels(0x801, 0, 1));
    assertFormatError(() -> FashionMnistReader.read(dir, "train"), img.toString(),
        "implausible header", "2 images of 0x28");
  }

  @Test
  void headerClaimingMoreThanTheFileIsTruncation() {
    Path img = write(dir.resolve("train-images-idx3-ubyte"),
        idxImages(0x803, 1_000_000, 28, 28, new byte[800]));
    write(dir.resolve("train-labels-idx1-ubyte"), idxLabels(0x801, 0));
    assertFormatError(() -> FashionMnistReader.read(dir, "train"), img.toString(),
        "record 1", "truncated", "1000000 images of 28x28");
    write(img, gzip(idxImages(0x803, 1_000_000, 28, 28, new byte[800])));
    assertFormatError(() -> FashionMnistReader.read(dir, "train"), img.toString(),
        "truncated or corrupt", "1000000 images of 28x28");
  }

  @Test
  void truncatedLabelsNameTheCutRecord() {
    write(dir.resolve("train-images-idx3-ubyte"), idxImages(3, 2, 2));
    byte[] labels = idxLabels(0x801, 0, 1, 2);
    Path lab = write(dir.resolve("train-labels-idx1-ubyte"),
        Arrays.copyOf(labels, labels.length - 1));
    assertFormatError(() -> FashionMnistReader.read(dir, "train"), lab.toString(),
        "record 2", "truncated", "3 labels");
    write(lab, Arrays.copyOf(labels, 6));
    assertFormatError(() -> FashionMnistReader.read(dir, "train"), lab.toString(),
        "truncated header");
  }

  @Test
  void missingFilesAreListed() {
    write(dir.resolve("train-images-idx3-ubyte"), idxImages(1, 2, 2));
    assertFormatError(() -> FashionMnistReader.read(dir, "train"), dir.toString(),
        "train-labels-idx1-ubyte or train-labels-idx1-ubyte.gz");
    assertFormatError(() -> FashionMnistReader.read(dir, "test"),
        "t10k-images-idx3-ubyte or t10k-images-idx3-ubyte.gz",
        "t10k-labels-idx1-ubyte or t10k-labels-idx1-ubyte.gz");
  }

  @Test
  void missingDirectory() {
    Path missing = dir.resolve("nope");
    assertFormatError(() -> FashionMnistReader.read(missing, "train"), missing.toString(),
        "does not exist");
  }

  @Test
  void unknownSplitOrName() {
    assertThrows(IllegalArgumentException.class, () -> FashionMnistReader.read(dir, "val"));
    assertThrows(IllegalArgumentException.class,
        () -> FashionMnistReader.read(dir, "train", "kmnist"));
  }

  @Test
  void readsRealFashionMnistWhenPresent() {
    Path real = Path.of("/usr/share/datasets/fashion-mnist");
    Assumptions.assumeTrue(Files.isDirectory(real), "no Fashion-MNIST at " + real);
    long t0 = System.nanoTime();
    ImageDataset train = FashionMnistReader.read(real, "train");
    ImageDataset test = FashionMnistReader.read(real, "test");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    for (ImageDataset ds : new ImageDataset[] {train, test}) {
      assertEquals(28, ds.height());
      assertEquals(28, ds.width());
      assertEquals(1, ds.channels());
      assertEquals(64, ds.sha256().length());
      assertEquals(10, Arrays.stream(ds.labels()).distinct().count(), "all 10 labels present");
    }
    assertEquals(60000, train.size());
    assertEquals(10000, test.size());
    assertTrue(ms < 20_000, "reading took " + ms + " ms");
  }
}
