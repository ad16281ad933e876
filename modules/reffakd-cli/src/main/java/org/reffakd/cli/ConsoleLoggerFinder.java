package org.reffakd.cli;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.text.MessageFormat;
import java.util.ResourceBundle;
import java.util.function.Supplier;

/**
 * Where the library's logging ({@link System.Logger}, see {@code org.reffakd.nn.util.Logs})
 * goes when the command line runs: the platform's own messages (loggers under {@code
 * org.reffakd}) as plain lines, INFO and WARNING to standard output, ERROR to standard error;
 * DEBUG and TRACE only with {@code REFFAKD_LOG=debug}. Other libraries' JDK loggers print their
 * warnings and errors to standard error, named. Found by the JDK with ServiceLoader
 * (META-INF/services/java.lang.System$LoggerFinder).
 */
public final class ConsoleLoggerFinder extends System.LoggerFinder {

  private static final boolean DEBUG = "debug".equalsIgnoreCase(System.getenv("REFFAKD_LOG"));

  @Override
  public Logger getLogger(String name, Module module) {
    return new Console(name, name.startsWith("org.reffakd"));
  }

  private record Console(String name, boolean ours) implements Logger {

    @Override
    public String getName() {
      return name;
    }

    @Override
    public boolean isLoggable(Level level) {
      if (level == Level.OFF) {
        return false;
      }
      int min = DEBUG ? Level.DEBUG.getSeverity()
          : (ours ? Level.INFO : Level.WARNING).getSeverity();
      return level.getSeverity() >= min;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
      if (!isLoggable(level)) {
        return;
      }
      String text = thrown == null ? msg : msg + ": " + thrown;
      if (!ours) {
        System.err.println(name + ": " + level.getName().toLowerCase() + ": " + text);
      } else if (level.getSeverity() >= Level.ERROR.getSeverity()) {
        System.err.println(text);
      } else {
        System.out.println(text);
      }
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      if (isLoggable(level)) {
        log(level, bundle, params == null || params.length == 0 ? format
            : MessageFormat.format(format, params), (Throwable) null);
      }
    }

    @Override
    public void log(Level level, Supplier<String> msg) {
      if (isLoggable(level)) {
        log(level, null, msg.get(), (Throwable) null);
      }
    }
  }
}
