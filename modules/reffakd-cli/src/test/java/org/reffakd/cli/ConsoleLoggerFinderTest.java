package org.reffakd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.reffakd.nn.util.Logs;

/**
 * The command line's console for the library's logging: found by the JDK (ServiceLoader), it
 * prints the platform's INFO and WARNING lines to standard output as they are and ERROR to
 * standard error; other libraries' loggers only from WARNING, named.
 */
class ConsoleLoggerFinderTest {

  @Test
  void theLibrarysLinesReachTheConsoleAsTheyAre() {
    assertEquals(ConsoleLoggerFinder.class, System.LoggerFinder.getLoggerFinder().getClass());
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      System.Logger ours = Logs.of(ConsoleLoggerFinderTest.class);
      ours.log(Level.INFO, "worker w: job-1 done");
      ours.log(Level.WARNING, "data: 2 malformed records {0}");
      ours.log(Level.ERROR, "worker w stopped: boom");
      ours.log(Level.DEBUG, "not shown");
      Logs.info(ours).println("a progress line");
      System.Logger other = System.getLogger("com.example.Lib");
      other.log(Level.INFO, "not shown either");
      other.log(Level.WARNING, "careful");
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    assertEquals("worker w: job-1 done\ndata: 2 malformed records {0}\na progress line\n",
        o.toString(StandardCharsets.UTF_8));
    String errText = e.toString(StandardCharsets.UTF_8);
    assertEquals("worker w stopped: boom\ncom.example.Lib: warning: careful\n", errText);
    assertFalse(errText.contains("not shown"));
  }
}
