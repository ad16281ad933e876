package org.nd4j.nativeblas;

import java.lang.reflect.Method;

/**
 * A shim that turns Deeplearning4j 1.0.0-M2.1's oneDNN (MKL-DNN) layer helpers back on.
 *
 * <p>DL4J M2.1 decides whether to use its oneDNN helpers for convolution, pooling, batch norm
 * and activations ({@code BaseMKLDNNHelper.mklDnnEnabled()}) by loading the class
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment} by name and asking it
 * {@code isUseMKLDNN()}. In M2.1 that generated binding moved to
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu}, so the lookup fails and every
 * helper is silently off (LeNet-5-BN: 124-143 s per Fashion-MNIST epoch instead of about 28 s
 * on 2 cores). This class answers the lookup under the old name by asking the real binding
 * ({@code isUseONEDNN()});
 * when the CPU backend is absent (CUDA builds) it answers false. It is used only together
 * with the system property {@code org.eclipse.deeplearning4j.helpers.disable=false}, which
 * {@link org.reffakd.dl4j.Dl4jBackend} sets unless the user set it.
 */
public final class Nd4jCpu {

  private Nd4jCpu() {}

  /** The part of the old binding that DL4J's helper check calls. */
  public static final class Environment {

    private static final Environment INSTANCE = new Environment();

    private Environment() {}

    public static Environment getInstance() {
      return INSTANCE;
    }

    /** What the CPU backend's own environment says, false without the CPU backend. */
    public boolean isUseMKLDNN() {
      try {
        Class<?> real = Class.forName(
            "org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment");
        Method getInstance = real.getMethod("getInstance");
        Object env = getInstance.invoke(null);
        // renamed too: isUseMKLDNN() is isUseONEDNN() in the M2.1 binding
        return (boolean) real.getMethod("isUseONEDNN").invoke(env);
      } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
        return false;
      }
    }
  }
}
