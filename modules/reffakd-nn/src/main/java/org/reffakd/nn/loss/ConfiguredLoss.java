package org.reffakd.nn.loss;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.reffakd.spi.LossFunction;
import org.reffakd.spi.LossInput;
import org.reffakd.spi.LossOutput;
import org.reffakd.spi.LossPlugin;
import org.reffakd.spi.ParameterSpec;
import org.reffakd.spi.Parameters;

/**
 * The loss of a run: one strategy, or a weighted sum of several ({@code reffakd:0.5,dkd:0.5}),
 * each created from its plugin with validated parameters. A hybrid reuses the strategies as
 * they are: terms keep their names (terms of the same name from two strategies add up) and the
 * gradients add with the weights.
 *
 * <p>Parameters are given as {@code key=value} and routed by {@link #route}, the one rule that
 * runs and studies share: {@code strategy.key} ({@code dkd.beta}) goes to that strategy only; a
 * plain key ({@code beta}) to every named strategy that declares it, except {@code alpha} and
 * {@code temperature}, which are reffakd's alone when reffakd is one of the named strategies
 * (the reference's grid is reffakd's; {@code kd.alpha} reaches kd). A key no strategy takes is
 * refused before training starts.
 *
 * <p><b>Checked at the boundary.</b> Every trainer calls a loss through this class, so it checks
 * what crosses the plugin contract, once per batch, before the step: the input (labels in
 * [0, classes), logits, soft targets and teacher logits finite, soft targets and teacher logits
 * present when a strategy needs them) and each strategy's output (a finite gradient of n x
 * classes values, finite terms). A violation fails with one message that names the loss, the
 * strategy and its origin (jar or built-in), and the epoch and batch; a strategy that throws is
 * reported the same way. A NaN therefore never reaches the weights.
 */
public final class ConfiguredLoss implements LossFunction {

  private record Part(String name, double weight, LossFunction fn, PluginOrigin origin,
                      Set<LossPlugin.Need> needs) {

    /** {@code built-in loss 'ce'} or {@code loss plugin 'lskd' from /path/lskd.jar}. */
    String who() {
      return origin.builtIn() ? "built-in loss '" + name + "'"
          : "loss plugin '" + name + "' from " + origin;
    }
  }

  private final String spec;
  private final List<Part> parts;
  private final Set<LossPlugin.Need> needs;
  private final Map<String, Map<String, Object>> effectiveParams;
  private final List<String> pluginProblems;

  private ConfiguredLoss(String spec, List<Part> parts, Set<LossPlugin.Need> needs,
                         Map<String, Map<String, Object>> effectiveParams,
                         List<String> pluginProblems) {
    this.spec = spec;
    this.parts = parts;
    this.needs = needs;
    this.effectiveParams = effectiveParams;
    this.pluginProblems = pluginProblems;
  }

