package org.reffakd.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.reffakd.nn.data.TestFiles.assertFormatError;
import static org.reffakd.nn.data.TestFiles.solid;
import static org.reffakd.nn.data.TestFiles.solidGray;
import static org.reffakd.nn.data.TestFiles.write;
import static org.reffakd.nn.data.TestFiles.writeImage;
import static org.reffakd.nn.data.TestFiles.writeText;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassFolderReaderTest {

  @TempDir
  Path root;

  @Test
  void readsRgbPngsExactlyInChwOrder() throws Exception {
    BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, 0x010203);
    img.setRGB(2, 1, 0xFFFEFD);
    Path a = writeImage(root.resolve("zebra/a.png"), img, "png");
    Path b = writeImage(root.resolve("ant/b.PNG"), solid(3, 2, 0x102030), "png");
    Path c = writeImage(root.resolve("ant/a.png"), solidGray(3, 2, 77), "png");
    writeText(root.resolve("ant/notes.txt"), "ignored");

    ImageDataset ds = ClassFolderReader.read(root, "mine", "train");

    assertEquals(List.of("ant", "zebra"), ds.classNames());
    assertEquals(3, ds.channels());
    assertEquals(2, ds.height());
    assertEquals(3, ds.width());
    assertArrayEquals(new int[] {0, 0, 1}, ds.labels());
    byte[] px = ds.pixels();
    for (int i = 0; i < 18; i++) {
      assertEquals(77, px[i]); // ant/a.png gray, replicated
    }
    assertEquals(0x10, px[18]);
    assertEquals(0x20, px[18 + 6]);
    assertEquals(0x30, px[18 + 12]);
    int z = 36;
    assertEquals(1, px[z]);
    assertEquals(2, px[z + 6]);
    assertEquals(3, px[z + 12]);
    assertEquals(0xFF, px[z + 5] & 0xff);
    assertEquals(0xFE, px[z + 6 + 5] & 0xff);
    assertEquals(0xFD, px[z + 12 + 5] & 0xff);
    assertEquals(TestFiles.sha256(Files.readAllBytes(c), Files.readAllBytes(b),
        Files.readAllBytes(a)), ds.sha256());
  }

  @Test
  void allGrayGivesOneChannel() {
    writeImage(root.resolve("0/x.png"), solidGray(4, 4, 10), "png");
    writeImage(root.resolve("1/y.jpg"), solidGray(4, 4, 200), "jpeg");
    ImageDataset ds = ClassFolderReader.read(root, "digits", "test");
    assertEquals(1, ds.channels());
    assertEquals(32, ds.pixels().length);
    assertEquals(10, ds.pixels()[0]);
    assertEquals(200, ds.pixels()[16] & 0xff, 2);
  }

  @Test
  void differentSizeNamesTheFirstDifferingFile() {
    writeImage(root.resolve("a/1.png"), solid(4, 4, 0), "png");
    Path bad = writeImage(root.resolve("a/2.png"), solid(5, 4, 0), "png");
    writeImage(root.resolve("b/3.png"), solid(6, 6, 0), "png");
    assertFormatError(() -> ClassFolderReader.read(root, "f", "train"), bad.toString(),
        "image is 5x4", "a/1.png is 4x4");
  }

  @Test
  void undecodableImageNamesTheFile() {
    writeImage(root.resolve("a/1.png"), solid(4, 4, 0), "png");
    Path bad = writeText(root.resolve("a/2.png"), "not an image");
    assertFormatError(() -> ClassFolderReader.read(root, "f", "train"), bad.toString(),
        "not a readable image");
    byte[] png = new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13};
    write(bad, png);
    assertFormatError(() -> ClassFolderReader.read(root, "f", "train"), bad.toString(),
        "cannot decode PNG image");
  }

  @Test
  void emptyLayoutsAreReported() throws Exception {
    assertFormatError(() -> ClassFolderReader.read(root, "f", "train"), root.toString(),
        "no class subdirectories");
    Files.createDirectories(root.resolve("a"));
    assertFormatError(() -> ClassFolderReader.read(root, "f", "train"),
        "no .png/.jpg/.jpeg images");
    Path missing = root.resolve("missing");
    assertFormatError(() -> ClassFolderReader.read(missing, "f", "train"), missing.toString(),
        "does not exist");
  }

  @Test
  void splitRootRules() throws Exception {
    Files.createDirectories(root.resolve("cats"));
    assertEquals(root, ClassFolderReader.splitRoot(root, "train"));
    Files.createDirectories(root.resolve("train/cats"));
    assertEquals(root.resolve("train"), ClassFolderReader.splitRoot(root, "train"));
    assertFormatError(() -> ClassFolderReader.splitRoot(root, "test"), "no 'test' subdirectory",
        "train");
  }
}
