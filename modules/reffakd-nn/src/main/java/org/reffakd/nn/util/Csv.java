package org.reffakd.nn.util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Small CSV writers for run artefacts; files are replaced atomically. */
public final class Csv {

  private Csv() {}

  /** Rows by column name: header = union of their columns in first-seen order. */
  public static void writeRows(Path file, List<Map<String, Object>> rows) {
    Set<String> cols = new LinkedHashSet<>();
    for (Map<String, Object> r : rows) {
      cols.addAll(r.keySet());
    }
    StringBuilder sb = new StringBuilder(String.join(",", cols)).append('\n');
    for (Map<String, Object> r : rows) {
      List<String> cells = new ArrayList<>();
      for (String c : cols) {
        Object v = r.get(c);
        cells.add(v == null ? "" : v.toString());
      }
      sb.append(String.join(",", cells)).append('\n');
    }
    write(file, sb.toString());
  }

  /** A square matrix with class names as header and first column. */
  public static void writeMatrix(Path file, List<String> names, double[] m) {
    int c = names.size();
    StringBuilder sb = new StringBuilder("class");
    for (String n : names) {
      sb.append(',').append(quote(n));
    }
    sb.append('\n');
    for (int i = 0; i < c; i++) {
      sb.append(quote(names.get(i)));
      for (int j = 0; j < c; j++) {
        sb.append(',').append(m[i * c + j]);
      }
      sb.append('\n');
    }
    write(file, sb.toString());
  }

  private static String quote(String s) {
    return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
  }

  public static void write(Path file, String text) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, text);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
