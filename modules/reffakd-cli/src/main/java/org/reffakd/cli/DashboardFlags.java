package org.reffakd.cli;

import java.util.Map;
import org.reffakd.dashboard.DashboardOptions;
import org.reffakd.dashboard.DashboardServer;
import picocli.CommandLine.Option;

/** Where the dashboard listens. */
final class DashboardFlags {

  /** The environment variable read for the token when --token is not given. */
  static final String TOKEN_ENV = "REFFAKD_TOKEN";

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "dashboard address "
      + "(default ${DEFAULT-VALUE}; anything else needs --token)")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "dashboard and /metrics port "
      + "(default ${DEFAULT-VALUE}; 0 = any free port)")
  int port;

  @Option(names = "--token", paramLabel = "TOKEN", description = "dashboard token (default: "
      + "the environment variable " + TOKEN_ENV + "); needed when --host is not loopback, and "
      + "then every request but /health must send it (Authorization: Bearer TOKEN, or open "
      + "/login?token=TOKEN once in the browser); on loopback it guards requests other than "
      + "GET/HEAD/OPTIONS. At least 16 characters (e.g. openssl rand -hex 16)")
  String token;

  /**
   * Serves the dashboard over {@code root} on this platform and prints the link to
   * {@code fragment} (e.g. {@code #/run/ID}). A busy port must not stop the training: it says
   * so and goes on without the page.
   */
  void start(org.reffakd.platform.Platform p, java.nio.file.Path root, String fragment) {
    try {
      var server = DashboardServer.start(p, new DashboardOptions(host, port, root, token()));
      System.out.printf("dashboard: http://%s:%d/%s  (metrics: /metrics)%n", host,
          server.actualPort(), fragment);
    } catch (RuntimeException e) {
      System.out.println("dashboard not started: " + e.getMessage()
          + " (use --port, or --no-dashboard)");
    }
  }

  /** --token, else $REFFAKD_TOKEN, else null. */
  String token() {
    return token(System.getenv());
  }

  String token(Map<String, String> env) {
    if (token != null && !token.isBlank()) {
      return token;
    }
    String t = env.get(TOKEN_ENV);
    return t == null || t.isBlank() ? null : t;
  }
}
