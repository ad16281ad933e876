package org.reffakd.nn.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's Fashion-MNIST subset as raw IDX files ({@link FashionSubset#writeIdx}), written
 * once before the class's tests (and its {@code @BeforeAll} methods) into {@code fmnist} under
 * the folder {@code parent} gives. Declared as
 * {@code @RegisterExtension static final FashionIdx data = new FashionIdx(() -> tmp, 2000, 500);}
 * with {@code tmp} the class's static {@code @TempDir}, set before extensions start.
 */
public final class FashionIdx implements BeforeAllCallback {

  private final Supplier<Path> parent;
  private final int nTrain;
  private final int nTest;

  /** The first {@code nTrain} training and {@code nTest} test images. */
  public FashionIdx(Supplier<Path> parent, int nTrain, int nTest) {
    this.parent = parent;
    this.nTrain = nTrain;
    this.nTest = nTest;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    FashionSubset.writeIdx(dir(), nTrain, nTest);
  }

  /** The folder of the IDX files. */
  public Path dir() {
    return parent.get().resolve("fmnist");
  }

  /** {@link FashionSubset#tinyConfig} on this subset. */
  public RunConfig tinyConfig(int epochs, int valSize) {
    return FashionSubset.tinyConfig(dir(), epochs, valSize);
  }
}
