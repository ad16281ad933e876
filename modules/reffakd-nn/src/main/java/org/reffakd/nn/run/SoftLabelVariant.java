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
    StringBuilder sb = new StringBuilder(Boolean.FALSE.equals(cfg.softAugment()) ? "clean"
        : "paper");
    if (cfg.softCentered()) {
      sb.append("+centered");
    }
    if (cfg.softTemperature() != 1.0) {
      sb.append("+t").append(num(cfg.softTemperature()));
    }
    if (cfg.softPerClass() != 40) {
      sb.append("+n").append(cfg.softPerClass());
    }
    if (cfg.softDiagonalBoost() != null
        && cfg.softDiagonalBoost() != SoftLabelOptions.paperBoost(cfg.dataset())) {
      sb.append("+boost").append(num(cfg.softDiagonalBoost()));
    }
    return sb.toString();
  }

  /** The config's soft-label fields set to a variant (fails naming the bad part). */
  public static RunConfig apply(RunConfig cfg, String variant) {
    Map<String, Object> f = new LinkedHashMap<>();
    String[] parts = variant.trim().toLowerCase(Locale.ROOT).split("\\+");
    switch (parts[0]) {
      case "paper" -> f.put("soft_augment", true);
      case "clean" -> f.put("soft_augment", false);
      default -> throw new IllegalArgumentException("soft-label variant '" + variant
          + "': must start with paper or clean (then +centered, +t<X>, +n<N>, +boost<B>)");
    }
    f.put("soft_centered", false);
    f.put("soft_temperature", 1.0);
    f.put("soft_per_class", 40);
    f.put("soft_diagonal_boost", null);
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i];
      try {
        if (p.equals("centered")) {
          f.put("soft_centered", true);
        } else if (p.startsWith("boost")) {
          f.put("soft_diagonal_boost", Double.parseDouble(p.substring(5)));
        } else if (p.startsWith("t")) {
          f.put("soft_temperature", Double.parseDouble(p.substring(1)));
        } else if (p.startsWith("n")) {
          f.put("soft_per_class", Integer.parseInt(p.substring(1)));
        } else {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("soft-label variant '" + variant + "': unknown part '"
            + p + "' (use centered, t<X>, n<N>, boost<B>)");
      }
    }
    return cfg.with(f).validate();
  }

  private static String num(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
