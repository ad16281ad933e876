package org.reffakd.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code reffakd} command line. */
@Command(name = "reffakd", mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
        "Teacher-free knowledge distillation with autoencoder soft labels (ReffAKD).",
        "A small convolutional autoencoder learns the data; the class-by-class cosine "
            + "similarity of its embeddings, row-softmaxed, is a soft label per class; a "
            + "student is trained on hard labels plus those soft labels.",
        "",
        "Start with: reffakd run --dataset fashion-mnist   (then: reffakd help run)"},
    subcommands = {RunCommand.class, StudyCommand.class, ServeCommand.class, IngestCommand.class, WorkerCommand.class,
        SubmitCommand.class,
        TeacherCommand.class, PluginsCommand.class, BenchCommand.class, ExportCommand.class, PredictCommand.class,
        CommandLine.HelpCommand.class})
public final class Main {

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /**
   * Publishes the run defaults for the help texts as system properties {@code
   * reffakd.default.<field>} (config.json's names): RunConfig.defaults is their one home.
   */
  static void helpDefaults() {
    org.reffakd.nn.run.RunConfig d = org.reffakd.nn.run.RunConfig.defaults("fashion-mnist");
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> m = org.reffakd.nn.run.RunConfig.JSON.convertValue(d,
        java.util.Map.class);
    m.forEach((k, v) -> {
      if (v != null && !(v instanceof java.util.Collection<?>)
          && !(v instanceof java.util.Map<?, ?>)) {
        System.setProperty("reffakd.default." + k, String.valueOf(v));
      }
    });
    System.setProperty("reffakd.default.soft_label_variant", d.softVariant());
  }

  /** Runs the command line and returns the exit code (0 = success). */
  public static int execute(String... args) {
    // --help reads every default from RunConfig.defaults, the one place they live:
    // ${sys:reffakd.default.<field>} (threads: what it is on this machine)
    helpDefaults();
    // the backstop: no Java deserialization in this process but of ModelFiles' allow-list
    org.reffakd.backend.ModelFiles.installSerialFilter();
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      // expected failures (bad input, bad parameter) get one clear line, not a stack trace
      String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
      if (outOfMemory(ex, msg)) {
        msg = "out of memory (" + msg + ", with a heap of at most "
            + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB): set a larger one with "
            + "REFFAKD_HEAP, e.g. REFFAKD_HEAP=4g ./reffakd ...";
      }
      cmd.getErr().println("reffakd: error: " + msg);
      cmd.getErr().flush();
      if (System.getenv("REFFAKD_DEBUG") != null) {
        ex.printStackTrace(cmd.getErr());
      }
      return 1;
    });
    try {
      return cl.execute(args);
    } catch (ExceptionInInitializerError e) {
      // a setting read once per process and found bad (e.g. REFFAKD_VECTOR_BITS): one line
      Throwable cause = e.getCause() == null ? e : e.getCause();
      cl.getErr().println("reffakd: error: " + (cause.getMessage() == null ? cause.toString()
          : cause.getMessage()));
      cl.getErr().flush();
      return 1;
    }
  }

  /** An OutOfMemoryError, here or as the cause (a stage may pass on only its message). */
  static boolean outOfMemory(Throwable ex, String msg) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof OutOfMemoryError) {
        return true;
      }
    }
    return msg.contains("Java heap space");
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"reffakd " + org.reffakd.nn.util.CodeVersion.get()};
    }
  }
}
