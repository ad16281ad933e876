package org.reffakd.cli;

import picocli.CommandLine.Option;

/** Where the dashboard listens. */
final class DashboardFlags {

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "dashboard address "
      + "(default ${DEFAULT-VALUE}; anything else needs --token)")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "dashboard and /metrics port "
      + "(default ${DEFAULT-VALUE}; 0 = any free port)")
  int port;

  @Option(names = "--token", paramLabel = "TOKEN", description = "token required for requests "
      + "that change state (Authorization: Bearer TOKEN); needed when --host is not loopback")
  String token;
}
