package org.reffakd.nn.util;

import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** The code version recorded in every artefact: project version plus git commit when known. */
public final class CodeVersion {

  private static volatile String cached;

  private CodeVersion() {}

  public static String get() {
    if (cached == null) {
      String v = "unknown";
      try (InputStream in = CodeVersion.class.getResourceAsStream("/reffakd-version.properties")) {
        if (in != null) {
          Properties p = new Properties();
          p.load(in);
          v = p.getProperty("version", v);
        }
      } catch (Exception ignored) {
        // keep "unknown"
      }
      String commit = System.getProperty("reffakd.commit");
      if (commit == null || commit.isBlank()) {
        commit = gitCommit();
      }
      cached = commit == null ? v : v + "+" + commit;
    }
    return cached;
  }

  private static String gitCommit() {
    try {
      Process p = new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD")
          .redirectErrorStream(true).start();
      if (!p.waitFor(3, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      String out = new String(p.getInputStream().readAllBytes()).trim();
      return p.exitValue() == 0 && out.matches("[0-9a-f]{7,40}") ? out : null;
    } catch (Exception e) {
      return null;
    }
  }
}
