package org.reffakd.nn.run;

/**
 * The SHA-256 of a dataset's training and test files, as every artefact's provenance records
 * them ({@code dataset_sha256}: {@code {"train": ..., "test": ...}}).
 */
public record DatasetChecksums(String train, String test) {

  /**
   * {@code {train=..., test=...}}: the form the soft-label keys and the exported models'
   * {@code dataset_sha256} metadata were made from since the first release (then a map's
   * string), kept so that no key or model file changes.
   */
  @Override
  public String toString() {
    return "{train=" + train + ", test=" + test + "}";
  }
}
