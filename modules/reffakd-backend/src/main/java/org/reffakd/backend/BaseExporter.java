package org.reffakd.backend;

/** What every exporter reports the same way: its format, its --help line and its file ending. */
public abstract class BaseExporter implements Exporter {

  private final String format;
  private final String extension;
  private final String description;

  protected BaseExporter(String format, String extension, String description) {
    this.format = format;
    this.extension = extension;
    this.description = description;
  }

  @Override
  public final String format() {
    return format;
  }

  @Override
  public final String describe() {
    return description;
  }

  @Override
  public final String extension() {
    return extension;
  }
}
