package org.reffakd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

/** One {@code reffakd} command run in this JVM: its exit status and what it printed. */
record Cli(int rc, String out, String err) {

  /** Runs {@code reffakd args...} with System.out and System.err captured (restored after). */
  static Cli run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true));
    System.setErr(new PrintStream(err, true));
    int rc;
    try {
      rc = Main.execute(args);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    return new Cli(rc, out.toString(), err.toString());
  }

  /**
   * A short direct run with the ce loss (6 epochs, no autoencoder epoch, no dashboard) on the
   * IDX files in {@code data}, into {@code out}; fails the test unless it exits 0.
   */
  static void shortCeRun(Path data, Path out, int valSize) {
    Cli r = run("run", "--data", data.toString(), "--loss", "ce", "--epochs", "6",
        "--ae-epochs", "0", "--val-size", Integer.toString(valSize), "--direct",
        "--no-dashboard", "--out", out.toString());
    assertEquals(0, r.rc(), r.printed());
  }

  /** Standard output, then standard error: a failed assertion's message. */
  String printed() {
    return out + err;
  }
}
