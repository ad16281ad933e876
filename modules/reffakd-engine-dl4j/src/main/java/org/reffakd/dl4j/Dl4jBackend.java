package org.reffakd.dl4j;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;
import org.reffakd.backend.AutoencoderModel;
import org.reffakd.backend.Backend;
import org.reffakd.backend.Classifier;

/**
 * The Deeplearning4j/ND4J backend ({@code --engine dl4j}): the java engine's architectures as
 * DL4J {@code ComputationGraph}s with the same parameter names, layouts and (for a seed) the
 * same initial weights, trained by an external logits gradient and torch.optim.SGD's step.
 *
 * <p>Loading this class sets {@code org.eclipse.deeplearning4j.helpers.disable=false} (unless
 * the property is already set) so that DL4J's oneDNN layer helpers are used on CPU; see
 * {@link org.nd4j.nativeblas.Nd4jCpu} for why that also needs a shim class.
 */
public final class Dl4jBackend implements Backend {

  public static final String NAME = "dl4j";
  /** The DL4J/ND4J release this module is built against. */
  public static final String DL4J_VERSION = "1.0.0-M2.1";
  public static final String HELPERS_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";
  static final List<String> ARCHITECTURES = List.of("lenet5bn", "lenet5bn-wide", "resnet18",
      "resnet18-w16");

  static {
    if (System.getProperty(HELPERS_PROPERTY) == null) {
      System.setProperty(HELPERS_PROPERTY, "false");
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String describe() {
    Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
    String backend = env.getProperty("backend", Nd4j.getBackend().getClass().getSimpleName());
    StringBuilder sb = new StringBuilder("Deeplearning4j ").append(version())
        .append(", ND4J ").append(backend);
    if ("CUDA".equalsIgnoreCase(backend)) {
      Object devices = env.get("cuda.devicesInformation");
      sb.append(" (").append(Nd4j.getAffinityManager().getNumberOfDevices()).append(" device(s)");
      if (devices != null) {
        sb.append(": ").append(devices);
      }
      sb.append(')');
    } else {
      sb.append(" (cpu, ").append(Nd4j.getEnvironment().maxMasterThreads()).append(" OpenMP")
          .append(" threads, BLAS ").append(env.getOrDefault("blas.vendor", "?"))
          .append(" with ").append(Nd4j.factory().blas().getMaxThreads()).append(" threads")
          .append(", oneDNN helpers ").append(oneDnnHelpers() ? "on" : "off").append(')');
    }
    return sb.toString();
  }

  /**
   * Whether layer helpers are allowed ({@value #HELPERS_PROPERTY} not true): DL4J's own
   * (oneDNN) helpers and this module's convolution helper ({@code ConvHelper}).
   */
  static boolean helpersAllowed() {
    return !Boolean.parseBoolean(System.getProperty(HELPERS_PROPERTY, "true"));
  }

  /** Whether DL4J will use its oneDNN layer helpers (CPU backend). */
  public static boolean oneDnnHelpers() {
    return !Boolean.parseBoolean(System.getProperty(HELPERS_PROPERTY, "true"))
        && org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper.mklDnnEnabled();
  }

  static String version() {
    try (InputStream in = Nd4j.class.getClassLoader().getResourceAsStream(
        "META-INF/maven/org.deeplearning4j/deeplearning4j-nn/pom.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        return p.getProperty("version", DL4J_VERSION);
      }
    } catch (IOException e) {
      // fall through
    }
    return DL4J_VERSION;
  }

  @Override
  public List<String> architectures() {
    return ARCHITECTURES;
  }

  @Override
  public Dl4jClassifier classifier(String arch, int channels, int side, int classes,
                                   long seed) {
    NetPlan plan = NetPlan.classifier(arch, channels, side, classes, seed);
    return new Dl4jClassifier(plan, classes, JavaInit.classifier(plan, classes, seed));
  }

  @Override
  public Dl4jAutoencoder autoencoder(int channels, long seed) {
    NetPlan plan = NetPlan.autoencoder(channels, seed);
    return new Dl4jAutoencoder(plan, JavaInit.autoencoder(plan, seed));
  }

  /**
   * A Deeplearning4j model zip (one with ModelSerializer's configuration.json and
   * coefficients.bin, whatever its name) as a classifier ({@link Dl4jImport}).
   */
  @Override
  public java.util.Optional<Classifier> open(java.nio.file.Path file) {
    if (!isModelZip(file)) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(Dl4jImport.read(file.toFile()));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(file + ": not a readable Deeplearning4j model zip: "
          + e.getMessage(), e);
    }
  }

  static boolean isModelZip(java.nio.file.Path file) {
    if (!java.nio.file.Files.isRegularFile(file)) {
      return false;
    }
    try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(file.toFile())) {
      return z.getEntry("configuration.json") != null && z.getEntry("coefficients.bin") != null;
    } catch (IOException e) {
      return false; // not a zip
    }
  }

  /** System property: ND4J's own OpenMP threads (element-wise ops, libnd4j layers); default 1. */
  public static final String OPENMP_THREADS_PROPERTY = "reffakd.dl4j.openmp.threads";

  /**
   * {@code threads} OpenBLAS threads (the matrix products) and, unless
   * {@value #OPENMP_THREADS_PROPERTY} says otherwise, one ND4J OpenMP thread: the networks'
   * element-wise and layer ops are small, and on a shared 2-core machine two OpenMP threads
   * made LeNet-5-BN training 3.5-4x slower (spinning at every op's barrier while the other
   * thread is descheduled; 226-250 vs 824-946 images/s).
   */
  @Override
  public void threads(int threads) {
    openMpThreads();
    Nd4j.factory().blas().setMaxThreads(threads);
  }

  private static volatile boolean openMpSet;

  /**
   * Sets ND4J's OpenMP threads ({@value #OPENMP_THREADS_PROPERTY}, default 1); done by
   * {@link #threads} and, if that was never called, when the first model is built (not when
   * this class loads: the service loader instantiates every backend).
   */
  static void openMpThreads() {
    int omp = Integer.getInteger(OPENMP_THREADS_PROPERTY, 1);
    Nd4j.getEnvironment().setMaxMasterThreads(omp);
    Nd4j.getEnvironment().setMaxThreads(omp);
    openMpSet = true;
  }

  static void defaultOpenMpThreads() {
    if (!openMpSet) {
      openMpThreads();
    }
  }
}
