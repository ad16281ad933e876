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

  /** Runs the command line and returns the exit code (0 = success). */
  public static int execute(String... args) {
    // --help of run, study, teacher and bench says what the thread default is on this machine
    System.setProperty("reffakd.default.threads",
        Integer.toString(org.reffakd.nn.run.RunConfig.defaultThreads()));
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
