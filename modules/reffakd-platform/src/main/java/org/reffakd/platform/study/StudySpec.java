package org.reffakd.platform.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.reffakd.nn.loss.ConfiguredLoss;
import org.reffakd.nn.loss.LossRegistry;
import org.reffakd.nn.run.ArtifactStore;
import org.reffakd.nn.run.ReffakdRun;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.nn.run.SoftLabelVariant;
import org.reffakd.spi.LossPlugin;

/**
 * What a study compares: losses x soft-label variants x seeds x grid points x training-set
 * fractions, on one base config. Parameters ({@code params} and {@code grid}) are keyed like
 * {@code --param}: {@code dkd.beta} for one loss; an unqualified {@code alpha} or
 * {@code temperature} is reffakd's (the reference's grid is reffakd's); any other unqualified
 * key goes to every loss that has the parameter.
 *
 * @param base          the config every job starts from (dataset, data, epochs, ...)
 * @param losses        loss strategies; {@code ce} is the baseline the report compares with
 * @param variants      soft-label variants for the losses that use soft labels
 * @param seeds         the seeds; a seed fixes initialisation, data order and splits
 * @param grid          axis name to values
 * @param fractions     training-set fractions
 * @param teacherArch   the teacher of kd-like losses (one per seed and fraction)
 * @param teacherEpochs its epochs
 */
