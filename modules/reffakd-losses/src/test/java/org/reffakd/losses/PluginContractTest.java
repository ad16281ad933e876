package org.reffakd.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.reffakd.spi.LossFunction;
import org.reffakd.spi.LossInput;
import org.reffakd.spi.LossPlugin;
import org.reffakd.spi.LossPlugin.Need;
import org.reffakd.spi.ParameterSpec;
import org.reffakd.spi.Parameters;

/** Metadata, parameter validation and missing inputs of the built-in strategies. */
class PluginContractTest {

  @Test
  void servicesListAllBuiltInsWithMetadata() {
    List<LossPlugin> plugins = TestSupport.plugins();
    Set<String> names = new HashSet<>();
    for (LossPlugin p : plugins) {
      assertTrue(names.add(p.name()), "duplicate name " + p.name());
      assertTrue(p.name().matches("[a-z0-9-]+"), p.name());
      assertEquals(Version.BUILT_IN, p.version(), p.name());
      assertFalse(p.description().isBlank(), p.name());
      assertFalse(p.description().contains("\n"), p.name());
      for (ParameterSpec s : p.parameters()) {
        assertFalse(s.description().isBlank(), p.name() + "." + s.name());
      }
      Parameters.defaults(p.name(), p.parameters()); // defaults lie in their ranges
    }
    assertEquals(List.of("ce", "reffakd", "kd", "dkd", "reffakd-dkd", "tfkd-reg",
        "label-smoothing"), plugins.stream().map(LossPlugin::name).toList());
    assertEquals(Set.of(Need.TEACHER), TestSupport.plugin("kd").needs());
    assertEquals(Set.of(Need.TEACHER), TestSupport.plugin("dkd").needs());
    assertEquals(Set.of(Need.SOFT_LABELS), TestSupport.plugin("reffakd-dkd").needs());
    assertEquals(Set.of(), TestSupport.plugin("tfkd-reg").needs());
    assertEquals(Set.of(), TestSupport.plugin("label-smoothing").needs());
  }

  @Test
  void defaultsAreThePapers() {
    assertEquals(Map.of("ce_weight", 0.1, "kd_weight", 0.9, "temperature", 4.0),
        defaults("kd"));
    Map<String, Object> dkd = Map.of("alpha", 1.0, "beta", 8.0, "temperature", 4.0,
        "ce_weight", 1.0, "warmup", 20.0);
    assertEquals(dkd, defaults("dkd"));
    assertEquals(dkd, defaults("reffakd-dkd"));
    assertEquals(Map.of("alpha", 0.1, "temperature", 20.0, "correct_prob", 0.99,
        "multiplier", 100.0), defaults("tfkd-reg"));
    assertEquals(Map.of("epsilon", 0.1), defaults("label-smoothing"));
  }

  private static Map<String, Object> defaults(String name) {
    return Parameters.defaults(name, TestSupport.plugin(name).parameters()).asMap();
  }

  private static String badParam(String strategy, Map<String, String> given) {
    LossPlugin p = TestSupport.plugin(strategy);
    return assertThrows(IllegalArgumentException.class,
        () -> Parameters.validate(strategy, p.parameters(), given)).getMessage();
  }

