package org.reffakd.spi;

import java.util.List;
import java.util.Set;

/**
 * A distillation loss strategy, the extension point of the platform: a plugin jar lists its
 * implementations in {@code META-INF/services/org.reffakd.spi.LossPlugin}, the platform finds
 * them with {@link java.util.ServiceLoader} (on the classpath, or in jars dropped into a
 * plugin folder) and selects one by {@link #name()}.
 *
 * <p><b>Lifecycle.</b> The platform instantiates the plugin once through its public no-argument
 * constructor, reads {@link #name()}, {@link #version()}, {@link #needs()} and
 * {@link #parameters()} to list and validate it, then calls {@link #create(Parameters)} once
 * per run with parameters already checked against the schema (defaults filled in, ranges
 * checked). The returned {@link LossFunction} is used for every batch of that run and then
 * {@link LossFunction#close() closed}.
 *
 * <p><b>Threads.</b> Plugin methods may be called from any thread. A {@link LossFunction} is
 * called by one training thread at a time but must not keep per-batch state between calls
 * (a schedule depends only on {@link LossInput#epoch()}), so that runs are reproducible and
 * resumable.
 *
 * <p><b>Contract of a result.</b> {@link LossFunction#compute} returns named terms, already
 * weighted so that their sum is the loss, and the gradient of that sum with respect to the
 * student logits. Term names (for example {@code ce}, {@code kd}, {@code tckd}, {@code nckd})
 * flow unchanged into metrics files, {@code result.json}, Prometheus tags and the dashboard.
 */
public interface LossPlugin {

  /** Unique name, used with {@code --loss}: lower case, digits and dashes. */
  String name();

  /** Version of this implementation (shown by {@code reffakd plugins}). */
  String version();

  /** One line: the method and its paper. */
  String description();

  /** Inputs the strategy needs beyond logits and hard labels. */
  Set<Need> needs();

  /** The parameter schema: names, defaults, valid ranges. */
  List<ParameterSpec> parameters();

  /** A loss function for one run. {@code params} are validated against {@link #parameters()}. */
  LossFunction create(Parameters params);

  /** What a strategy needs besides the student logits and the hard labels. */
  enum Need {
    /** Per-sample soft targets (the autoencoder soft label of each sample's class). */
    SOFT_LABELS,
    /** Teacher logits on the same (augmented) batch. */
    TEACHER
  }
}