public record StudySpec(RunConfig base, List<String> losses, List<String> variants,
                        List<Long> seeds, Map<String, List<String>> grid,
                        Map<String, String> params, List<Double> fractions, String teacherArch,
                        int teacherEpochs) {

  private static final com.fasterxml.jackson.databind.ObjectMapper CANONICAL =
      new com.fasterxml.jackson.databind.ObjectMapper().enable(
          com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  /** Soft-label-using losses' reserved unqualified keys. */
  private static final List<String> REFFAKD_KEYS = List.of("alpha", "temperature");

  /** One distillation job. */
  public record Job(String id, String loss, String variant, Map<String, String> gridPoint,
                    double fraction, long seed, RunConfig config, boolean usesSoftLabels,
                    boolean usesTeacher) {}

  /**
   * A short hash of everything that determines the study's results: its id. Canonical JSON
   * (map keys sorted), so the same options give the same id in any JVM.
   */
  public String id() {
    Map<String, Object> m = new LinkedHashMap<>();
    Map<?, ?> cfg = RunConfig.JSON.convertValue(base.with("threads", 1), Map.class);
    m.put("base", cfg);
    m.put("losses", losses);
    m.put("variants", variants);
    m.put("seeds", seeds);
    m.put("grid", grid);
    m.put("params", params);
    m.put("fractions", fractions);
    m.put("teacher", teacherArch + "/" + teacherEpochs);
    try {
      return ArtifactStore.sha256(CANONICAL.writeValueAsString(m)).substring(0, 10);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What a study needs to know of a loss, found by building it once. */
  private record LossFacts(String name, boolean soft, boolean teacher, Set<String> parameters) {}

  /** The facts of every loss of the study, from one discovery of the strategies. */
  private Map<String, LossFacts> facts() {
    LossRegistry registry = registry();
    Map<String, LossFacts> out = new LinkedHashMap<>();
    for (String loss : losses) {
      try (ConfiguredLoss l = ConfiguredLoss.create(registry, loss, Map.of())) {
        out.put(loss, new LossFacts(loss, l.needs(LossPlugin.Need.SOFT_LABELS),
            l.needs(LossPlugin.Need.TEACHER),
            Set.copyOf(l.effectiveParameters().getOrDefault(loss, Map.of()).keySet())));
      }
    }
    return out;
  }

  /** Whether any loss of the study needs something. */
  public boolean anyNeeds(LossPlugin.Need need) {
    return facts().values().stream().anyMatch(f -> need == LossPlugin.Need.TEACHER ? f.teacher()
        : need == LossPlugin.Need.SOFT_LABELS && f.soft());
  }

  /** Every job, in a fixed order: fraction, seed, loss, variant, grid point. */
  public List<Job> jobs() {
    List<Job> jobs = new ArrayList<>();
    String sid = id();
    Map<String, LossFacts> facts = facts();
    for (double f : fractions) {
      for (long seed : seeds) {
        for (String loss : losses) {
          LossFacts lf = facts.get(loss);
          boolean soft = lf.soft();
          boolean teacher = lf.teacher();
          Map<String, String> fixed = applicable(lf, params);
          for (String variant : soft ? variants : List.of("-")) {
            for (Map<String, String> point : points(lf)) {
              Map<String, String> lp = new LinkedHashMap<>(fixed);
              lp.putAll(point);
              RunConfig cfg = base.with(Map.of("seed", seed, "train_fraction", f, "loss", loss,
                  "loss_params", lp));
              if (soft) {
                cfg = SoftLabelVariant.apply(cfg, variant);
              }
              if (teacher) {
                cfg = cfg.with("teacher", "artifact"); // the job carries the teacher's SHA-256
              }
              String grid = new java.util.TreeMap<>(point).entrySet().stream()
                  .map(e -> e.getKey() + "=" + e.getValue())
                  .reduce((a, b) -> a + "," + b).orElse("");
              String id = ("s" + sid + "-" + loss + "-" + variant + (grid.isEmpty() ? ""
                  : "-" + grid) + "-f" + f + "-seed" + seed).replaceAll("[^A-Za-z0-9._-]", "_");
              jobs.add(new Job(id, loss, variant, point, f, seed, cfg.validate(), soft, teacher));
            }
          }
        }
      }
    }
    return jobs;
  }

  /** The grid points of a loss: the cartesian product of the axes it has. */
  private List<Map<String, String>> points(LossFacts loss) {
    List<Map<String, String>> pts = new ArrayList<>();
    pts.add(new LinkedHashMap<>());
    for (Map.Entry<String, List<String>> axis : grid.entrySet()) {
      Map<String, String> a = applicable(loss, Map.of(axis.getKey(), "x"));
      if (a.isEmpty()) {
        continue;
      }
      String key = a.keySet().iterator().next();
      List<Map<String, String>> next = new ArrayList<>();
      for (Map<String, String> p : pts) {
        for (String v : axis.getValue()) {
          Map<String, String> q = new LinkedHashMap<>(p);
          q.put(key, v);
          next.add(q);
        }
      }
      pts = next;
    }
    return pts;
  }

  /** The parameters (by their plain names) that apply to a loss. */
  private static Map<String, String> applicable(LossFacts loss, Map<String, String> given) {
    Map<String, String> out = new LinkedHashMap<>();
    Set<String> has = loss.parameters();
    for (Map.Entry<String, String> e : given.entrySet()) {
      String k = e.getKey();
      int dot = k.indexOf('.');
      if (dot > 0) {
        if (k.substring(0, dot).equals(loss.name()) && has.contains(k.substring(dot + 1))) {
          out.put(k.substring(dot + 1), e.getValue());
        }
      } else if (REFFAKD_KEYS.contains(k) ? loss.name().equals("reffakd") && has.contains(k)
          : has.contains(k)) {
        out.put(k, e.getValue());
      }
    }
    return out;
  }

  private LossRegistry registry() {
    return LossRegistry.discover(LossRegistry.pluginDirs(
        base.plugins().stream().map(java.nio.file.Path::of).toList()));
  }

  /** Fails with one line naming the problem before anything trains. */
  public StudySpec check() {
    if (losses.isEmpty() || seeds.isEmpty() || fractions.isEmpty()) {
      throw new IllegalArgumentException("study: --losses, --seeds and --train-fraction need "
          + "at least one value each");
    }
    for (String v : variants) {
      SoftLabelVariant.apply(base, v);
    }
    for (String loss : losses) {
      if (loss.contains(":") || loss.contains(",")) {
        throw new IllegalArgumentException("study: --losses takes strategy names; a hybrid "
            + "such as " + loss + " is a run's --loss");
      }
    }
    LossRegistry registry = registry();
    Map<String, LossFacts> facts = facts();
    for (LossFacts lf : facts.values()) {
      for (Map<String, String> pt : points(lf)) {
        Map<String, String> lp = new LinkedHashMap<>(applicable(lf, params));
        lp.putAll(pt);
        // validates values against the loss's schema
        ConfiguredLoss.create(registry, lf.name(), lp).close();
      }
    }
    for (String k : grid.keySet()) {
      if (facts.values().stream().allMatch(lf -> applicable(lf, Map.of(k, "x")).isEmpty())) {
        throw new IllegalArgumentException("study: --grid " + k + ": no loss of the study has "
            + "that parameter");
      }
    }
    ReffakdRun.loss(base.with(Map.of("loss", "ce", "loss_params", Map.of()))).close();
    return this;
  }
}
