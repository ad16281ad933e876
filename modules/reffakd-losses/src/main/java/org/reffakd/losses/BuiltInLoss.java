package org.reffakd.losses;

import java.util.Set;
import org.reffakd.spi.LossPlugin;

/** What every built-in strategy reports the same way: its name, description, needs, version. */
abstract class BuiltInLoss implements LossPlugin {

  private final String name;
  private final String description;
  private final Set<Need> needs;

  BuiltInLoss(String name, String description, Set<Need> needs) {
    this.name = name;
    this.description = description;
    this.needs = needs;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final String version() {
    return Version.BUILT_IN;
  }

  @Override
  public final String description() {
    return description;
  }

  @Override
  public final Set<Need> needs() {
    return needs;
  }
}
