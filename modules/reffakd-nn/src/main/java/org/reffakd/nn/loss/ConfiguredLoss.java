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
 * <p>Parameters are given as {@code key=value}: a plain key ({@code alpha}) goes to every
 * strategy of the loss that declares it, {@code strategy.key} ({@code dkd.beta}) to that one
 * only. A key no strategy declares is refused before training starts.
 */
public final class ConfiguredLoss implements LossFunction {

  private record Part(String name, double weight, LossFunction fn) {}

  private final String spec;
  private final List<Part> parts;
  private final Set<LossPlugin.Need> needs;
  private final Map<String, Map<String, Object>> effectiveParams;

  private ConfiguredLoss(String spec, List<Part> parts, Set<LossPlugin.Need> needs,
                         Map<String, Map<String, Object>> effectiveParams) {
    this.spec = spec;
    this.parts = parts;
    this.needs = needs;
    this.effectiveParams = effectiveParams;
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
    Set<String> used = new LinkedHashSet<>();
    List<Part> parts = new ArrayList<>();
    Set<LossPlugin.Need> needs = EnumSet.noneOf(LossPlugin.Need.class);
    Map<String, Map<String, Object>> effective = new LinkedHashMap<>();
    for (Map.Entry<String, Double> e : weights.entrySet()) {
      LossPlugin plugin = registry.get(e.getKey()).plugin();
      String name = plugin.name();
      Map<String, String> mine = new LinkedHashMap<>();
      Set<String> declared = new LinkedHashSet<>();
      for (ParameterSpec ps : plugin.parameters()) {
        declared.add(ps.name());
      }
      for (Map.Entry<String, String> p : params.entrySet()) {
        String k = p.getKey();
        if (k.startsWith(name + ".")) {
          String key = k.substring(name.length() + 1);
          mine.put(key, p.getValue()); // validated below: unknown keys are refused there
          used.add(k);
        } else if (!k.contains(".") && declared.contains(k)) {
          mine.putIfAbsent(k, p.getValue());
          used.add(k);
        }
      }
      Parameters validated = Parameters.validate(name, plugin.parameters(), mine);
      effective.put(name, validated.asMap());
      parts.add(new Part(name, e.getValue(), plugin.create(validated)));
      needs.addAll(plugin.needs());
    }
    for (String k : params.keySet()) {
      if (!used.contains(k)) {
        throw new IllegalArgumentException("loss " + spec + ": no strategy takes parameter '"
            + k + "'" + (k.contains(".") ? "" : " (use strategy.key for one strategy)"));
      }
    }
    return new ConfiguredLoss(spec, List.copyOf(parts), needs, effective);
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

  /** Strategy name to its effective parameters (defaults filled in), for provenance. */
  public Map<String, Map<String, Object>> effectiveParameters() {
    return effectiveParams;
  }

  @Override
  public LossOutput compute(LossInput in) {
    if (parts.size() == 1 && parts.get(0).weight() == 1) {
      return parts.get(0).fn().compute(in);
    }
    Map<String, Double> terms = new LinkedHashMap<>();
    double[] grad = new double[in.logits().length];
    for (Part p : parts) {
      LossOutput o = p.fn().compute(in);
      for (Map.Entry<String, Double> t : o.terms().entrySet()) {
        terms.merge(t.getKey(), p.weight() * t.getValue(), Double::sum);
      }
      double[] g = o.gradient();
      for (int i = 0; i < grad.length; i++) {
        grad[i] += p.weight() * g[i];
      }
    }
    return new LossOutput(terms, grad);
  }

  @Override
  public void close() {
    for (Part p : parts) {
      p.fn().close();
    }
  }
}
