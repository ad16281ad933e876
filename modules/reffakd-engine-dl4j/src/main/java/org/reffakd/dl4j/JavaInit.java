package org.reffakd.dl4j;

import java.util.Map;
import org.reffakd.nn.model.JavaBackend;

/**
 * The java engine's initial weights for a seed, by state name ({@link JavaBackend}'s models'
 * {@code state()}): a seed means the same network in both backends.
 */
final class JavaInit {

  private static final JavaBackend JAVA = new JavaBackend();

  private JavaInit() {}

  static Map<String, float[]> classifier(NetPlan plan, int classes, long seed) {
    return JAVA.classifier(plan.arch, plan.channels, plan.side, classes, seed).state();
  }

  static Map<String, float[]> autoencoder(NetPlan plan, long seed) {
    return JAVA.autoencoder(plan.channels, seed).state();
  }
}
