package org.reffakd.engine.java;

import java.util.List;

/**
 * SGD with momentum and L2 weight decay, as torch.optim.SGD (dampening 0, no Nesterov):
 * g += wd * w; v = mu * v + g; w -= lr * v. Clears gradients after each step.
 */
public final class Sgd {

  private final List<Param> params;
  private final float momentum;
  private final float weightDecay;
  private final float[][] velocity;

  public Sgd(List<Param> params, double momentum, double weightDecay) {
    this.params = List.copyOf(params);
    this.momentum = (float) momentum;
    this.weightDecay = (float) weightDecay;
    this.velocity = new float[this.params.size()][];
    for (int i = 0; i < velocity.length; i++) {
      velocity[i] = new float[this.params.get(i).size()];
    }
  }

  public void step(double lr) {
    float lrf = (float) lr;
    for (int p = 0; p < params.size(); p++) {
      Param pa = params.get(p);
      float[] w = pa.value;
      float[] g = pa.grad;
      float[] v = velocity[p];
      for (int i = 0; i < w.length; i++) {
        float gi = g[i] + weightDecay * w[i];
        float vi = momentum * v[i] + gi;
        v[i] = vi;
        w[i] -= lrf * vi;
        g[i] = 0f;
      }
    }
  }

  /** Momentum buffers, for checkpoints (same order as the parameters). */
  public float[][] velocity() {
    return velocity;
  }
}
