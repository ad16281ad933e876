package org.reffakd.nn.train;

/**
 * Learning rate per epoch: {@code step} multiplies by 0.2 at 30%, 60% and 80% of the epochs
 * (the reference's 60/120/160 of 200), {@code cosine} anneals to 0 over the run.
 */
public record LrSchedule(String kind, double base, int epochs) {

  public LrSchedule {
    if (!kind.equals("step") && !kind.equals("cosine") && !kind.equals("constant")) {
      throw new IllegalArgumentException("unknown schedule '" + kind
          + "' (valid: step, cosine, constant)");
    }
    if (!(base > 0)) {
      throw new IllegalArgumentException("learning rate must be > 0, got " + base);
    }
  }

  /** Rate for a 0-based epoch. */
  public double at(int epoch) {
    return switch (kind) {
      case "cosine" -> base * 0.5 * (1 + Math.cos(Math.PI * epoch / epochs));
      case "step" -> {
        double lr = base;
        for (double f : new double[] {0.3, 0.6, 0.8}) {
          if (epoch >= Math.round(f * epochs)) {
            lr *= 0.2;
          }
        }
        yield lr;
      }
      default -> base;
    };
  }
}
