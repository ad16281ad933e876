package org.reffakd.nn.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reffakd.spi.LossInput;

/**
 * The checks at the plugin boundary: bad inputs and bad plugin results fail before the step,
 * with one message naming the loss, its origin, the epoch and the batch.
 */
class ConfiguredLossTest {

  @TempDir
  Path tmp;

  private static final int N = 3;
  private static final int C = 4;

  private static double[] logits() {
    return new double[] {0.3, -1, 2, 0.5, 0.1, -0.2, 1.1, 0.4, -0.6, 0.8, 0.2, 1.5};
  }

  private static double[] soft() {
    return new double[] {0.1, 0.2, 0.3, 0.4, 0.25, 0.25, 0.25, 0.25, 0.7, 0.1, 0.1, 0.1};
  }

  private static double[] teacher() {
    return new double[] {1, 2, 3, 4, 0, 0, 1, 0, 2, -1, 0.5, 0};
  }

  /** Epoch index 4 (0-based), so messages say epoch 5. */
  private static LossInput input(int[] labels, double[] z, double[] soft, double[] teacher) {
    return new LossInput(z, N, C, labels, soft, teacher, 4);
  }

  private static void assertMentions(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), "'" + message + "' should mention '" + part + "'");
    }
  }

  @Test
  void aNanSoftTargetOrTeacherLogitFailsNamingLossOriginEpochAndBatch() {
    LossRegistry r = LossRegistry.discover(List.of());
    double[] badSoft = soft();
    badSoft[6] = Double.NaN;
    double[] badTeacher = teacher();
    badTeacher[9] = Double.NaN;
    for (String spec : List.of("reffakd", "reffakd-dkd", "kd", "dkd", "reffakd:0.5,ce:0.5")) {
      ConfiguredLoss loss = ConfiguredLoss.create(r, spec, Map.of());
      boolean soft = spec.startsWith("reffakd");
      LossInput in = input(new int[] {2, 0, 1}, logits(), soft ? badSoft : soft(),
          soft ? teacher() : badTeacher);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> loss.compute(in, 7), spec);
      assertMentions(e.getMessage(), "loss " + spec, "built-in", "epoch 5", "batch 7", "NaN",
          soft ? "soft targets" : "teacher logits", soft ? "row 1, class 2" : "row 2, class 1");
    }
  }

  @Test
  void labelsOutsideTheClassesAreRefused() {
    ConfiguredLoss loss = ConfiguredLoss.create(LossRegistry.discover(List.of()), "reffakd",
        Map.of());
    for (int bad : new int[] {C, -1}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> loss.compute(input(new int[] {2, bad, 1}, logits(), soft(), null), 2));
      assertMentions(e.getMessage(), "loss reffakd (built-in), epoch 5, batch 2",
          "label " + bad + " of row 1 is outside [0, 4)");
    }
  }

  @Test
  void missingSoftLabelsAndDivergedLogitsAreNamed() {
    LossRegistry r = LossRegistry.discover(List.of());
    ConfiguredLoss reffakd = ConfiguredLoss.create(r, "reffakd", Map.of());
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> reffakd.compute(input(new int[] {0, 1, 2}, logits(), null, null)));
    assertMentions(none.getMessage(), "built-in loss 'reffakd' needs soft labels",
        "epoch 5");
    ConfiguredLoss kd = ConfiguredLoss.create(r, "kd", Map.of());
    assertMentions(assertThrows(IllegalArgumentException.class,
        () -> kd.compute(input(new int[] {0, 1, 2}, logits(), null, null))).getMessage(),
        "built-in loss 'kd' needs teacher logits");
    double[] z = logits();
    z[3] = Double.POSITIVE_INFINITY;
    ConfiguredLoss ce = ConfiguredLoss.create(r, "ce", Map.of());
    assertMentions(assertThrows(IllegalArgumentException.class,
        () -> ce.compute(input(new int[] {0, 1, 2}, z, null, null), 9)).getMessage(),
        "loss ce (built-in), epoch 5, batch 9", "student logits hold Infinity at row 0, class 3",
        "learning rate too high?");
    // a valid batch passes and gives what the strategy gives
    assertEquals(3, ce.compute(input(new int[] {0, 1, 2}, logits(), null, null), 1)
        .gradient().length / C);
  }

  @Test
  void aPluginsBadResultOrFailureNamesThePluginAndItsJar() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("plugins"));
    Path work = Files.createDirectories(tmp.resolve("work"));
    Map<String, String> sources = new LinkedHashMap<>();
    sources.put("t.Short", PluginJars.custom("t", "Short", "short",
        "return in -> new LossOutput(Map.of(\"x\", 1.0), new double[1]);"));
    sources.put("t.NanGrad", PluginJars.custom("t", "NanGrad", "nan-grad",
        "return in -> { double[] g = new double[in.logits().length]; g[5] = Double.NaN;"
            + " return new LossOutput(Map.of(\"x\", 1.0), g); };"));
    sources.put("t.InfTerm", PluginJars.custom("t", "InfTerm", "inf-term",
        "return in -> new LossOutput(Map.of(\"x\", Double.POSITIVE_INFINITY),"
            + " new double[in.logits().length]);"));
    sources.put("t.Throws", PluginJars.custom("t", "Throws", "throws",
        "return in -> { throw new IllegalStateException(\"compute boom\"); };"));
    sources.put("t.NoCreate", PluginJars.custom("t", "NoCreate", "no-create",
        "throw new IllegalStateException(\"create boom\");"));
    Files.copy(PluginJars.build(work, "bad", sources,
        String.join("\n", sources.keySet()) + "\n"), dir.resolve("bad.jar"));
    Path jar = dir.resolve("bad.jar");
    LossRegistry r = LossRegistry.discover(List.of(dir));
    LossInput in = input(new int[] {0, 1, 2}, logits(), null, null);
    Map<String, String> expected = Map.of(
        "short", "returned a gradient of 1 values, expected 3 x 4 in epoch 5, batch 2",
        "nan-grad", "returned a gradient holding NaN at row 1, class 1 in epoch 5, batch 2",
        "inf-term", "returned the term 'x' = Infinity in epoch 5, batch 2",
        "throws", "failed in epoch 5, batch 2: compute boom");
    for (Map.Entry<String, String> e : expected.entrySet()) {
      ConfiguredLoss loss = ConfiguredLoss.create(r, e.getKey(), Map.of());
      IllegalStateException ex = assertThrows(IllegalStateException.class,
          () -> loss.compute(in, 2), e.getKey());
      assertMentions(ex.getMessage(), "loss plugin '" + e.getKey() + "' from " + jar,
          e.getValue());
    }
    // in a hybrid, the loss is named too
    ConfiguredLoss hybrid = ConfiguredLoss.create(r, "ce:0.5,nan-grad:0.5", Map.of());
    assertMentions(assertThrows(IllegalStateException.class, () -> hybrid.compute(in, 2))
        .getMessage(), "loss ce:0.5,nan-grad:0.5: loss plugin 'nan-grad' from " + jar);
    IllegalStateException create = assertThrows(IllegalStateException.class,
        () -> ConfiguredLoss.create(r, "no-create", Map.of()));
    assertEquals("loss plugin 'no-create' from " + jar + " failed to create: create boom",
        create.getMessage());
  }

  /**
   * One rule routes parameters (runs and studies share it): strategy.key to that strategy; a
   * plain key to every strategy that has it, but alpha and temperature to reffakd alone when
   * reffakd is one of the strategies; a key no strategy takes is refused.
   */
  @Test
  void oneRuleRoutesTheParameters() {
    LossRegistry r = LossRegistry.discover(List.of());
    try (ConfiguredLoss hybrid = ConfiguredLoss.create(r, "reffakd:0.5,dkd:0.5",
        Map.of("alpha", "0.3", "beta", "4", "dkd.temperature", "2"))) {
      Map<String, Map<String, Object>> p = hybrid.effectiveParameters();
      assertEquals(0.3, ((Number) p.get("reffakd").get("alpha")).doubleValue());
      assertEquals(5.0, ((Number) p.get("reffakd").get("temperature")).doubleValue());
      assertEquals(1.0, ((Number) p.get("dkd").get("alpha")).doubleValue()); // its default
      assertEquals(4.0, ((Number) p.get("dkd").get("beta")).doubleValue());
      assertEquals(2.0, ((Number) p.get("dkd").get("temperature")).doubleValue());
    }
    try (ConfiguredLoss both = ConfiguredLoss.create(r, "dkd:0.5,tfkd-reg:0.5",
        Map.of("alpha", "0.3"))) {
      assertEquals(0.3, ((Number) both.effectiveParameters().get("dkd").get("alpha"))
          .doubleValue());
      assertEquals(0.3, ((Number) both.effectiveParameters().get("tfkd-reg").get("alpha"))
          .doubleValue());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ConfiguredLoss.create(r, "ce", Map.of("alpha", "0.3")));
    assertMentions(e.getMessage(), "no strategy takes parameter 'alpha'");
  }
}
