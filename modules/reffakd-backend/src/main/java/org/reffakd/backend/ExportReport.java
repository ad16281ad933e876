package org.reffakd.backend;

import java.util.Map;

/**
 * What an {@link Exporter} wrote.
 *
 * @param summary one or more lines for the console
 * @param figures measured facts (sizes in bytes, accuracies), written as JSON beside the file
 *     when not empty; values are numbers, strings, or maps of them
 */
public record ExportReport(String summary, Map<String, Object> figures) {}
