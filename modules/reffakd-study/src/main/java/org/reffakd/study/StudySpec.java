package org.reffakd.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.reffakd.nn.loss.ConfiguredLoss;
import org.reffakd.nn.loss.LossRegistry;
import org.reffakd.nn.run.ArtifactStore;
import org.reffakd.nn.run.Preflight;
import org.reffakd.nn.run.RunConfig;
import org.reffakd.nn.run.SoftLabelVariant;
import org.reffakd.spi.LossPlugin;

/**
 * What a study compares: losses x soft-label variants x seeds x grid points x training-set
 * fractions x student epoch budgets, on one base config. Parameters ({@code params} and {@code
 * grid}) are keyed like {@code --param} and routed by the run's rule ({@link
 * ConfiguredLoss#route}) over the study's losses: {@code dkd.beta} for one loss; an unqualified
 * {@code alpha} or {@code temperature} is reffakd's when reffakd is one of them; any other
 * unqualified key goes to every loss that has the parameter.
 *
 * @param base          the config every job starts from (dataset, data, epochs, ...)
 * @param losses        loss strategies; {@code ce} is the baseline the report compares with
 * @param variants      soft-label variants for the losses that use soft labels
 * @param seeds         the seeds; a seed fixes initialisation, data order and splits
 * @param grid          axis name to values
 * @param fractions     training-set fractions
 * @param teacherArch   the teacher of kd-like losses (one per seed and fraction)
 * @param teacherEpochs its epochs
 * @param epochs        the student's epoch budgets (an axis like fractions; null or empty: the
 *                      base config's epochs)
 * @param epochsAt      budgets of particular fractions ({@code --epochs-at 0.02:30}), replacing
 *                      {@code epochs} for them: a low fraction may need more epochs to converge
 */
