package org.reffakd.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.reffakd.spi.LossInput;
import org.reffakd.spi.LossOutput;
import org.reffakd.spi.LossPlugin;
import org.reffakd.spi.Parameters;

/**
 * Compares every strategy with golden values computed independently in PyTorch (float64,
 * autograd) by {@code tools/golden_losses.py}; plugins are found by name through
 * {@link java.util.ServiceLoader}, which also checks the services file.
 */
class GoldenValuesTest {

  private static final String FIXTURE = "/golden/losses.json";
  private static final double TOL = 1e-6;

  private static JsonNode fixture() throws IOException {
    try (InputStream s = GoldenValuesTest.class.getResourceAsStream(FIXTURE)) {
      assertNotNull(s, "missing test resource " + FIXTURE);
      JsonNode root = new ObjectMapper().readTree(s);
      assertTrue(root.isArray() && root.size() > 0, "fixture holds no cases");
      return root;
    }
  }

  @TestFactory
  Stream<DynamicTest> everyGoldenCase() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    int k = 0;
    for (JsonNode c : fixture()) {
      String label = "#" + (k++) + " " + c.get("strategy").asText() + " " + c.get("params")
          + " C=" + c.get("classes").asInt() + " epoch=" + c.get("epoch").asInt();
      tests.add(DynamicTest.dynamicTest(label, () -> check(c)));
    }
    return tests.stream();
  }

  private static void check(JsonNode c) {
    String name = c.get("strategy").asText();
    LossPlugin plugin = TestSupport.plugin(name);
    Map<String, String> given = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : c.get("params").properties()) {
      given.put(e.getKey(), e.getValue().asText());
    }
    Parameters params = Parameters.validate(name, plugin.parameters(), given);
    int n = c.get("n").asInt();
    int classes = c.get("classes").asInt();
    LossInput in = new LossInput(doubles(c.get("logits")), n, classes, ints(c.get("labels")),
        doubles(c.get("soft_targets")), doubles(c.get("teacher_logits")),
        c.get("epoch").asInt());
    LossOutput out;
    try (var f = plugin.create(params)) {
      out = f.compute(in);
    }
    JsonNode terms = c.get("expected").get("terms");
    Set<String> expectedNames = new TreeSet<>();
    terms.properties().forEach(e -> expectedNames.add(e.getKey()));
    assertEquals(expectedNames, new TreeSet<>(out.terms().keySet()), name + ": term names");
    for (String t : expectedNames) {
      close(terms.get(t).asDouble(), out.terms().get(t), name + " term " + t);
    }
    double[] g = doubles(c.get("expected").get("gradient"));
    assertEquals(g.length, out.gradient().length, name + ": gradient length");
    for (int i = 0; i < g.length; i++) {
      close(g[i], out.gradient()[i], name + " gradient[" + i + "]");
    }
  }

  private static void close(double expected, double actual, String what) {
    double tol = TOL * Math.max(1.0, Math.abs(expected));
    if (!(Math.abs(expected - actual) <= tol)) {
      fail(what + ": expected " + expected + " (torch), got " + actual + " (java), diff "
          + (actual - expected));
    }
  }

  @Test
  void everyServiceHasGoldenCases() throws IOException {
    Set<String> covered = new TreeSet<>();
    for (JsonNode c : fixture()) {
      covered.add(c.get("strategy").asText());
    }
    List<LossPlugin> plugins = TestSupport.plugins();
    assertFalse(plugins.isEmpty(), "ServiceLoader found no LossPlugin");
    Set<String> missing = new TreeSet<>();
    for (LossPlugin p : plugins) {
      if (!covered.contains(p.name())) {
        missing.add(p.name());
      }
    }
    assertTrue(missing.isEmpty(), "strategies without a golden case in " + FIXTURE + ": "
        + missing + " (add cases to tools/golden_losses.py and regenerate)");
    assertEquals(Set.of("ce", "reffakd", "kd", "dkd", "reffakd-dkd", "tfkd-reg",
        "label-smoothing"), covered, "strategies in the fixture");
  }

  @Test
  void bothReffakdReductionsAndDkdWarmupAreCovered() throws IOException {
    Set<String> seen = new TreeSet<>();
    for (JsonNode c : fixture()) {
      String s = c.get("strategy").asText();
      if (s.equals("reffakd")) {
        JsonNode r = c.get("params").get("reduction");
        seen.add("reffakd/" + (r == null ? "reference" : r.asText()));
      }
      if (s.equals("dkd")) {
        JsonNode w = c.get("params").get("warmup");
        double warmup = w == null ? 20 : w.asDouble();
        seen.add(DkdLoss.warmupFactor(c.get("epoch").asInt(), warmup) < 1
            ? "dkd/warming" : "dkd/warm");
      }
    }
    assertEquals(Set.of("reffakd/reference", "reffakd/batchmean", "dkd/warming", "dkd/warm"),
        seen);
  }

  private static double[] doubles(JsonNode a) {
    if (a == null || a.isNull()) {
      return null;
    }
    double[] out = new double[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asDouble();
    }
    return out;
  }

  private static int[] ints(JsonNode a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asInt();
    }
    return out;
  }
}
