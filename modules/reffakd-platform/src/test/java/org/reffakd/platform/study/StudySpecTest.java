package org.reffakd.platform.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

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
}