public record StudySpec(RunConfig base, List<String> losses, List<String> variants,
                        List<Long> seeds, Map<String, List<String>> grid,
                        Map<String, String> params, List<Double> fractions, String teacherArch,
                        int teacherEpochs, List<Integer> epochs,
                        Map<Double, List<Integer>> epochsAt) {

  public StudySpec {
    epochs = epochs == null || epochs.isEmpty() ? List.of(base.student().epochs()) : List.copyOf(epochs);
    epochsAt = epochsAt == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(epochsAt));
  }

  /** A study whose fractions share the epoch budgets. */
  public StudySpec(RunConfig base, List<String> losses, List<String> variants, List<Long> seeds,
                   Map<String, List<String>> grid, Map<String, String> params,
                   List<Double> fractions, String teacherArch, int teacherEpochs,
                   List<Integer> epochs) {
    this(base, losses, variants, seeds, grid, params, fractions, teacherArch, teacherEpochs,
        epochs, null);
  }

  /** The epoch budgets of a fraction's students. */
  public List<Integer> epochsFor(double fraction) {
    return epochsAt.getOrDefault(fraction, epochs);
  }

  /** Whether the study has more than one epoch budget (then job ids name theirs). */
  private boolean severalBudgets() {
    return fractions.stream().flatMap(f -> epochsFor(f).stream()).distinct().count() > 1;
  }

  /** A study with one epoch budget, the base config's. */
  public StudySpec(RunConfig base, List<String> losses, List<String> variants, List<Long> seeds,
                   Map<String, List<String>> grid, Map<String, String> params,
                   List<Double> fractions, String teacherArch, int teacherEpochs) {
    this(base, losses, variants, seeds, grid, params, fractions, teacherArch, teacherEpochs,
        null, null);
  }

  /** This study with other seeds (the same id: seeds can be added to a study). */
  public StudySpec withSeeds(List<Long> s) {
    return new StudySpec(base, losses, variants, s, grid, params, fractions, teacherArch,
        teacherEpochs, epochs, epochsAt);
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper CANONICAL =
      new com.fasterxml.jackson.databind.ObjectMapper().enable(
          com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  /** One distillation job; {@code epochs} is its student's epoch budget. */
  public record Job(String id, String loss, String variant, Map<String, String> gridPoint,
                    double fraction, int epochs, long seed, RunConfig config,
                    boolean usesSoftLabels, boolean usesTeacher) {}

  /**
   * A short hash of everything that determines each job's result but the seed: its id.
   * Canonical JSON (map keys sorted), so the same options give the same id in any JVM. The seeds
   * are left out: a seed changes which jobs there are, not what any other seed's job computes, so
   * running the study again with more seeds (same --out) adds only the new seeds' work. The
   * epoch budgets are in only when there are several (one is the base config's epochs).
   */
  public String id() {
    Map<String, Object> m = new LinkedHashMap<>();
    Map<?, ?> cfg = RunConfig.JSON.convertValue(base.withThreads(1), Map.class);
    m.put("base", cfg);
    m.put("losses", losses);
    m.put("variants", variants);
    m.put("grid", grid);
    m.put("params", params);
    m.put("fractions", fractions);
    m.put("teacher", teacherArch + "/" + teacherEpochs);
    if (!epochs.equals(List.of(base.student().epochs()))) {
      m.put("epochs", epochs);
    }
    if (!epochsAt.isEmpty()) {
      Map<String, List<Integer>> at = new java.util.TreeMap<>();
      epochsAt.forEach((f, e) -> at.put(f.toString(), e));
      m.put("epochs_at", at);
    }
    try {
      return ArtifactStore.sha256(CANONICAL.writeValueAsString(m)).substring(0, 10);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What a study needs to know of a loss, found by building it once. */
  private record LossFacts(String name, boolean soft, boolean teacher, Set<String> parameters) {}

  /** The strategies the study can use (LossRegistry finds them once per process). */
  private LossRegistry registry() {
    return LossRegistry.discover(LossRegistry.pluginDirs(
        base.objective().plugins().stream().map(java.nio.file.Path::of).toList()));
  }

  /** The facts of every loss of the study. */
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

  /** Every job, in a fixed order: fraction, epoch budget, seed, loss, variant, grid point. */
  public List<Job> jobs() {
    List<Job> jobs = new ArrayList<>();
    String sid = id();
    Map<String, LossFacts> facts = facts();
    for (double f : fractions) {
      for (int ep : epochsFor(f)) {
        for (long seed : seeds) {
          for (String loss : losses) {
            LossFacts lf = facts.get(loss);
            boolean soft = lf.soft();
            boolean teacher = lf.teacher();
            Map<String, String> fixed = applicable(facts, lf, params);
            for (String variant : soft ? variants : List.of("-")) {
              for (Map<String, String> point : points(facts, lf)) {
                Map<String, String> lp = new LinkedHashMap<>(fixed);
                lp.putAll(point);
                RunConfig cfg = base.withRoute(seed, f).withLoss(loss, lp);
                cfg = cfg.withStudent(cfg.student().withEpochs(ep));
                if (soft) {
                  cfg = SoftLabelVariant.apply(cfg, variant);
                }
                if (teacher) {
                  cfg = cfg.withObjective(cfg.objective().withTeacher("artifact")); // the job carries the teacher's SHA-256
                }
                String grid = new java.util.TreeMap<>(point).entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue())
                    .reduce((a, b) -> a + "," + b).orElse("");
                String id = ("s" + sid + "-" + loss + "-" + variant + (grid.isEmpty() ? ""
                    : "-" + grid) + "-f" + f + (severalBudgets() ? "-e" + ep : "") + "-seed"
                    + seed).replaceAll("[^A-Za-z0-9._-]", "_");
                jobs.add(new Job(id, loss, variant, point, f, ep, seed, cfg.validate(), soft,
                    teacher));
              }
            }
          }
        }
      }
    }
    return jobs;
  }

  /** The grid points of a loss: the cartesian product of the axes it has. */
  private List<Map<String, String>> points(Map<String, LossFacts> facts, LossFacts loss) {
    List<Map<String, String>> pts = new ArrayList<>();
    pts.add(new LinkedHashMap<>());
    for (Map.Entry<String, List<String>> axis : grid.entrySet()) {
      Map<String, String> a = applicable(facts, loss, Map.of(axis.getKey(), "x"));
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

  /** The parameters (by their plain names) that apply to a loss, by the run's rule. */
  private static Map<String, String> applicable(Map<String, LossFacts> facts, LossFacts loss,
                                                Map<String, String> given) {
    Map<String, Set<String>> declared = new LinkedHashMap<>();
    facts.values().forEach(f -> declared.put(f.name(), f.parameters()));
    return ConfiguredLoss.route(declared, given).params().getOrDefault(loss.name(), Map.of());
  }

  /**
   * Checks every seed's and fraction's labelled images against the training labels (before
   * anything trains): each class keeps an image, and when a loss uses soft labels, at least
   * soft_per_class images, since the draw uses only the labelled images a route has. Fails with
   * one line naming the fraction and soft_per_class.
   */
  public StudySpec checkFractions(int[] labels, List<String> classNames) {
    boolean soft = anyNeeds(LossPlugin.Need.SOFT_LABELS);
    for (double f : fractions) {
      for (long seed : seeds) {
        RunConfig cfg = base.withRoute(seed, f);
        if (!soft) {
          Preflight.checkLabelled(cfg, labels, classNames, false);
          continue;
        }
        for (String v : variants) { // a variant sets its own per-class count (+n<N>)
          Preflight.checkLabelled(SoftLabelVariant.apply(cfg, v), labels, classNames, true);
        }
      }
    }
    return this;
  }

  /**
   * The config of the autoencoder of a seed and fraction: the base's, with the smallest
   * per-class draw of the study's variants (the autoencoder's pre-flight checks the draw; the
   * variants, not the base, set its size).
   */
  public RunConfig autoencoderConfig(long seed, double fraction) {
    RunConfig cfg = base.withRoute(seed, fraction);
    int perClass = variants.stream().mapToInt(v -> SoftLabelVariant.apply(cfg, v)
        .soft().perClass()).min().orElse(cfg.soft().perClass());
    return cfg.withSoft(cfg.soft().withPerClass(perClass));
  }

  /** Fails with one line naming the problem before anything trains. */
  public StudySpec check() {
    if (losses.isEmpty() || seeds.isEmpty() || fractions.isEmpty()) {
      throw new IllegalArgumentException("study: --losses, --seeds and --train-fraction need "
          + "at least one value each");
    }
    for (double f : epochsAt.keySet()) {
      if (!fractions.contains(f)) {
        throw new IllegalArgumentException("study: --epochs-at " + f + ": not one of the "
            + "study's --train-fraction " + fractions);
      }
    }
    for (int e : epochsAt.values().stream().flatMap(List::stream).toList()) {
      if (e < 1) {
        throw new IllegalArgumentException("study: --epochs-at: every budget must be >= 1, got "
            + e);
      }
    }
    for (int e : epochs) {
      if (e < 1) {
        throw new IllegalArgumentException("study: --epochs " + e + ": every budget must be >= 1");
      }
    }
    if (new java.util.HashSet<>(epochs).size() != epochs.size()
        || new java.util.HashSet<>(fractions).size() != fractions.size()) {
      throw new IllegalArgumentException("study: --epochs and --train-fraction take each value "
          + "once");
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
      for (Map<String, String> pt : points(facts, lf)) {
        Map<String, String> lp = new LinkedHashMap<>(applicable(facts, lf, params));
        lp.putAll(pt);
        // validates values against the loss's schema
        ConfiguredLoss.create(registry, lf.name(), lp).close();
      }
    }
    for (String k : grid.keySet()) {
      if (facts.values().stream().allMatch(lf -> applicable(facts, lf, Map.of(k, "x")).isEmpty())) {
        throw new IllegalArgumentException("study: --grid " + k + ": no loss of the study has "
            + "that parameter");
      }
    }
    return this;
  }
}
