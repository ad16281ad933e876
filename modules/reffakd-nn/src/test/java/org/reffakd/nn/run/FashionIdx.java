package org.reffakd.nn.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's Fashion-MNIST subset as raw IDX files ({@link FashionSubset#writeIdx}): written
 * once before the class's tests (and its {@code @BeforeAll} methods) into a temporary folder
 * {@code .../fmnist}, deleted after them. Declared as
 * {@code @RegisterExtension static final FashionIdx data = new FashionIdx(2000, 500);}.
 */
public final class FashionIdx implements BeforeAllCallback, AfterAllCallback {

  private final int nTrain;
  private final int nTest;
  private Path root;

  /** The first {@code nTrain} training and {@code nTest} test images. */
  public FashionIdx(int nTrain, int nTest) {
    this.nTrain = nTrain;
    this.nTest = nTest;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    root = Files.createTempDirectory("reffakd-test");
    FashionSubset.writeIdx(dir(), nTrain, nTest);
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** The folder of the IDX files. */
  public Path dir() {
    if (root == null) {
      throw new IllegalStateException("the subset is written before the class's tests");
    }
    return root.resolve("fmnist");
  }

  /** {@link FashionSubset#tinyConfig} on this subset. */
  public RunConfig tinyConfig(int epochs, int valSize) {
    return FashionSubset.tinyConfig(dir(), epochs, valSize);
  }
}
