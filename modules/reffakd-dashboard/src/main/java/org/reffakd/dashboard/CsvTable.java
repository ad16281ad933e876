package org.reffakd.dashboard;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the run directory's CSV files (as {@code org.reffakd.nn.util.Csv} writes them: a
 * header line, comma-separated cells, a cell quoted with {@code "} when it holds a comma or a
 * quote).
 */
final class CsvTable {

  private CsvTable() {}

  /** The lines of {@code text}, each split into cells; blank lines are skipped. */
  static List<List<String>> parse(String text) {
    List<List<String>> rows = new ArrayList<>();
    for (String line : text.split("\r?\n")) {
      if (!line.isBlank()) {
        rows.add(cells(line));
      }
    }
    return rows;
  }

  static List<String> cells(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(cell.toString());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    out.add(cell.toString());
    return out;
  }

  /** A cell as a number (an integer when it is one), null when empty or not a finite number. */
  static Object number(String cell) {
    if (cell == null || cell.isEmpty()) {
      return null;
    }
    try {
      if (cell.matches("-?\\d{1,18}")) {
        return Long.parseLong(cell);
      }
      double d = Double.parseDouble(cell);
      return Double.isFinite(d) ? d : null;
    } catch (NumberFormatException e) {
      return cell;
    }
  }
}
