package org.reffakd.dl4j;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reffakd.nn.engine.Param;
import org.reffakd.nn.model.Autoencoder;
import org.reffakd.nn.model.Models;
import org.reffakd.nn.model.Network;

/**
 * The java engine's initial weights for a seed, by state name: the java models are built with
 * the same seed and their parameters (and batch-norm buffers) are named in order with the
 * plan's bindings (which follow the java engine's module order).
 */
final class JavaInit {

  private JavaInit() {}

  static Map<String, float[]> classifier(NetPlan plan, int classes, long seed) {
    Network net = Models.create(plan.arch, plan.channels, plan.side, classes, seed);
    return name(plan, net.params(), net.buffers());
  }

  static Map<String, float[]> autoencoder(NetPlan plan, long seed) {
    return name(plan, new Autoencoder(plan.channels, seed).params(), List.of());
  }

  static Map<String, float[]> name(NetPlan plan, List<Param> params, List<float[]> buffers) {
    Map<String, float[]> state = new LinkedHashMap<>();
    int p = 0;
    int b = 0;
    for (Binding bind : plan.bindings) {
      float[] v = bind.trainable() ? params.get(p++).value : buffers.get(b++);
      if (v.length != bind.length()) {
        throw new IllegalStateException("java engine's " + plan.arch + " has " + v.length
            + " values where " + bind.name() + " needs " + bind.length());
      }
      state.put(bind.name(), v.clone());
    }
    if (p != params.size() || b != buffers.size()) {
      throw new IllegalStateException("java engine's " + plan.arch + " has " + params.size()
          + " parameters and " + buffers.size() + " buffers, the DL4J plan " + p + " and " + b);
    }
    return state;
  }
}
