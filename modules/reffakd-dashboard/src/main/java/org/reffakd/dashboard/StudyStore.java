package org.reffakd.dashboard;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the studies under the runs root ({@code reffakd study --out DIR}): a study is a folder
 * directly under the root that holds {@code study.json}, or the root itself when it holds one
 * (then its id is the root's folder name). The study rewrites study.json and its plots
 * atomically after every finished job, so every request reads them again: the list caches a
 * study's summary only while study.json is the same file (same file key, time and size).
 * Plain blocking file reads: callers run these methods on worker threads. Nothing outside the
 * study folders (and, for plots, their {@code plots} folder) is ever read.
 */
final class StudyStore {

  static final String STUDY_JSON = "study.json";
  static final String PLOTS = "plots";

  /** What a plot's name may look like: a file name in the plots folder, no separators. */
  static final Pattern PLOT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}\\.png");

  private final Path root;
  private final Map<Path, Cached> summaries = new ConcurrentHashMap<>();

  private record Cached(String signature, JsonObject summary) {}

  StudyStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** Whether {@code d} is a study folder: a folder holding a study.json file. */
  static boolean isStudyDir(Path d) {
    return Files.isDirectory(d) && Files.isRegularFile(d.resolve(STUDY_JSON));
  }

  /** Whether the runs root itself is a study folder ({@code reffakd serve --runs STUDY}). */
  boolean rootIsStudy() {
    return isStudyDir(root);
  }

  /** The id of the root when it is a study: its folder name, when that is a valid id. */
  private String rootId() {
    Path name = root.getFileName();
    if (name == null || !RunStore.ID.matcher(name.toString()).matches()
        || name.toString().contains("..")) {
      return null;
    }
    return name.toString();
  }

  /**
   * The folder of study {@code id}, or 404: a malformed id (separators, "..") cannot name a
   * study folder and is answered like an unknown one.
   */
  Path dir(String id) {
    if (org.reffakd.nn.run.RunIds.valid(id)) {
      Path d;
      try {
        d = org.reffakd.nn.run.RunIds.resolve(root, "study id", id);
      } catch (IllegalArgumentException e) {
        d = null; // a link out of the runs folder
      }
      if (d != null && isStudyDir(d)) {
        return d;
      }
      if (id.equals(rootId()) && rootIsStudy()) {
        return root;
      }
    }
    String shown = id == null ? "" : id.length() > 60 ? id.substring(0, 60) + "..." : id;
    throw ApiException.notFound("no study '" + shown + "' under " + root + " (a study is a"
        + " folder holding study.json, named by its folder name)");
  }

  /** Every study, most recently changed first. */
  List<JsonObject> list() {
    Set<Path> dirs = new LinkedHashSet<>();
    if (rootIsStudy() && rootId() != null) {
      dirs.add(root);
    }
    if (Files.isDirectory(root)) {
      try (Stream<Path> s = Files.list(root)) {
        s.filter(p -> RunStore.ID.matcher(p.getFileName().toString()).matches())
            .filter(StudyStore::isStudyDir).sorted().forEach(dirs::add);
      } catch (IOException e) {
        throw new ApiException(500, "cannot list the runs folder " + root + ": " + e);
      }
    }
    List<JsonObject> out = new ArrayList<>();
    for (Path d : dirs) {
      out.add(summary(d.equals(root) ? rootId() : d.getFileName().toString(), d));
    }
    out.sort(Comparator.comparing((JsonObject o) -> o.getString("modified", "")).reversed());
    return out;
  }

  private JsonObject summary(String id, Path d) {
    String sig = signature(d.resolve(STUDY_JSON));
    Cached c = summaries.get(d);
    if (c != null && sig != null && c.signature().equals(sig)) {
      return c.summary().copy();
    }
    JsonObject s = new JsonObject().put("id", id);
    try {
      JsonObject study = RunStore.readJson(d, STUDY_JSON);
      if (study == null) { // vanished since the listing
        s.put("error", "no study.json");
      } else {
        JsonObject settings = settings(study);
        s.put("dataset", study.getString("dataset"))
            .put("jobs", jobs(study, settings)).put("jobs_done", jobsDone(study, settings));
      }
    } catch (ApiException | ClassCastException e) {
      s.put("error", e.getMessage());
    }
    s.put("modified", modified(d));
    s = Json.finite(s);
    if (sig != null) {
      summaries.put(d, new Cached(sig, s.copy()));
    }
    return s;
  }

  /** study.json as written, plus {@code id}, {@code plots} (the PNG names in plots/, in the
   * study's order), {@code plot_captions} ({name: caption}) and {@code modified}. */
  JsonObject details(String id) {
    Path d = dir(id);
    JsonObject study = RunStore.readJson(d, STUDY_JSON);
    if (study == null) {
      throw ApiException.notFound("no study '" + id + "': its study.json is gone");
    }
    JsonObject captions = new JsonObject();
    List<String> ordered = new ArrayList<>();
    try {
      Object listed = study.getValue("plots");
      if (listed instanceof JsonArray a) {
        for (Object o : a) {
          if (o instanceof JsonObject p && p.getValue("file") instanceof String f) {
            String name = f.substring(f.lastIndexOf('/') + 1);
            if (PLOT.matcher(name).matches()) {
              ordered.add(name);
              if (p.getValue("caption") instanceof String cap) {
                captions.put(name, cap);
              }
            }
          }
        }
      }
      JsonObject settings = settings(study);
      study.put("jobs_total", jobs(study, settings)).put("jobs_done", jobsDone(study, settings));
    } catch (ClassCastException e) {
      throw new ApiException(500, "cannot read " + d.resolve(STUDY_JSON) + ": " + e.getMessage());
    }
    Set<String> present = new LinkedHashSet<>();
    Path plots = d.resolve(PLOTS);
    if (Files.isDirectory(plots)) {
      try (Stream<Path> s = Files.list(plots)) {
        s.map(p -> p.getFileName().toString()).filter(n -> PLOT.matcher(n).matches())
            .filter(n -> Files.isRegularFile(plots.resolve(n), LinkOption.NOFOLLOW_LINKS))
            .sorted().forEach(present::add);
      } catch (IOException e) {
        throw new ApiException(500, "cannot list " + plots + ": " + e);
      }
    }
    JsonArray names = new JsonArray();
    ordered.stream().filter(present::remove).forEach(names::add);
    present.forEach(names::add); // drawn but not in study.json's list (an older writer)
    study.put("id", id).put("plots", names).put("plot_captions", captions)
        .put("modified", modified(d));
    return Json.finite(study);
  }

  /** The bytes of plot {@code name} of study {@code id}, or 404. */
  byte[] plot(String id, String name) {
    Path d = dir(id);
    if (name == null || !PLOT.matcher(name).matches()) {
      String shown = name == null ? "" : name.length() > 60 ? name.substring(0, 60) + "..."
          : name;
      throw ApiException.notFound("no plot '" + shown + "' in study '" + id + "' (a plot is a"
          + " .png file name: letters, digits, '.', '_', '-')");
    }
    Path plots = d.resolve(PLOTS);
    Path p = plots.resolve(name).normalize();
    if (!plots.equals(p.getParent()) || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      throw ApiException.notFound("no plot '" + name + "' in study '" + id + "'");
    }
    try {
      return Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      throw ApiException.notFound("no plot '" + name + "' in study '" + id + "'");
    } catch (IOException e) {
      throw new ApiException(500, "cannot read " + p + ": " + e);
    }
  }

  // ---- helpers ----

  private static JsonObject settings(JsonObject study) {
    JsonObject s = study.getJsonObject("settings");
    return s == null ? new JsonObject() : s;
  }

  /** The number of jobs the study plans: settings.jobs, else the jobs written so far. */
  private static Object jobs(JsonObject study, JsonObject settings) {
    Object v = settings.getValue("jobs");
    return v instanceof Number ? v : jobsDone(study, settings);
  }

  /** The jobs finished: settings.jobs_done, else the number of jobs in study.json. */
  private static Object jobsDone(JsonObject study, JsonObject settings) {
    Object v = settings.getValue("jobs_done");
    if (v instanceof Number) {
      return v;
    }
    return study.getValue("jobs") instanceof JsonArray a ? a.size() : 0;
  }

  /** When study.json last changed (ISO-8601), or "" when it cannot be read. */
  private static String modified(Path d) {
    try {
      return Files.getLastModifiedTime(d.resolve(STUDY_JSON)).toInstant().toString();
    } catch (IOException e) {
      return "";
    }
  }

  /** Which study.json this is: a rewrite (a new file moved in) changes its file key. */
  private static String signature(Path f) {
    try {
      BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
      return Objects.toString(a.fileKey()) + '/' + a.lastModifiedTime().toMillis() + '/'
          + a.size();
    } catch (IOException e) {
      return null;
    }
  }
}
