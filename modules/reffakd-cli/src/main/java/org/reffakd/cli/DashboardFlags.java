package org.reffakd.cli;

import java.util.Map;
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
      + "GET/HEAD/OPTIONS")
  String token;

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
