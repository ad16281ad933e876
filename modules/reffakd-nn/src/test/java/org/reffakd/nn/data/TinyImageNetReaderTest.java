package org.reffakd.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.reffakd.nn.data.TestFiles.assertFormatError;
import static org.reffakd.nn.data.TestFiles.solid;
import static org.reffakd.nn.data.TestFiles.solidGray;
import static org.reffakd.nn.data.TestFiles.write;
import static org.reffakd.nn.data.TestFiles.writeImage;
import static org.reffakd.nn.data.TestFiles.writeText;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinyImageNetReaderTest {

  static final int PLANE = 64 * 64;

  @TempDir
  Path base;
  Path root;

  @BeforeEach
  void layout() {
    root = base.resolve("tiny-imagenet-200");
    writeText(root.resolve("wnids.txt"), "n02\nn01\n");
    writeText(root.resolve("words.txt"), "n00\tentity\nn01\tgoldfish, Carassius auratus\n"
        + "n02\tEuropean fire salamander, Salamandra salamandra\n");
    Path c0 = root.resolve("train/n02/images");
    writeImage(c0.resolve("n02_0.JPEG"), solid(64, 64, 0xC81E64), "jpeg");
    writeImage(c0.resolve("n02_1.JPEG"), solidGray(64, 64, 90), "jpeg");
    writeImage(root.resolve("train/n01/images/n01_0.JPEG"), solid(64, 64, 0x1E64C8), "jpeg");
    writeText(root.resolve("train/n01/n01_boxes.txt"), "n01_0.JPEG\t0\t0\t63\t63\n");
    writeImage(root.resolve("val/images/val_0.JPEG"), solid(64, 64, 0x0000FF), "jpeg");
    writeImage(root.resolve("val/images/val_1.JPEG"), solid(64, 64, 0xFF0000), "jpeg");
    writeText(root.resolve("val/val_annotations.txt"),
        "val_0.JPEG\tn01\t0\t0\t10\t10\nval_1.JPEG\tn02\t1\t2\t3\t4\n");
  }

  static void assertNear(int expected, byte actual) {
    assertTrue(Math.abs(expected - (actual & 0xff)) <= 3, expected + " vs " + (actual & 0xff));
  }

  @Test
  void readsTrainWithClassOrderFromWnids() throws Exception {
    ImageDataset ds = TinyImageNetReader.read(base, "train");

    assertEquals(3, ds.size());
    assertEquals(3, ds.channels());
    assertEquals(64, ds.height());
    assertArrayEquals(new int[] {0, 0, 1}, ds.labels());
    assertEquals(List.of("European fire salamander", "goldfish"), ds.classNames());
    byte[] px = ds.pixels();
    assertNear(0xC8, px[0]);
    assertNear(0x1E, px[PLANE]);
    assertNear(0x64, px[2 * PLANE + 5]);
    int gray = 3 * PLANE; // second image is a grayscale JPEG, replicated to 3 channels
    assertNear(90, px[gray]);
    assertEquals(px[gray + 7], px[gray + PLANE + 7]);
    assertEquals(px[gray + 7], px[gray + 2 * PLANE + 7]);
    assertNear(0xC8, px[2 * 3 * PLANE + 2 * PLANE]);
    String sha = TestFiles.sha256(Files.readAllBytes(root.resolve("wnids.txt")),
        Files.readAllBytes(root.resolve("train/n02/images/n02_0.JPEG")),
        Files.readAllBytes(root.resolve("train/n02/images/n02_1.JPEG")),
        Files.readAllBytes(root.resolve("train/n01/images/n01_0.JPEG")));
    assertEquals(sha, ds.sha256());
  }

  @Test
  void readsValInAnnotationOrder() {
    ImageDataset ds = TinyImageNetReader.read(root, "val");
    assertArrayEquals(new int[] {1, 0}, ds.labels());
    assertNear(255, ds.pixels()[2 * PLANE]); // val_0 is blue
    assertNear(255, ds.pixels()[3 * PLANE]); // val_1 is red
  }

  @Test
  void namesFallBackToWnidsWithoutWordsFile() throws Exception {
    Files.delete(root.resolve("words.txt"));
    assertEquals(List.of("n02", "n01"), TinyImageNetReader.read(root, "val").classNames());
  }

  @Test
  void wrongImageSizeNamesTheFile() {
    Path bad = writeImage(root.resolve("train/n01/images/n01_1.JPEG"), solid(32, 64, 0), "jpeg");
    assertFormatError(() -> TinyImageNetReader.read(root, "train"), bad.toString(),
        "image is 32x64, expected 64x64");
  }

  @Test
  void corruptJpegNamesTheFile() {
    Path bad = write(root.resolve("train/n01/images/n01_1.JPEG"), new byte[] {1, 2, 3, 4});
    assertFormatError(() -> TinyImageNetReader.read(root, "train"), bad.toString(),
        "not a readable image");
    byte[] truncatedJpeg = new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 16};
    write(bad, truncatedJpeg);
    assertFormatError(() -> TinyImageNetReader.read(root, "train"), bad.toString(),
        "cannot decode JPEG image");
  }

  @Test
  void annotationErrorsNameTheLine() {
    Path ann = writeText(root.resolve("val/val_annotations.txt"),
        "val_0.JPEG\tn01\t0\t0\t1\t1\nval_1.JPEG\tn99\t0\t0\t1\t1\n");
    assertFormatError(() -> TinyImageNetReader.read(root, "val"), ann.toString(), "line 2",
        "unknown wnid n99");
    writeText(ann, "val_7.JPEG\tn01\n");
    assertFormatError(() -> TinyImageNetReader.read(root, "val"), ann.toString(), "line 1",
        "val_7.JPEG does not exist");
    writeText(ann, "val_0.JPEG\tn01\nval_0.JPEG\tn02\n");
    assertFormatError(() -> TinyImageNetReader.read(root, "val"), "line 2", "duplicate");
    writeText(ann, "val_0.JPEG\n");
    assertFormatError(() -> TinyImageNetReader.read(root, "val"), "line 1", "expected");
  }

  @Test
  void missingPiecesAreReported() throws Exception {
    Files.delete(root.resolve("val/val_annotations.txt"));
    assertFormatError(() -> TinyImageNetReader.read(root, "val"), "val_annotations.txt",
        "file not found");
    writeText(root.resolve("wnids.txt"), "n02\nn01\nn03\n");
    assertFormatError(() -> TinyImageNetReader.read(root, "train"), "n03", "does not exist");
    Path empty = base.resolve("empty");
    Files.createDirectories(empty);
    assertFormatError(() -> TinyImageNetReader.read(empty, "train"), empty.toString(),
        "wnids.txt");
  }

  @Test
  void duplicateWnid() {
    Path w = writeText(root.resolve("wnids.txt"), "n02\nn02\n");
    assertFormatError(() -> TinyImageNetReader.read(root, "train"), w.toString(), "line 2",
        "duplicate wnid n02");
  }

  @Test
  void testSplitHasNoLabels() {
    assertThrows(IllegalArgumentException.class, () -> TinyImageNetReader.read(root, "test"));
  }
}
