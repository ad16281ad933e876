package org.reffakd.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.reffakd.nn.loss.LossRegistry;
import org.reffakd.spi.ParameterSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code reffakd plugins}: every loss strategy, where it comes from, what it needs and takes. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
    description = {"List every loss strategy: name, version, origin (built-in or jar path), "
        + "needs, and parameters with defaults and valid ranges. Jars that could not be loaded "
        + "are listed with the reason."})
final class PluginsCommand implements Callable<Integer> {

  @Option(names = "--plugins", paramLabel = "DIR", description = "also search this folder of "
      + "plugin jars, repeatable (always searched: $REFFAKD_PLUGINS or ~/.reffakd/plugins)")
  List<Path> dirs = List.of();

  @Override
  public Integer call() {
    LossRegistry r = LossRegistry.discover(LossRegistry.pluginDirs(dirs));
    for (LossRegistry.Entry e : r.entries()) {
      var p = e.plugin();
      System.out.printf("%-16s %-6s %s%n", p.name(), p.version(), e.origin());
      System.out.println("    " + p.description());
      System.out.println("    needs: " + (p.needs().isEmpty() ? "-" : p.needs().stream()
          .map(n -> n.name().toLowerCase().replace('_', ' ')).collect(Collectors.joining(", "))));
      for (ParameterSpec s : p.parameters()) {
        System.out.printf("    --param %s=%s   %s %s%n", s.name(), fmt(s.defaultValue()),
            s.isChoice() ? "one of" : "in", s.rangeText() + "  " + s.description());
      }
      if (e.refusal() != null) {
        System.out.println("    REFUSED: " + e.refusal());
      }
    }
    for (String problem : r.problems()) {
      System.out.println("problem: " + problem);
    }
    return 0;
  }

  private static String fmt(Object v) {
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return Long.toString(n.longValue());
    }
    return String.valueOf(v);
  }
}
