package org.reffakd.nn.run;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.reffakd.nn.softlabel.SoftLabelOptions;

/**
 * Named soft-label variants: a base and optional modifiers joined by {@code +}.
 * <ul>
 *   <li>{@code paper}: the reference's procedure (the 40 drawn images per class are encoded
 *       after augmentation, cosine of every pair, class-pair means, paper boost, row softmax);
 *   <li>{@code clean}: the same draw, encoded without augmentation;
 *   <li>modifiers, beyond the paper: {@code centered} (centre the embeddings first),
 *       {@code t<X>} (softmax(avg / X), e.g. {@code t0.05}), {@code n<N>} (images per class),
 *       {@code boost<B>} (diagonal boost).
 * </ul>
 * Examples: {@code paper}, {@code clean}, {@code clean+centered}, {@code paper+t0.05}. The name
 * is derived from a config's soft-label fields, so it is recorded in every artefact's provenance.
 */
public final class SoftLabelVariant {

  private SoftLabelVariant() {}

  /** The variant a config describes. */
  public static String name(RunConfig cfg) {
    StringBuilder sb = new StringBuilder(Boolean.FALSE.equals(cfg.soft().augment()) ? "clean"
        : "paper");
    if (cfg.soft().centered()) {
      sb.append("+centered");
    }
    if (cfg.soft().temperature() != 1.0) {
      sb.append("+t").append(num(cfg.soft().temperature()));
    }
    if (cfg.soft().perClass() != 40) {
      sb.append("+n").append(cfg.soft().perClass());
    }
    if (cfg.soft().diagonalBoost() != null
        && cfg.soft().diagonalBoost() != SoftLabelOptions.paperBoost(cfg.dataset())) {
      sb.append("+boost").append(num(cfg.soft().diagonalBoost()));
    }
    return sb.toString();
  }

  /** The config's soft-label fields set to a variant (fails naming the bad part). */
  public static RunConfig apply(RunConfig cfg, String variant) {
    String[] parts = variant.trim().toLowerCase(Locale.ROOT).split("\\+");
    boolean augment = switch (parts[0]) {
      case "paper" -> true;
      case "clean" -> false;
      default -> throw new IllegalArgumentException("soft-label variant '" + variant
          + "': must start with paper or clean (then +centered, +t<X>, +n<N>, +boost<B>)");
    };
    boolean centered = false;
    double temperature = 1.0;
    int perClass = 40;
    Double boost = null;
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i];
      try {
        if (p.equals("centered")) {
          centered = true;
        } else if (p.startsWith("boost")) {
          boost = Double.parseDouble(p.substring(5));
        } else if (p.startsWith("t")) {
          temperature = Double.parseDouble(p.substring(1));
        } else if (p.startsWith("n")) {
          perClass = Integer.parseInt(p.substring(1));
        } else {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("soft-label variant '" + variant + "': unknown part '"
            + p + "' (use centered, t<X>, n<N>, boost<B>)");
      }
    }
    return cfg.withSoft(new RunConfig.SoftLabelSpec(perClass, boost, temperature, centered,
        augment)).validate();
  }

  private static String num(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