  private static void assertMentions(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), "'" + message + "' should mention '" + part + "'");
    }
  }

  @Test
  void badParametersNameStrategyParameterAndRange() {
    assertMentions(badParam("reffakd", Map.of("alpha", "1.5")), "reffakd", "alpha", "[0, 1]",
        "1.5");
    for (String s : List.of("kd", "dkd", "reffakd-dkd", "tfkd-reg", "reffakd")) {
      assertMentions(badParam(s, Map.of("temperature", "0")), s, "temperature", "(0, inf)");
    }
    assertMentions(badParam("dkd", Map.of("beta", "-1")), "dkd", "beta", "[0, inf)", "-1");
    assertMentions(badParam("dkd", Map.of("warmup", "-2")), "dkd", "warmup", "[0, inf)");
    assertMentions(badParam("tfkd-reg", Map.of("correct_prob", "1")), "tfkd-reg",
        "correct_prob", "(0, 1)");
    assertMentions(badParam("label-smoothing", Map.of("epsilon", "1")), "label-smoothing",
        "epsilon", "[0, 1)");
    assertMentions(badParam("kd", Map.of("ce_weight", "abc")), "kd", "ce_weight", "abc");
    assertMentions(badParam("dkd", Map.of("gamma", "1")), "dkd", "unknown parameter", "gamma",
        "alpha, beta, temperature, ce_weight, warmup");
    assertMentions(badParam("label-smoothing", Map.of("alpha", "0.1")), "label-smoothing",
        "unknown parameter", "alpha", "epsilon");
  }

  @Test
  void missingInputsNameTheStrategy() {
    LossInput full = TestSupport.randomInput(3, 4, 5, 0);
    LossInput noTeacher = new LossInput(full.logits(), full.n(), full.classes(), full.labels(),
        full.softTargets(), null, 0);
    LossInput noSoft = new LossInput(full.logits(), full.n(), full.classes(), full.labels(),
        null, full.teacherLogits(), 0);
    for (String s : List.of("kd", "dkd")) {
      String m = missing(s, noTeacher);
      assertMentions(m, s + ":", "teacher");
    }
    for (String s : List.of("reffakd-dkd")) {
      String m = missing(s, noSoft);
      assertMentions(m, s + ":", "soft labels");
    }
    // strategies that need neither accept an input with neither
    LossInput bare = new LossInput(full.logits(), full.n(), full.classes(), full.labels(), null,
        null, 0);
    for (String s : List.of("ce", "tfkd-reg", "label-smoothing")) {
      TestSupport.create(s, Map.of()).compute(bare);
    }
  }

  @Test
  void reffakdWithoutSoftLabelsNamesWhatIsMissing() {
    LossInput full = TestSupport.randomInput(3, 4, 5, 0);
    LossInput noSoft = new LossInput(full.logits(), full.n(), full.classes(), full.labels(),
        null, null, 0);
    assertMentions(missing("reffakd", noSoft), "reffakd:", "soft labels");
  }

  @Test
  void aNanInSoftTargetsOrTeacherLogitsIsNotHidden() {
    LossInput full = TestSupport.randomInput(5, 4, 5, 30);
    double[] soft = full.softTargets().clone();
    soft[7] = Double.NaN;
    double[] teacher = full.teacherLogits().clone();
    teacher[7] = Double.NaN;
    LossInput badSoft = new LossInput(full.logits(), full.n(), full.classes(), full.labels(),
        soft, full.teacherLogits(), 30);
    LossInput badTeacher = new LossInput(full.logits(), full.n(), full.classes(), full.labels(),
        full.softTargets(), teacher, 30);
    for (String s : List.of("reffakd", "reffakd-dkd", "kd", "dkd")) {
      LossInput in = s.startsWith("reffakd") ? badSoft : badTeacher;
      var out = TestSupport.create(s, Map.of()).compute(in);
      // the loss must not look finite while the gradient is NaN: both show the NaN
      assertTrue(Double.isNaN(out.total()), s + ": total " + out.total());
      assertTrue(Double.isNaN(out.gradient()[7]), s + ": gradient " + out.gradient()[7]);
    }
  }

  private static String missing(String strategy, LossInput in) {
    LossFunction f = TestSupport.create(strategy, Map.of());
    return assertThrows(IllegalArgumentException.class, () -> f.compute(in)).getMessage();
  }

  @Test
  void warmupFactorFollowsMdistillerWithZeroBasedEpochs() {
    assertEquals(1.0 / 20, DkdLoss.warmupFactor(0, 20), 0);
    assertEquals(10.0 / 20, DkdLoss.warmupFactor(9, 20), 0);
    assertEquals(1.0, DkdLoss.warmupFactor(19, 20), 0);
    assertEquals(1.0, DkdLoss.warmupFactor(150, 20), 0);
    assertEquals(1.0, DkdLoss.warmupFactor(0, 0), 0);
  }
}
