package org.reffakd.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.reffakd.nn.run.RunConfig;

/**
 * What {@code run --resume DIR} lets the command line change in the run's config.json.
 * <ul>
 *   <li>{@code --threads}, {@code --plugins} and the flags that are not part of the config
 *       (dashboard, Kafka, --direct) change nothing computed: allowed.
 *   <li>{@code --epochs} may be raised: the student continues from its last epoch; its schedule
 *       is that of the new total (cosine and step are recomputed for it from the resumed epoch
 *       on). Lowering it is refused.
 *   <li>The soft-label options may change while the soft labels were never computed (no
 *       soft_labels.csv or result.json in DIR).
 *   <li>Anything else would change what was already computed: refused, naming the option.
 *       Every field is compared with the value the run uses, defaults included (the engine,
 *       which config.json leaves out when it is the default, too), so a finished run is never
 *       recomputed under another config and rewritten.
 * </ul>
 */
final class ResumeRules {

  private ResumeRules() {}

  private static final Map<String, String> FLAGS = new LinkedHashMap<>();

  static {
    for (String f : new String[] {"dataset", "data", "image_size", "arch", "ae_epochs",
        "ae_lr", "epochs", "batch_size", "lr", "schedule", "loss", "teacher", "seed",
        "val_size", "train_fraction", "soft_per_class", "soft_temperature", "soft_centered"}) {
      FLAGS.put(f, "--" + f.replace('_', '-'));
    }
    FLAGS.put("augment", "--no-augment");
    FLAGS.put("soft_diagonal_boost", "--soft-boost");
    FLAGS.put("soft_augment", "--soft-variant");
    FLAGS.put("engine", "--engine");
    FLAGS.put("ae_pool", "--ae-pool");
  }

  private static final java.util.Set<String> ALLOWED = java.util.Set.of("threads", "plugins");
  private static final java.util.Set<String> SOFT = java.util.Set.of("soft_per_class",
      "soft_diagonal_boost", "soft_temperature", "soft_centered", "soft_augment");

  /**
   * The config to resume with: {@code asked} (config.json with the command line on top) when
   * every change is allowed; otherwise fails with one line naming the first option refused.
   */
  static RunConfig check(RunConfig was, RunConfig asked, Path dir, boolean softVariantGiven) {
    Map<String, Object> a = effective(was);
    Map<String, Object> b = effective(asked);
    boolean softComputed = Files.exists(dir.resolve("soft_labels.csv"))
        || Files.exists(dir.resolve("result.json"));
    TreeSet<String> fields = new TreeSet<>(a.keySet());
    fields.addAll(b.keySet());
    for (String field : fields) {
      Object before = a.get(field);
      Object now = b.get(field);
      if (Objects.equals(before, now) || ALLOWED.contains(field)) {
        continue;
      }
      if (field.equals("epochs")) {
        if (asked.student().epochs() < was.student().epochs()) {
          throw new IllegalArgumentException("--epochs can only be raised on --resume: the run "
              + "was set to " + was.student().epochs() + " epochs, got " + asked.student().epochs());
        }
        continue;
      }
      if (SOFT.contains(field)) {
        if (!softComputed) {
          continue;
        }
        String flag = softVariantGiven ? "--soft-variant" : FLAGS.get(field);
        throw new IllegalArgumentException(flag + " cannot change on --resume: the soft "
            + "labels were computed with " + field + " " + before + " (" + dir.resolve(
            "soft_labels.csv") + ")");
      }
      if (field.equals("loss_params")) {
        Map<?, ?> pa = (Map<?, ?>) before;
        Map<?, ?> pb = (Map<?, ?>) now;
        TreeSet<String> keys = new TreeSet<>();
        pa.keySet().forEach(k -> keys.add(k.toString()));
        pb.keySet().forEach(k -> keys.add(k.toString()));
        for (String k : keys) {
          if (!Objects.equals(pa.get(k), pb.get(k))) {
            String flag = switch (k) {
              case "alpha" -> "--alpha";
              case "temperature" -> "--temperature";
              case "reffakd.reduction" -> "--kl-reduction";
              default -> "--param " + k;
            };
            throw new IllegalArgumentException(flag + " cannot change on --resume: the run was "
                + "trained with " + (pa.containsKey(k) ? k + " " + pa.get(k)
                : k.equals("reffakd.reduction") ? "the default KL reduction (reference)"
                : "the default " + k));
          }
        }
        continue;
      }
      String flag = FLAGS.getOrDefault(field, field);
      throw new IllegalArgumentException(flag + " cannot change on --resume: the run was "
          + "trained with " + field + " " + before);
    }
    return asked;
  }

  /**
   * Every field of a config by its config.json name, with the value the run uses: a field
   * config.json leaves out when it has its default (the engine, ae_pool) is there with that default, so
   * {@code --engine dl4j} on a run of the default engine is a change like any other.
   */
  private static Map<String, Object> effective(RunConfig cfg) {
    @SuppressWarnings("unchecked")
    Map<String, Object> m = new LinkedHashMap<>(RunConfig.JSON.convertValue(cfg, Map.class));
    m.put("engine", cfg.engine());
    m.put("ae_pool", cfg.autoencoder().pool()); // left out at its default (labelled), like the engine
    return m;
  }
}
