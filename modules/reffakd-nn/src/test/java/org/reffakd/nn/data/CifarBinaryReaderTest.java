package org.reffakd.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.reffakd.nn.data.TestFiles.assertFormatError;
import static org.reffakd.nn.data.TestFiles.write;
import static org.reffakd.nn.data.TestFiles.writeText;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarBinaryReaderTest {

  static final String CIFAR10_NAMES = "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\n"
      + "ship\ntruck\n\n";

  @TempDir
  Path dir;

  /** Records with the given label bytes each followed by 3072 pixels of value {@code seed+i}. */
  static byte[] records(int seed, int[]... labelBytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < labelBytes.length; i++) {
      for (int l : labelBytes[i]) {
        out.write(l);
      }
      byte[] px = new byte[3072];
      Arrays.fill(px, (byte) (seed + i));
      px[0] = (byte) 255; // first R pixel
      px[2048] = (byte) 128; // first B pixel
      out.writeBytes(px);
    }
    return out.toByteArray();
  }

  private byte[][] writeCifar10(Path root) {
    byte[][] batches = new byte[6][];
    for (int b = 1; b <= 5; b++) {
      batches[b - 1] = records(10 * b, new int[] {b}, new int[] {9 - b});
      write(root.resolve("data_batch_" + b + ".bin"), batches[b - 1]);
    }
    batches[5] = records(100, new int[] {3});
    write(root.resolve("test_batch.bin"), batches[5]);
    return batches;
  }

  @Test
  void readsCifar10TrainInBatchOrder() throws Exception {
    byte[][] batches = writeCifar10(dir);
    writeText(dir.resolve("batches.meta.txt"), CIFAR10_NAMES);

    ImageDataset ds = CifarBinaryReader.readCifar10(dir, "train");

    assertEquals(10, ds.size());
    assertEquals(3, ds.channels());
    assertEquals(32, ds.height());
    assertArrayEquals(new int[] {1, 8, 2, 7, 3, 6, 4, 5, 5, 4}, ds.labels());
    assertEquals(255, ds.pixels()[0] & 0xff);
    assertEquals(10, ds.pixels()[1]);
    assertEquals(128, ds.pixels()[2048] & 0xff);
    assertEquals(11, ds.pixels()[3072 + 1]); // second image of batch 1
    assertEquals(50 + 1, ds.pixels()[9 * 3072 + 5]); // last image
    assertEquals("truck", ds.classNames().get(9));
    assertEquals(10, ds.numClasses());
    assertEquals(TestFiles.sha256(Arrays.copyOf(batches, 5)), ds.sha256());
  }

  @Test
  void readsCifar10TestFromNestedDirWithoutNames() {
    writeCifar10(dir.resolve("cifar-10-batches-bin"));
    ImageDataset ds = CifarBinaryReader.readCifar10(dir, "test");
    assertEquals(1, ds.size());
    assertArrayEquals(new int[] {3}, ds.labels());
    assertEquals("class0", ds.classNames().get(0));
    assertEquals("class9", ds.classNames().get(9));
  }

  @Test
  void truncatedFileNamesTheCutRecord() {
    writeCifar10(dir);
    byte[] three = records(0, new int[] {0}, new int[] {1}, new int[] {2});
    Path f = write(dir.resolve("data_batch_3.bin"), Arrays.copyOf(three, 3073 * 2 + 100));
    assertFormatError(() -> CifarBinaryReader.readCifar10(dir, "train"), f.toString(),
        "record 2", "truncated", "3073-byte record");
  }

  @Test
  void labelOutOfRangeNamesTheRecord() {
    writeCifar10(dir);
    Path f = write(dir.resolve("data_batch_2.bin"), records(0, new int[] {0}, new int[] {10}));
    assertFormatError(() -> CifarBinaryReader.readCifar10(dir, "train"), f.toString(),
        "record 1", "label 10 outside 0..9");
  }

  @Test
  void missingBatchesAreListed() {
    write(dir.resolve("data_batch_1.bin"), records(0, new int[] {0}));
    assertFormatError(() -> CifarBinaryReader.readCifar10(dir, "train"), dir.toString(),
        "data_batch_2.bin, data_batch_3.bin, data_batch_4.bin, data_batch_5.bin");
  }

  @Test
  void wrongNumberOfNamesIsAnError() {
    writeCifar10(dir);
    Path meta = writeText(dir.resolve("batches.meta.txt"), "a\nb\n");
    assertFormatError(() -> CifarBinaryReader.readCifar10(dir, "test"), meta.toString(),
        "2 class names, expected 10");
  }

  @Test
  void emptyFileIsAnError() {
    Path f = write(dir.resolve("test_batch.bin"), new byte[0]);
    assertFormatError(() -> CifarBinaryReader.readCifar10(dir, "test"), f.toString(), "empty");
  }

  @Test
  void readsCifar100FineLabels() throws Exception {
    byte[] train = records(7, new int[] {19, 99}, new int[] {0, 42});
    write(dir.resolve("train.bin"), train);
    StringBuilder names = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      names.append("fine").append(i).append('\n');
    }
    writeText(dir.resolve("fine_label_names.txt"), names.toString());

    ImageDataset ds = CifarBinaryReader.readCifar100(dir, "train");

    assertEquals("cifar100", ds.name());
    assertArrayEquals(new int[] {99, 42}, ds.labels());
    assertEquals(100, ds.numClasses());
    assertEquals("fine42", ds.classNames().get(42));
    assertEquals(8, ds.pixels()[3072 + 1]);
    assertEquals(TestFiles.sha256(train), ds.sha256());
  }

  @Test
  void cifar100LabelChecks() {
    Path f = write(dir.resolve("test.bin"), records(0, new int[] {0, 0}, new int[] {20, 5}));
    assertFormatError(() -> CifarBinaryReader.readCifar100(dir, "test"), f.toString(),
        "record 1", "coarse label 20 outside 0..19");
    write(f, records(0, new int[] {0, 100}));
    assertFormatError(() -> CifarBinaryReader.readCifar100(dir, "test"), f.toString(),
        "record 0", "fine label 100 outside 0..99");
    write(f, Arrays.copyOf(records(0, new int[] {0, 1}), 3073)); // 1 byte short of a record
    assertFormatError(() -> CifarBinaryReader.readCifar100(dir, "test"), f.toString(),
        "record 0", "3074-byte record");
  }

  @Test
  void cifar100MissingFileAndBadSplit() {
    assertFormatError(() -> CifarBinaryReader.readCifar100(dir, "test"), "test.bin");
    assertThrows(IllegalArgumentException.class, () -> CifarBinaryReader.readCifar100(dir, "x"));
  }
}
