package org.reffakd.nn.run;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cost of a piece of work, as result.json and the study report it: computed figures
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

    /** {computed: {...}, measured: {wall_seconds, cpu_seconds, peak_rss_mb}}. */
    public Map<String, Object> cost(long parameters, long macsPerImage, double trainingFlops) {
      Map<String, Object> computed = new LinkedHashMap<>();
      computed.put("parameters", parameters);
      computed.put("macs_per_image", macsPerImage);
      computed.put("training_flops", trainingFlops);
      Map<String, Object> measured = new LinkedHashMap<>();
      measured.put("wall_seconds", wallSeconds());
      measured.put("cpu_seconds", cpuSeconds());
      measured.put("peak_rss_mb", Benchmark.peakRssMb());
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("computed", computed);
      c.put("measured", measured);
      c.put("note", "computed: from the architecture; measured: this process (CPU time and "
          + "peak RSS are the process's, shared with whatever else it ran)");
      return c;
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
