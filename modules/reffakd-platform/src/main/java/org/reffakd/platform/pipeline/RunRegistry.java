package org.reffakd.platform.pipeline;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.reffakd.nn.run.ReffakdRun;

/**
 * The runs in flight in this JVM, by run id. Bus messages carry only the run id; the stage
 * verticles find the run's state here (a run's state is large: images, networks).
 */
public final class RunRegistry {

  private final Map<String, ReffakdRun> runs = new ConcurrentHashMap<>();

  public void put(String id, ReffakdRun run) {
    if (runs.putIfAbsent(id, run) != null) {
      throw new IllegalArgumentException("run " + id + " is already in progress");
    }
  }

  public ReffakdRun get(String id) {
    ReffakdRun r = runs.get(id);
    if (r == null) {
      throw new IllegalArgumentException("no run " + id + " in progress");
    }
    return r;
  }

  public void remove(String id) {
    runs.remove(id);
  }

  public int size() {
    return runs.size();
  }
}
