package org.reffakd.dl4j;

import java.util.Map;
import org.reffakd.backend.Backend;
import org.reffakd.backend.Backends;
import org.reffakd.backend.Trainable;

/**
 * What this backend takes from the java engine, through the seam ({@link Backends#get} by name,
 * found with ServiceLoader at run time; this module does not compile against it): the initial
 * weights for a seed by state name, so a seed means the same network in both backends, and the
 * multiply-accumulates per image, so both report the same work.
 */
final class JavaInit {

  private JavaInit() {}

  static Backend java() {
    return Backends.get("java");
  }

  static Map<String, float[]> classifier(NetPlan plan, int classes, long seed) {
    try (Trainable m = java().classifier(plan.arch, plan.channels, plan.side, classes, seed)) {
      return m.state();
    }
  }

  static Map<String, float[]> autoencoder(NetPlan plan, long seed) {
    try (Trainable m = java().autoencoder(plan.channels, seed)) {
      return m.state();
    }
  }

  static long classifierMacs(String arch, int channels, int side, int classes) {
    try (Trainable m = java().classifier(arch, channels, side, classes, 0)) {
      return m.macsPerImage(channels, side);
    }
  }

  static long autoencoderMacs(int channels, int side) {
    try (Trainable m = java().autoencoder(channels, 0)) {
      return m.macsPerImage(channels, side);
    }
  }
}
