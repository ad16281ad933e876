package org.reffakd.engine.java;

import java.util.Random;

/** Parameter initialisation as PyTorch's defaults do it: U(-1/sqrt(fanIn), 1/sqrt(fanIn)). */
final class Init {

  private Init() {}

  static void uniformFanIn(float[] w, int fanIn, Random rng) {
    double bound = 1.0 / Math.sqrt(fanIn);
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
    }
  }
}