  /** Parses {@code name} or {@code name:weight,name:weight,...}. */
  public static ConfiguredLoss create(LossRegistry registry, String spec,
                                      Map<String, String> params) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("--loss is empty");
    }
    Map<String, Double> weights = new LinkedHashMap<>();
    for (String item : spec.split(",")) {
      String[] nw = item.trim().split(":", -1);
      if (nw.length > 2 || nw[0].isBlank()) {
        throw new IllegalArgumentException("--loss '" + spec + "': expected name or "
            + "name:weight,name:weight");
      }
      double w = 1;
      if (nw.length == 2) {
        try {
          w = Double.parseDouble(nw[1]);
        } catch (NumberFormatException e) {
          w = Double.NaN;
        }
        if (!(w > 0) || Double.isInfinite(w)) {
          throw new IllegalArgumentException("--loss '" + spec + "': weight of " + nw[0]
              + " must be a number > 0, got '" + nw[1] + "'");
        }
      }
      if (weights.put(nw[0].trim(), w) != null) {
        throw new IllegalArgumentException("--loss '" + spec + "': " + nw[0] + " given twice");
      }
    }
    Map<String, Set<String>> declared = new LinkedHashMap<>();
    for (String n : weights.keySet()) {
      LossPlugin plugin = registry.get(n).plugin();
      Set<String> keys = new LinkedHashSet<>();
      for (ParameterSpec ps : plugin.parameters()) {
        keys.add(ps.name());
      }
      declared.put(plugin.name(), keys);
    }
    Routed routed = route(declared, params);
    List<Part> parts = new ArrayList<>();
    Set<LossPlugin.Need> needs = EnumSet.noneOf(LossPlugin.Need.class);
    Map<String, Map<String, Object>> effective = new LinkedHashMap<>();
    for (Map.Entry<String, Double> e : weights.entrySet()) {
      LossRegistry.Entry entry = registry.get(e.getKey());
      LossPlugin plugin = entry.plugin();
      String name = plugin.name();
      Map<String, String> mine = routed.params().getOrDefault(name, Map.of());
      Parameters validated = Parameters.validate(name, plugin.parameters(), mine);
      effective.put(name, validated.asMap());
      LossFunction fn;
      try {
        fn = plugin.create(validated);
      } catch (RuntimeException | LinkageError ex) {
        for (Part made : parts) {
          made.fn().close();
        }
        Part failed = new Part(name, e.getValue(), null, entry.origin(), Set.of());
        throw new IllegalStateException(failed.who() + " failed to create: " + message(ex), ex);
      }
      if (fn == null) {
        throw new IllegalStateException(new Part(name, 1, null, entry.origin(), Set.of()).who()
            + " failed to create: create() returned null");
      }
      Set<LossPlugin.Need> partNeeds = EnumSet.noneOf(LossPlugin.Need.class);
      partNeeds.addAll(plugin.needs());
      parts.add(new Part(name, e.getValue(), fn, entry.origin(), partNeeds));
      needs.addAll(partNeeds);
    }
    for (String k : routed.unused()) {
      throw new IllegalArgumentException("loss " + spec + ": no strategy takes parameter '"
          + k + "'" + (k.contains(".") ? "" : " (use strategy.key for one strategy)"));
    }
    return new ConfiguredLoss(spec, List.copyOf(parts), needs, effective, registry.problems());
  }

  /** Strategies' parameters by their plain names, and the given keys none of them takes. */
  public record Routed(Map<String, Map<String, String>> params, List<String> unused) {}

  /** Plain parameter names that are reffakd's alone when reffakd is among the named strategies. */
  private static final Set<String> REFFAKD_KEYS = Set.of("alpha", "temperature");

  /**
   * Where parameters go, the one rule of runs and studies: {@code strategy.key} to that
   * strategy (unknown keys are left for its validation to refuse); a plain key to every named
   * strategy that declares it, except {@code alpha} and {@code temperature}, which go to reffakd
   * alone when reffakd is named (in a run, the strategies of its {@code --loss}; in a study, its
   * {@code --losses}).
   *
   * @param declared strategy name to the parameter names it declares, in order
   */
  public static Routed route(Map<String, Set<String>> declared, Map<String, String> params) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    declared.keySet().forEach(n -> out.put(n, new LinkedHashMap<>()));
    List<String> unused = new ArrayList<>();
    boolean reffakd = declared.containsKey("reffakd");
    for (Map.Entry<String, String> p : params.entrySet()) {
      String k = p.getKey();
      boolean taken = false;
      int dot = k.indexOf('.');
      if (dot > 0) {
        Map<String, String> mine = out.get(k.substring(0, dot));
        if (mine != null) {
          mine.put(k.substring(dot + 1), p.getValue());
          taken = true;
        }
      } else {
        for (Map.Entry<String, Set<String>> d : declared.entrySet()) {
          boolean routedHere = !(reffakd && REFFAKD_KEYS.contains(k))
              || d.getKey().equals("reffakd");
          if (routedHere && d.getValue().contains(k)) {
            out.get(d.getKey()).putIfAbsent(k, p.getValue());
            taken = true;
          }
        }
      }
      if (!taken) {
        unused.add(k);
      }
    }
    return new Routed(out, unused);
  }

  public String spec() {
    return spec;
  }

  public Set<LossPlugin.Need> needs() {
    return needs;
  }

  public boolean needs(LossPlugin.Need n) {
    return needs.contains(n);
  }

  /**
   * What the registry this loss was found in could not load (broken jars, missing classes), one
   * line each naming the jar: the loss itself was found, so these are warnings.
   */
  public List<String> pluginProblems() {
    return pluginProblems;
  }

  /** Strategy name to its effective parameters (defaults filled in), for provenance. */
  public Map<String, Map<String, Object>> effectiveParameters() {
    return effectiveParams;
  }

  /** {@link #compute(LossInput, int)} without a batch number. */
  @Override
  public LossOutput compute(LossInput in) {
    return compute(in, 0);
  }

  /**
   * The loss of one batch, its input and every strategy's output checked (see the class
   * comment).
   *
   * @param batch 1-based batch number within the epoch, for messages; 0 when unknown
   * @throws IllegalArgumentException the input is invalid, or a strategy refused it
   * @throws IllegalStateException    a strategy failed or returned an invalid result
   */
  public LossOutput compute(LossInput in, int batch) {
    String where = "epoch " + (in.epoch() + 1) + (batch > 0 ? ", batch " + batch : "");
    checkInput(in, where);
    if (parts.size() == 1 && parts.get(0).weight() == 1) {
      return call(parts.get(0), in, where);
    }
    Map<String, Double> terms = new LinkedHashMap<>();
    double[] grad = new double[in.logits().length];
    for (Part p : parts) {
      LossOutput o = call(p, in, where);
      for (Map.Entry<String, Double> t : o.terms().entrySet()) {
        terms.merge(t.getKey(), p.weight() * t.getValue(), Double::sum);
      }
      double[] g = o.gradient();
      for (int i = 0; i < grad.length; i++) {
        grad[i] += p.weight() * g[i];
      }
    }
    LossOutput sum = new LossOutput(terms, grad);
    if (!Double.isFinite(sum.total())) {
      throw new IllegalStateException("loss " + spec + " (" + origins() + "), " + where
          + ": the weighted total is " + sum.total());
    }
    return sum;
  }

  /** One strategy on one batch, its failure or its invalid result named. */
  private LossOutput call(Part p, LossInput in, String where) {
    String who = (parts.size() > 1 ? "loss " + spec + ": " : "") + p.who();
    LossOutput o;
    try {
      o = p.fn().compute(in);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(who + " refused the input of " + where + ": "
          + message(e), e);
    } catch (RuntimeException | LinkageError e) {
      throw new IllegalStateException(who + " failed in " + where + ": " + message(e), e);
    }
    String bad = null;
    if (o == null) {
      bad = "no result (null)";
    } else if (o.gradient() == null) {
      bad = "no gradient (null)";
    } else if (o.gradient().length != in.logits().length) {
      bad = "a gradient of " + o.gradient().length + " values, expected " + in.n() + " x "
          + in.classes();
    } else {
      int k = firstNonFinite(o.gradient());
      if (k >= 0) {
        bad = "a gradient holding " + o.gradient()[k] + " at " + cell(k, in.classes());
      } else {
        for (Map.Entry<String, Double> t : o.terms().entrySet()) {
          if (t.getValue() == null || !Double.isFinite(t.getValue())) {
            bad = "the term '" + t.getKey() + "' = " + t.getValue();
            break;
          }
        }
      }
    }
    if (bad != null) {
      throw new IllegalStateException(who + " returned " + bad + " in " + where);
    }
    return o;
  }

  /** The contract's input side, checked before any strategy sees the batch. */
  private void checkInput(LossInput in, String where) {
    String bad = null;
    int c = in.classes();
    int[] labels = in.labels();
    for (int i = 0; i < labels.length && bad == null; i++) {
      if (labels[i] < 0 || labels[i] >= c) {
        bad = "label " + labels[i] + " of row " + i + " is outside [0, " + c + ")";
      }
    }
    if (bad == null) {
      int k = firstNonFinite(in.logits());
      if (k >= 0) {
        bad = "the student logits hold " + in.logits()[k] + " at " + cell(k, c)
            + " (the student diverged: learning rate too high?)";
      }
    }
    if (bad == null) {
      bad = checkDistribution(in.softTargets(), c);
    }
    if (bad == null && in.teacherLogits() != null) {
      int k = firstNonFinite(in.teacherLogits());
      if (k >= 0) {
        bad = "the teacher logits hold " + in.teacherLogits()[k] + " at " + cell(k, c);
      }
    }
    for (Part p : parts) {
      if (bad != null) {
        break;
      }
      if (p.needs().contains(LossPlugin.Need.SOFT_LABELS) && in.softTargets() == null) {
        bad = p.who() + " needs soft labels, but the input has none";
      } else if (p.needs().contains(LossPlugin.Need.TEACHER) && in.teacherLogits() == null) {
        bad = p.who() + " needs teacher logits, but the input has none";
      }
    }
    if (bad != null) {
      throw new IllegalArgumentException("loss " + spec + " (" + origins() + "), " + where
          + ": " + bad);
    }
  }

  private static String checkDistribution(double[] soft, int c) {
    if (soft == null) {
      return null;
    }
    for (int k = 0; k < soft.length; k++) {
      if (!(soft[k] >= 0) || soft[k] == Double.POSITIVE_INFINITY) {
        return "the soft targets hold " + soft[k] + " at " + cell(k, c)
            + " (a target is a probability, finite and >= 0)";
      }
    }
    return null;
  }

  private static int firstNonFinite(double[] a) {
    for (int k = 0; k < a.length; k++) {
      if (!Double.isFinite(a[k])) {
        return k;
      }
    }
    return -1;
  }

  private static String cell(int k, int classes) {
    return "row " + (k / classes) + ", class " + (k % classes);
  }

  /** {@code built-in} for one built-in strategy; {@code name: origin, ...} for a hybrid. */
  private String origins() {
    if (parts.size() == 1) {
      return parts.get(0).origin().toString();
    }
    return String.join(", ", parts.stream().map(p -> p.name() + ": " + p.origin()).toList());
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  @Override
  public void close() {
    for (Part p : parts) {
      p.fn().close();
    }
  }
}
