package org.reffakd.nn.loss;

import java.util.List;

/** Creates the built-in strategies by name. */
public final class Losses {

  public static final List<String> NAMES = List.of("ce", "reffakd");

  private Losses() {}

  public static LossStrategy create(String name, double alpha, double temperature,
                                    String reduction) {
    return switch (name) {
      case "ce" -> new CrossEntropyLoss();
      case "reffakd" -> new ReffakdLoss(alpha, temperature, ReffakdLoss.Reduction.parse(reduction));
      default -> throw new IllegalArgumentException("unknown loss '" + name + "' (known: "
          + String.join(", ", NAMES) + ")");
    };
  }
}
