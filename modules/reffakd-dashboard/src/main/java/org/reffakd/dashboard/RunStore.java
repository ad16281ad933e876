package org.reffakd.dashboard;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads run directories under the runs root into the dashboard's JSON. Plain blocking file
 * reads: callers run these methods on worker threads. A run id is the name of its directory
 * under the root ({@link #checkId}), or under the root's {@code jobs} folder when the root is a
 * study ({@link StudyStore}); a run the event bus announced with a {@code dir} elsewhere
 * is found through that dir. Nothing outside those folders is ever read.
 */
final class RunStore {

  /** What a run id may look like: a directory name, no separators, no "..". */
  static final Pattern ID = org.reffakd.nn.run.RunIds.ID;

  /** Run statuses: the three of RUN_STATUS plus {@code incomplete} (see the README section). */
  static final Set<String> STATUSES = Set.of("running", "finished", "failed", "incomplete");

  /** The folder of a study that holds its jobs' run folders. */
  static final String STUDY_JOBS = "jobs";

  private final Path root;
  private final Map<Path, Cached> summaries = new ConcurrentHashMap<>();

  private record Cached(String signature, JsonObject summary) {}

  RunStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  Path root() {
    return root;
  }

  /**
   * Returns {@code id} when it can name a run directory.
   *
   * @throws ApiException 400 naming the rule, for anything else (separators, "..", odd
   *                      characters, too long)
   */
  static String checkId(String id) {
    if (!org.reffakd.nn.run.RunIds.valid(id)) {
      String shown = id == null ? "" : id.length() > 60 ? id.substring(0, 60) + "..." : id;
      throw ApiException.badRequest("malformed run id '" + shown + "': a run id is the name of"
          + " a run directory (letters, digits, '.', '_', '+', '-'; no '/' or '..')");
    }
    return id;
  }

  /** The directory of run {@code id}, or 404. */
  Path dir(String id, JsonObject live) {
    Path d = dirOrNull(id, live);
    if (d == null) {
      throw ApiException.notFound("no run '" + id + "' under " + root);
    }
    return d;
  }

  /** The directory of run {@code id}, or null when there is none (yet). */
  Path dirOrNull(String id, JsonObject live) {
    checkId(id);
    for (Path base : bases()) {
      Path d;
      try {
        d = org.reffakd.nn.run.RunIds.resolve(base, "run id", id);
      } catch (IllegalArgumentException e) {
        continue; // a link out of the runs folder: not a run of this folder
      }
      if (isRunDir(d)) {
        return d;
      }
    }
    if (live != null && live.getString("dir") != null) {
      Path ld = Path.of(live.getString("dir")).toAbsolutePath().normalize();
      if (Files.isDirectory(ld)) {
        return ld;
      }
    }
    return null;
  }

  /** A run the bus announced whose directory has nothing to read yet. */
  private static JsonObject liveOnly(String id, JsonObject live) {
    return Json.finite(new JsonObject().put("id", id).put("status", status(null, live))
        .put("live", live).put("dataset", live.getString("dataset"))
        .put("loss", live.getString("loss")).put("files", new JsonArray()));
  }

  /**
   * Where run folders are: the root, and its {@code jobs} folder when the root is a study
   * ({@code reffakd serve --runs STUDY}: each job of the study is a run folder there).
   */
  private List<Path> bases() {
    return StudyStore.isStudyDir(root) ? List.of(root, root.resolve(STUDY_JOBS)) : List.of(root);
  }

  private static boolean isRunDir(Path d) {
    return Files.isDirectory(d) && (Files.isRegularFile(d.resolve("config.json"))
        || Files.isRegularFile(d.resolve("result.json"))
        || Files.isRegularFile(d.resolve("metrics.csv")));
  }

  /** Every run under the root and every live one, most recently changed first. */
  List<JsonObject> list(Map<String, JsonObject> live) {
    Map<String, JsonObject> out = new LinkedHashMap<>();
    for (Path base : bases()) {
      if (!Files.isDirectory(base)) {
        continue;
      }
      List<Path> dirs;
      try (Stream<Path> s = Files.list(base)) {
        dirs = s.filter(p -> ID.matcher(p.getFileName().toString()).matches())
            .filter(RunStore::isRunDir).toList();
      } catch (IOException e) {
        throw new ApiException(500, "cannot list the runs folder " + base + ": " + e);
      }
      for (Path d : dirs) {
        String id = d.getFileName().toString();
        out.putIfAbsent(id, summary(id, d, live.get(id)));
      }
    }
    live.forEach((id, l) -> {
      if (!out.containsKey(id)) {
        JsonObject s = new JsonObject().put("id", id).put("status", status(null, l))
            .put("dataset", l.getString("dataset")).put("loss", l.getString("loss"))
            .put("modified", Instant.ofEpochMilli(l.getLong("updated", 0L)).toString())
            .put("live", l);
        out.put(id, s);
      }
    });
    List<JsonObject> runs = new ArrayList<>(out.values());
    runs.sort(Comparator.comparing((JsonObject o) -> o.getString("modified", "")).reversed());
    return runs;
  }

  private JsonObject summary(String id, Path d, JsonObject live) {
    String sig = signature(d);
    Cached c = summaries.get(d);
    JsonObject s;
    if (c != null && c.signature().equals(sig)) {
      s = c.summary().copy();
    } else {
      s = readSummary(id, d);
      summaries.put(d, new Cached(sig, s.copy()));
    }
    s.put("status", status(d, live));
    if (live != null) {
      s.put("live", live);
    }
    return s;
  }

  private static String signature(Path d) {
    StringBuilder sb = new StringBuilder();
    for (String f : List.of("config.json", "result.json", "metrics.csv")) {
      try {
        sb.append(Files.getLastModifiedTime(d.resolve(f)).toMillis()).append('/')
            .append(Files.size(d.resolve(f))).append(';');
      } catch (IOException e) {
        sb.append("-;");
      }
    }
    return sb.toString();
  }

  private JsonObject readSummary(String id, Path d) {
    JsonObject s = new JsonObject().put("id", id);
    try {
      JsonObject cfg = readJson(d, "config.json");
      if (cfg != null) {
        s.put("dataset", cfg.getString("dataset")).put("loss", cfg.getString("loss"))
            .put("seed", cfg.getValue("seed")).put("arch", cfg.getString("arch"))
            .put("epochs", cfg.getValue("epochs"));
      }
      List<JsonObject> rows = readRows(d, "metrics.csv");
      s.put("epochs_done", rows.size());
      Double best = null;
      Double last = null;
      for (JsonObject r : rows) {
        Object v = r.getValue("test_top1");
        if (v instanceof Number n) {
          last = n.doubleValue();
          best = best == null ? last : Math.max(best, last);
        }
      }
      s.put("best_top1", best).put("last_top1", last);
      JsonObject result = readJson(d, "result.json");
      if (result != null) {
        JsonObject acc = result.getJsonObject("test_accuracy", new JsonObject());
        s.put("best_top1", acc.getValue("best", best)).put("last_top1", acc.getValue("last",
            last));
        s.put("finished_at", result.getString("finished_at"));
      }
    } catch (ApiException e) {
      s.put("error", e.getMessage());
    }
    try {
      s.put("modified", Files.getLastModifiedTime(newest(d)).toInstant().toString());
    } catch (IOException e) {
      s.put("modified", "");
    }
    return Json.finite(s);
  }

  private static Path newest(Path d) throws IOException {
    Path best = d;
    long t = Files.getLastModifiedTime(d).toMillis();
    for (String f : List.of("metrics.csv", "autoencoder_metrics.csv", "result.json")) {
      Path p = d.resolve(f);
      if (Files.isRegularFile(p) && Files.getLastModifiedTime(p).toMillis() > t) {
        t = Files.getLastModifiedTime(p).toMillis();
        best = p;
      }
    }
    return best;
  }

  /**
   * The run's status: live events first ({@code running}, {@code failed}, {@code finished}),
   * then the folder ({@code finished} with a result.json, else {@code incomplete}: interrupted,
   * or training in a process whose events this server does not see).
   */
  static String status(Path d, JsonObject live) {
    String ls = live == null ? null : live.getString("status");
    if ("running".equals(ls) || "failed".equals(ls) || "finished".equals(ls)) {
      return ls;
    }
    return d != null && Files.isRegularFile(d.resolve("result.json")) ? "finished"
        : "incomplete";
  }

  /** Everything about one run but its per-epoch rows (see {@link #metrics}). */
  JsonObject details(String id, JsonObject live) {
    Path d = dirOrNull(id, live);
    if (d == null && live != null) {
      return liveOnly(id, live);
    }
    d = dir(id, live);
    JsonObject out = new JsonObject().put("id", id).put("status", status(d, live))
        .put("dir", d.toString());
    if (live != null) {
      out.put("live", live);
    }
    JsonObject cfg = readJson(d, "config.json");
    out.put("config", cfg);
    JsonObject result = readJson(d, "result.json");
    if (cfg != null) {
      out.put("dataset", cfg.getString("dataset")).put("loss", cfg.getString("loss"))
          .put("seed", cfg.getValue("seed"));
    }
    Matrix sim = readMatrix(d, "similarity.csv");
    Matrix soft = readMatrix(d, "soft_labels.csv");
    if (soft != null) {
      out.put("classes", new JsonArray(soft.names()));
      out.put("soft_labels", soft.rows());
    }
    if (sim != null) {
      out.put("classes", new JsonArray(sim.names()));
      out.put("similarity", sim.rows());
    }
    if (result != null) {
      for (String k : List.of("dataset", "loss", "seed", "classes", "arch", "student_parameters",
          "autoencoder_parameters", "soft_label_mode", "test_accuracy", "epochs",
          "autoencoder_epochs", "autoencoder_val_mse", "autoencoder_best_epoch",
          "autoencoder_selection", "timings_s", "finished_at")) {
        if (result.containsKey(k)) {
          out.put(k, result.getValue(k));
        }
      }
      if (!out.containsKey("similarity") && result.containsKey("similarity")) {
        out.put("similarity", result.getValue("similarity"));
      }
      if (!out.containsKey("soft_labels") && result.containsKey("soft_labels")) {
        out.put("soft_labels", result.getValue("soft_labels"));
      }
      JsonObject prov = new JsonObject();
      for (String k : List.of("code_version", "dataset_sha256", "seed", "loss_parameters",
          "teacher", "config")) {
        if (result.containsKey(k)) {
          prov.put(k, result.getValue(k));
        }
      }
      out.put("provenance", prov);
    }
    out.put("files", files(d));
    out.put("models", models(d));
    return Json.finite(out);
  }

  /**
   * A deployable model's file name: FILE.onnx in the run folder (its card, FILE.onnx.json, is
   * served inside the run's details, without the absolute path it holds).
   */
  static final java.util.regex.Pattern MODEL_NAME =
      java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,120}\\.onnx");

  /**
   * The .onnx files 'reffakd export' wrote into the run folder (--out RUN/FILE.onnx), each with
   * its model card (FILE.onnx.json: sizes, accuracies, latency) when there is one.
   */
  private static JsonArray models(Path d) {
    JsonArray a = new JsonArray();
    try (java.util.stream.Stream<Path> s = Files.list(d)) {
      for (Path p : s.sorted().toList()) {
        String name = p.getFileName().toString();
        if (!MODEL_NAME.matcher(name).matches()
            || !Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        JsonObject m = new JsonObject().put("name", name).put("bytes", Files.size(p));
        JsonObject card = readJson(d, name + ".json");
        if (card != null) {
          card.remove("run"); // an absolute path
          m.put("card", card);
        }
        a.add(m);
      }
    } catch (IOException e) {
      // a folder that cannot be listed lists no models
    }
    return a;
  }

  /**
   * A model file of the run folder by name (checked against {@link #MODEL_NAME}: no path, no
   * link), for download.
   */
  static Path modelFile(Path d, String name) {
    if (name == null || !MODEL_NAME.matcher(name).matches()) {
      throw ApiException.badRequest("a model name is FILE.onnx (letters, digits, '.', '_', "
          + "'-')");
    }
    Path p = d.resolve(name);
    if (!Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw ApiException.notFound("no model '" + name + "' in this run");
    }
    return p;
  }

  /** The per-epoch rows: metrics.csv (student) and autoencoder_metrics.csv. */
  JsonObject metrics(String id, JsonObject live, String stage) {
    Path d = dirOrNull(id, live);
    if (d == null && live == null) {
      d = dir(id, null); // 404
    }
    JsonObject out = new JsonObject().put("id", id).put("status", status(d, live));
    if (stage == null || stage.equals("student")) {
      out.put("student", d == null ? new JsonArray()
          : new JsonArray(new ArrayList<>(readRows(d, "metrics.csv"))));
    }
    if (stage == null || stage.equals("autoencoder")) {
      out.put("autoencoder", d == null ? new JsonArray()
          : new JsonArray(new ArrayList<>(readRows(d, "autoencoder_metrics.csv"))));
    }
    return Json.finite(out);
  }

  private static JsonArray files(Path d) {
    JsonArray a = new JsonArray();
    for (String f : List.of("config.json", "metrics.csv", "autoencoder_metrics.csv",
        "similarity.csv", "soft_labels.csv", "result.json", "checkpoints/autoencoder-best.ckpt",
        "checkpoints/autoencoder-last.ckpt", "checkpoints/student-last.ckpt")) {
      Path p = d.resolve(f);
      if (Files.isRegularFile(p)) {
        try {
          a.add(new JsonObject().put("name", f).put("bytes", Files.size(p)));
        } catch (IOException ignored) {
          // vanished between the check and the size: not listed
        }
      }
    }
    return a;
  }

  // ---- file readers: a missing file is null / empty, an unreadable one a 500 naming it ----

  static JsonObject readJson(Path d, String name) {
    String text = readText(d, name);
    if (text == null) {
      return null;
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException e) {
      throw new ApiException(500, "cannot read " + d.resolve(name) + ": not a JSON object ("
          + firstLine(e.getMessage()) + ")");
    }
  }

  static List<JsonObject> readRows(Path d, String name) {
    String text = readText(d, name);
    if (text == null) {
      return List.of();
    }
    List<List<String>> lines = CsvTable.parse(text);
    if (lines.isEmpty()) {
      return List.of();
    }
    List<String> header = lines.get(0);
    List<JsonObject> rows = new ArrayList<>();
    for (List<String> cells : lines.subList(1, lines.size())) {
      JsonObject r = new JsonObject();
      for (int i = 0; i < header.size() && i < cells.size(); i++) {
        r.put(header.get(i), CsvTable.number(cells.get(i)));
      }
      rows.add(r);
    }
    return rows;
  }

  record Matrix(List<String> names, JsonArray rows) {}

  static Matrix readMatrix(Path d, String name) {
    String text = readText(d, name);
    if (text == null) {
      return null;
    }
    List<List<String>> lines = CsvTable.parse(text);
    if (lines.isEmpty()) {
      return null;
    }
    List<String> names = lines.get(0).subList(1, lines.get(0).size());
    JsonArray rows = new JsonArray();
    for (List<String> cells : lines.subList(1, lines.size())) {
      JsonArray row = new JsonArray();
      for (String c : cells.subList(1, cells.size())) {
        Object v = CsvTable.number(c);
        row.add(v instanceof Number n ? n.doubleValue() : null);
      }
      rows.add(row);
    }
    if (rows.size() != names.size()) {
      throw new ApiException(500, "cannot read " + d.resolve(name) + ": " + names.size()
          + " class names but " + rows.size() + " rows");
    }
    return new Matrix(List.copyOf(names), rows);
  }

  private static String readText(Path d, String name) {
    Path p = d.resolve(name);
    try {
      return Files.readString(p);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new ApiException(500, "cannot read " + p + ": " + e);
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int i = s.indexOf('\n');
    return i < 0 ? s : s.substring(0, i);
  }
}
