package org.reffakd.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.reffakd.nn.data.TestFiles.solid;
import static org.reffakd.nn.data.TestFiles.write;
import static org.reffakd.nn.data.TestFiles.writeImage;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {

  @TempDir
  Path dir;

  @Test
  void unknownNameListsKnownNames() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Datasets.load("imagenet", dir, "train"));
    for (String n : Datasets.NAMES) {
      assertTrue(e.getMessage().contains(n), e.getMessage());
    }
    assertTrue(e.getMessage().contains("imagenet"));
  }

  @Test
  void dispatchesByName() {
    write(dir.resolve("test.bin"), CifarBinaryReaderTest.records(0, new int[] {1, 2}));
    ImageDataset c = Datasets.load("CIFAR100", dir, "test");
    assertEquals("cifar100", c.name());
    assertArrayEquals(new int[] {2}, c.labels());

    write(dir.resolve("t10k-images-idx3-ubyte"), FashionMnistReaderTest.idxImages(1, 2, 2));
    write(dir.resolve("t10k-labels-idx1-ubyte"), FashionMnistReaderTest.idxLabels(0x801, 7));
    assertEquals("7", Datasets.load("mnist", dir, "test").classNames().get(7));
    assertEquals("Sneaker", Datasets.load("fashion-mnist", dir, "test").classNames().get(7));

    writeImage(dir.resolve("imgs/test/cat/1.png"), solid(2, 2, 0), "png");
    writeImage(dir.resolve("imgs/train/dog/1.png"), solid(2, 2, 0), "png");
    ImageDataset f = Datasets.load("folder", dir.resolve("imgs"), "test");
    assertEquals("cat", f.classNames().get(0));
    assertEquals("test", f.split());
  }
}
