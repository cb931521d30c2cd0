package gmemsim.cli;

import gmemsim.scenario.ScenarioException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gmemsim} command line (DESIGN §7): exit 0 match, 1 mismatch, 2 bad input. */
@Command(
    name = "gmemsim",
    mixinStandardHelpOptions = true,
    version = "gmemsim 0.1",
    description = "Race hunter for KVM guest_memfd memory management.",
    subcommands = {
      RunCommand.class, ClusterCommand.class, NodeCommand.class, ReplayCommand.class, ListCommand.class,
      BenchCommand.class
    })
public final class Main implements Runnable {
  public static final int MATCH = 0;
  public static final int MISMATCH = 1;
  public static final int BAD_INPUT = 2;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a command line and returns its exit code (tests call this). */
  public static int execute(String... args) {
    // picocli already exits 2 (ExitCode.USAGE) on an unknown option or a missing argument.
    CommandLine cl = new CommandLine(new Main());
    // A wrong option or value: one line saying what, and where the help is (not the whole usage).
    cl.setParameterExceptionHandler((ex, args2) -> {
      CommandLine c = ex.getCommandLine();
      c.getErr().println("gmemsim: " + ex.getMessage());
      c.getErr().println("gmemsim: see 'gmemsim " + (c.getCommandName().equals("gmemsim") ? "" : c.getCommandName() + " ") + "--help'");
      return BAD_INPUT;
    });
    cl.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          if (ex instanceof ScenarioException || ex instanceof BadInput) {
            cmd.getErr().println("gmemsim: " + ex.getMessage());
            return BAD_INPUT;
          }
          throw ex;
        });
    return cl.execute(args);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** Bad input that is not a scenario: an unreadable replay file, a wrong option value. */
  static final class BadInput extends RuntimeException {
    BadInput(String m, Throwable cause) {
      super(m, cause);
    }
  }
}
