package org.reffakd.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reffakd.nn.run.RunConfig;

/** A study's id depends on what it computes, not on the order maps happen to iterate in. */
class StudySpecTest {

  static StudySpec spec(Map<String, String> params, Map<String, List<String>> grid) {
    return new StudySpec(RunConfig.defaults("fashion-mnist").with("loss_params", params),
        List.of("ce", "reffakd"), List.of("paper"), List.of(1L, 2L), grid, params, List.of(1.0),
        "lenet5bn", 1);
  }

  @Test
  void theIdIgnoresMapOrderAndFollowsTheContent() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("alpha", "0.5");
    a.put("temperature", "5");
    Map<String, String> b = new LinkedHashMap<>();
    b.put("temperature", "5");
    b.put("alpha", "0.5");
    Map<String, List<String>> g1 = new LinkedHashMap<>();
    g1.put("alpha", List.of("0.1", "0.9"));
    g1.put("temperature", List.of("1", "5"));
    Map<String, List<String>> g2 = new LinkedHashMap<>();
    g2.put("temperature", List.of("1", "5"));
    g2.put("alpha", List.of("0.1", "0.9"));
    assertEquals(spec(a, g1).id(), spec(b, g2).id());
    assertNotEquals(spec(a, g1).id(), spec(Map.of("alpha", "0.3", "temperature", "5"), g1)
        .id());
    // the id names every job: reffakd once per grid point and seed, ce once per seed
    assertEquals(2 * (1 + 4), spec(a, g1).jobs().size());
    assertEquals(spec(a, g1).jobs().stream().map(StudySpec.Job::id).sorted().toList(),
        spec(b, g2).jobs().stream().map(StudySpec.Job::id).sorted().toList());
  }

  @Test
  void seedsDoNotChangeTheIdAndAnEpochListIsAnAxis() {
    Map<String, String> p = Map.of("alpha", "0.5", "temperature", "5");
    StudySpec two = spec(p, Map.of());
    StudySpec three = two.withSeeds(List.of(1L, 2L, 3L));
    assertEquals(two.id(), three.id(), "more seeds: the same study");
    // the jobs of seeds 1 and 2 keep their ids; seed 3 adds its own
    assertTrue(three.jobs().stream().map(StudySpec.Job::id).toList()
        .containsAll(two.jobs().stream().map(StudySpec.Job::id).toList()));
    assertEquals(3 * 2, three.jobs().size());
    // one budget (the base's): the id and job ids of a study without the axis
    StudySpec same = new StudySpec(two.base(), two.losses(), two.variants(), two.seeds(),
        two.grid(), two.params(), two.fractions(), "lenet5bn", 1, List.of(two.base().student().epochs()));
    assertEquals(two.id(), same.id());
    assertEquals(two.jobs().stream().map(StudySpec.Job::id).toList(),
        same.jobs().stream().map(StudySpec.Job::id).toList());
    StudySpec budgets = new StudySpec(two.base(), two.losses(), two.variants(), two.seeds(),
        two.grid(), two.params(), List.of(0.05, 1.0), "lenet5bn", 1, List.of(1, 2));
    assertNotEquals(two.id(), budgets.id());
    List<StudySpec.Job> jobs = budgets.jobs();
    assertEquals(2 * 2 * 2 * 2, jobs.size(), "fractions x budgets x seeds x losses");
    for (StudySpec.Job j : jobs) {
      assertEquals(j.epochs(), j.config().student().epochs(), j.id());
      assertEquals(j.fraction(), j.config().trainFraction(), j.id());
      assertTrue(j.id().contains("-e" + j.epochs() + "-seed"), j.id());
    }
    assertEquals(jobs.size(), jobs.stream().map(StudySpec.Job::id).distinct().count());
  }

  @Test
  void aFractionMayHaveBudgetsOfItsOwn() {
    StudySpec two = spec(Map.of("alpha", "0.5", "temperature", "5"), Map.of());
    StudySpec own = new StudySpec(two.base(), two.losses(), two.variants(), two.seeds(),
        two.grid(), two.params(), List.of(0.02, 1.0), "lenet5bn", 1, List.of(10),
        Map.of(0.02, List.of(40)));
    assertEquals(List.of(40), own.epochsFor(0.02));
    assertEquals(List.of(10), own.epochsFor(1.0));
    for (StudySpec.Job j : own.jobs()) {
      assertEquals(j.fraction() == 0.02 ? 40 : 10, j.config().student().epochs(), j.id());
      assertTrue(j.id().contains("-e" + j.epochs() + "-"), j.id());
    }
    assertEquals(2 * 2 * 2, own.jobs().size());
    assertNotEquals(own.id(), new StudySpec(two.base(), two.losses(), two.variants(),
        two.seeds(), two.grid(), two.params(), List.of(0.02, 1.0), "lenet5bn", 1, List.of(10))
        .id());
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> new StudySpec(two.base(), two.losses(),
            two.variants(), two.seeds(), two.grid(), two.params(), List.of(1.0), "lenet5bn", 1,
            List.of(10), Map.of(0.5, List.of(40))).check());
    assertTrue(e.getMessage().contains("--epochs-at 0.5"), e.getMessage());
  }

  /**
   * A study routes its parameters by the run's rule (ConfiguredLoss.route) over its losses: with
   * reffakd among them an unqualified alpha grid is reffakd's alone; without it, every loss
   * that has an alpha takes the axis.
   */
  @Test
  void parametersFollowTheRunsRuleOverTheStudysLosses() {
    RunConfig base = RunConfig.defaults("fashion-mnist");
    Map<String, List<String>> grid = Map.of("alpha", List.of("0.1", "0.9"));
    StudySpec with = new StudySpec(base, List.of("ce", "reffakd", "tfkd-reg"), List.of("paper"),
        List.of(1L), grid, Map.of(), List.of(1.0), "lenet5bn", 1);
    Map<String, Long> jobs = new java.util.TreeMap<>();
    with.jobs().forEach(j -> jobs.merge(j.loss(), 1L, Long::sum));
    assertEquals(Map.of("ce", 1L, "reffakd", 2L, "tfkd-reg", 1L), jobs);
    StudySpec without = new StudySpec(base, List.of("ce", "tfkd-reg"), List.of("paper"),
        List.of(1L), grid, Map.of(), List.of(1.0), "lenet5bn", 1);
    jobs.clear();
    without.jobs().forEach(j -> jobs.merge(j.loss(), 1L, Long::sum));
    assertEquals(Map.of("ce", 1L, "tfkd-reg", 2L), jobs);
    assertTrue(without.jobs().stream().filter(j -> j.loss().equals("tfkd-reg"))
        .allMatch(j -> j.config().objective().params().containsKey("alpha")));
  }

  /**
   * The published studies' specs (docs/study-NAME/study-spec.json): their base configs read back
   * write the same JSON, and the low-data study's spec gives the id it was published under, so
   * a change in how RunConfig is held in code (nested records since issue 18) moves no study or
   * run id. (The first study, study-fashion-mnist, was published before the id took the teacher
   * and epoch budgets in: its file gives another id under any code since.)
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"study-fashion-mnist",
      "study-low-data"})
  void publishedSpecsKeepTheirConfigs(String study) throws Exception {
    java.nio.file.Path f = java.nio.file.Path.of("../../docs", study, "study-spec.json");
    com.fasterxml.jackson.databind.JsonNode doc = RunConfig.JSON.readTree(f.toFile());
    StudySpec spec = RunConfig.JSON.treeToValue(doc.get("spec"), StudySpec.class);
    assertEquals(doc.get("spec").get("base"),
        RunConfig.JSON.readTree(RunConfig.JSON.writeValueAsString(spec.base())));
    if (study.equals("study-low-data")) {
      assertEquals("a32f3892d7", spec.id());
    }
  }
}
