package org.reffakd.cli;

import java.io.PrintStream;
import org.reffakd.nn.train.Progress;

/**
 * Progress on the terminal: a live line (epoch, loss, images/s, time left) redrawn in place
 * when attached to a terminal, a line every 10 seconds otherwise; one line per finished epoch.
 */
final class ConsoleProgress implements Progress {

  private final PrintStream out;
  private final boolean tty = System.console() != null;
  private long lastPrint;

  ConsoleProgress(PrintStream out) {
    this.out = out;
  }

  @Override
  public void batch(String stage, int epoch, int epochs, int done, int total, double loss,
                    double ips) {
    long now = System.nanoTime();
    if (!tty && now - lastPrint < 10_000_000_000L) {
      return;
    }
    lastPrint = now;
    double left = ips > 0 ? ((total - done) + (double) (epochs - epoch) * total) / ips : 0;
    String line = String.format("%s epoch %d/%d  %3d%%  loss %.4f  %.0f img/s  ~%s left",
        stage, epoch, epochs, 100L * done / total, loss, ips, duration(left));
    if (tty) {
      out.print("\r" + line + "   ");
    } else {
      out.println(line);
    }
    out.flush();
  }

  @Override
  public void epoch(String stage, int epoch, int epochs, String summary,
                    Progress.Row row) {
    out.println((tty ? "\r" : "") + stage + " epoch " + epoch + "/" + epochs + "  " + summary
        + (tty ? "            " : ""));
    out.flush();
  }

  static String duration(double s) {
    long t = Math.round(s);
    return t >= 3600 ? String.format("%dh%02dm", t / 3600, t % 3600 / 60)
        : String.format("%dm%02ds", t / 60, t % 60);
  }
}
