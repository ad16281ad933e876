package org.reffakd.nn.util;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;

/**
 * The platform's library code logs through the JDK's logger facade ({@link System.Logger}); the
 * command line installs the console finder that prints it (the CLI's {@code ConsoleLoggerFinder}:
 * INFO and WARNING lines to standard output as they are, ERROR to standard error), a test or an
 * embedding application whatever it likes. Code that takes a {@link PrintStream} for its
 * progress lines (the stages, {@code RunData.load}) gets one here that logs each line.
 */
public final class Logs {

  private Logs() {}

  /** The logger of a class (named by the class). */
  public static Logger of(Class<?> owner) {
    return System.getLogger(owner.getName());
  }

  /** A stream whose every line goes to the logger at INFO. */
  public static PrintStream info(Logger logger) {
    return new PrintStream(new LineLogger(logger), true, StandardCharsets.UTF_8);
  }

  private static final class LineLogger extends OutputStream {
    private final Logger logger;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineLogger(Logger logger) {
      this.logger = logger;
    }

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        logger.log(Level.INFO, line.toString(StandardCharsets.UTF_8));
        line.reset();
      } else {
        line.write(b);
      }
    }
  }
}
