package org.reffakd.nn.run;

import java.lang.management.ManagementFactory;

/**
 * Measuring a piece of work's {@link Cost}: computed figures
 * (parameters, forward multiply-adds per image, training FLOPs) apart from measured ones (wall
 * time, process CPU time, the process's peak resident memory). Training FLOPs use the usual
 * estimate: 2 FLOPs per multiply-add, and a backward pass costing twice the forward one, so
 * 6 x MACs per training image; a frozen teacher adds 2 x its MACs per image.
 */
public final class Costs {

  private Costs() {}

  /** A stopwatch over wall and process CPU time. */
  public static final class Meter {
    private final long wall0 = System.nanoTime();
    private final double cpu0 = cpuSeconds();

    public double wallSeconds() {
      return (System.nanoTime() - wall0) / 1e9;
    }

    public double cpuSeconds() {
      return Costs.cpuSeconds() - cpu0;
    }

    /** The cost so far: computed figures given, wall and CPU time since the meter started. */
    public Cost cost(long parameters, long macsPerImage, double trainingFlops) {
      return new Cost(parameters, macsPerImage, trainingFlops, wallSeconds(), cpuSeconds(),
          Benchmark.peakRssMb());
    }
  }

  /** 6 x MACs per image x images: the training FLOPs of forward + backward passes. */
  public static double trainingFlops(long macsPerImage, long imagesSeen) {
    return 6.0 * macsPerImage * imagesSeen;
  }

  /** CPU time of this process (all threads), or NaN where the JVM does not tell. */
  public static double cpuSeconds() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime() / 1e9;
    }
    return Double.NaN;
  }
}
