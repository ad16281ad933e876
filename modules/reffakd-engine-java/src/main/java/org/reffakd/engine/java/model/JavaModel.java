package org.reffakd.engine.java.model;

import java.util.Map;
import org.reffakd.backend.Trainable;

/** What every java-engine model does the same way: its state by name and SGD. */
abstract class JavaModel implements Trainable {

  /** The model's parameters, buffers and optimizer, by name. */
  abstract StateDict stateDict();

  @Override
  public String engine() {
    return JavaBackend.NAME;
  }

  @Override
  public Map<String, float[]> parameters() {
    return stateDict().parameters();
  }

  @Override
  public Map<String, float[]> state() {
    return stateDict().state();
  }

  @Override
  public void load(Map<String, float[]> source, String what) {
    stateDict().load(source, what);
  }

  @Override
  public void sgd(double momentum, double weightDecay) {
    stateDict().sgd(momentum, weightDecay);
  }

  @Override
  public void step(double lr) {
    stateDict().step(lr);
  }

  @Override
  public long parameterCount() {
    return stateDict().parameterCount();
  }
}
