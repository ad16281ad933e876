package org.reffakd.nn.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one cost record: its JSON both ways, and teacher.json's cost from before it. */
class CostTest {

  @Test
  void roundTripsThroughItsJsonAndJackson() throws Exception {
    Cost c = new Cost(61_706, 429_722, 1.4e14, 12.5, 24.0, 1_060);
    @SuppressWarnings("unchecked")
    Map<String, Object> json = RunConfig.JSON.convertValue(c, Map.class);
    assertEquals("{\"parameters\":61706,\"macs_per_image\":429722,\"training_flops\":1.4E14}",
        new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(json.get("computed")));
    assertEquals(c, Cost.fromJson(json));
    String text = RunConfig.JSON.writeValueAsString(c);
    assertEquals(c, RunConfig.JSON.readValue(text, Cost.class));
    assertEquals("{}", new com.fasterxml.jackson.databind.ObjectMapper()
        .writeValueAsString(Cost.UNKNOWN));
    assertEquals(Cost.UNKNOWN, Cost.fromJson(Map.of()));
    assertEquals(Cost.UNKNOWN, Cost.fromJson(null));
  }

  @Test
  void readsTheFlatCostOfOlderTeacherFiles() {
    Map<String, Object> old = Map.of("training_seconds", 300.0,
        "wall_seconds_this_invocation", 310.0, "cpu_seconds_this_invocation", 590.0,
        "peak_rss_mb", 900.0, "threads", 2, "macs_per_image", 1_000_000L,
        "training_flops", 3.3e14);
    Cost c = Cost.fromJson(old).withParameters(250_000);
    assertEquals(new Cost(250_000, 1e6, 3.3e14, 300.0, 590.0, 900.0), c);
  }
}
