package org.reffakd.nn.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Run, job and study ids are names, never paths. An id names one folder directly under a root
 * (the runs root, a study's {@code jobs/}): letters, digits, '.', '_', '+', '-', starting with a
 * letter or a digit (so never {@code .} or {@code ..}), no separators, no {@code ..}, at most
 * 200 characters. Every place where an id that came from outside (a Kafka record, a URL, a
 * command line) becomes a path goes through {@link #resolve}, which also checks that the path
 * it returns stays inside the root (a symbolic link in its place that points elsewhere is
 * refused too).
 */
public final class RunIds {

  /** What an id may look like. */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,199}");

  private RunIds() {}

  /** Whether {@code id} is a plain name that can name a folder under a root. */
  public static boolean valid(String id) {
    return id != null && ID.matcher(id).matches() && !id.contains("..");
  }

  /**
   * Returns {@code id} when it is a plain name.
   *
   * @throws IllegalArgumentException naming {@code what} (e.g. "run id") and the rule
   */
  public static String check(String what, String id) {
    if (!valid(id)) {
      String shown = id == null ? "" : id.length() > 60 ? id.substring(0, 60) + "..." : id;
      throw new IllegalArgumentException("malformed " + what + " '" + shown + "': " + RULE);
    }
    return id;
  }

  /** The rule, for messages. */
  public static final String RULE = "an id is the name of one folder (letters, digits, '.', '_',"
      + " '+', '-', starting with a letter or digit, at most 200 characters; no '/', '\\' or"
      + " '..')";

  /**
   * The folder of {@code id} directly under {@code root}, checked: the id is a plain name, the
   * normalized path's parent is the root, and, when something exists there already, its real
   * path is inside the root's real path (no symbolic link out of it).
   *
   * @throws IllegalArgumentException naming {@code what} and the rule or the escape
   */
  public static Path resolve(Path root, String what, String id) {
    check(what, id);
    Path base = root.toAbsolutePath().normalize();
    Path dir = base.resolve(id).normalize();
    if (!base.equals(dir.getParent())) {
      throw new IllegalArgumentException(what + " '" + id + "' does not name a folder directly"
          + " under " + base);
    }
    if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      try {
        Path real = dir.toRealPath();
        if (!real.startsWith(base.toRealPath())) {
          throw new IllegalArgumentException(what + " '" + id + "': " + dir + " leads outside "
              + base + " (to " + real + ")");
        }
      } catch (IOException e) {
        throw new IllegalArgumentException(what + " '" + id + "': cannot check " + dir + ": "
            + e.getMessage(), e);
      }
    }
    return dir;
  }
}
