package org.reffakd.losses;

/** The version the built-in strategies report. */
final class Version {

  static final String BUILT_IN = "1.0";

  private Version() {}
}
