package org.reffakd.dashboard;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/**
 * Where and how the dashboard listens.
 *
 * @param host     interface to bind; default {@value #DEFAULT_HOST} (this machine only). Any
 *                 other address exposes the dashboard and then needs a {@code token}
 * @param port     TCP port, default {@value #DEFAULT_PORT}; 0 picks a free one
 * @param runsRoot folder whose sub-folders are run directories; default {@code runs}
 * @param token    shared secret: off loopback every request (but /health) must present it as
 *                 {@code Authorization: Bearer <token>} or through the cookie /login sets; on
 *                 loopback, requests other than GET/HEAD/OPTIONS; null for none (allowed on
 *                 loopback only)
 */
public record DashboardOptions(String host, int port, Path runsRoot, String token) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final Path DEFAULT_RUNS_ROOT = Path.of("runs");

  public DashboardOptions {
    host = host == null || host.isBlank() ? DEFAULT_HOST : host.trim();
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("dashboard port must be in [0, 65535] (0 = any free"
          + " port), got " + port);
    }
    runsRoot = runsRoot == null ? DEFAULT_RUNS_ROOT : runsRoot;
    token = token == null || token.isBlank() ? null : token;
  }

  /** 127.0.0.1:8080 over ./runs, no token. */
  public static DashboardOptions defaults() {
    return new DashboardOptions(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_RUNS_ROOT, null);
  }

  public DashboardOptions withPort(int p) {
    return new DashboardOptions(host, p, runsRoot, token);
  }

  /**
   * Whether {@link #host} is a loopback interface ({@code localhost}, 127.0.0.0/8, ::1). A name
   * that does not resolve counts as not loopback.
   */
  public boolean loopback() {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** The shortest token accepted. */
  public static final int MIN_TOKEN_LENGTH = 16;

  /**
   * Checks the combination: a dashboard bound beyond loopback must have a token, and a token
   * has at least {@value #MIN_TOKEN_LENGTH} characters.
   *
   * @throws IllegalArgumentException naming the host and how to fix it
   */
  public DashboardOptions validate() {
    if (token != null && token.length() < MIN_TOKEN_LENGTH) {
      throw new IllegalArgumentException("dashboard: the token is " + token.length()
          + " characters, it must be at least " + MIN_TOKEN_LENGTH + " (a guessable token "
          + "guards nothing; e.g. openssl rand -hex 16)");
    }
    if (!loopback() && token == null) {
      throw new IllegalArgumentException("dashboard: binding " + host + " exposes it beyond this"
          + " machine, so a token is required (--token or REFFAKD_TOKEN); or bind "
          + DEFAULT_HOST);
    }
    return this;
  }

  @Override
  public String toString() {
    return "DashboardOptions[host=" + host + ", port=" + port + ", runsRoot=" + runsRoot
        + ", token=" + (token == null ? "none" : "***") + "]";
  }
}
