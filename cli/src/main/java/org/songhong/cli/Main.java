package org.songhong.cli;

import java.io.PrintWriter;
import org.songhong.error.SonghongException;
import org.songhong.job.LakeRuntime;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code songhong} command-line tool. */
@Command(
    name = "songhong",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "A lakehouse that tracks a region's economy against its official targets.",
    subcommands = {
      DemoCommand.class,
      RunCommand.class,
      RunsCommand.class,
      JobsCommand.class,
      SqlCommand.class,
      TablesCommand.class,
      SettingsCommand.class,
      ReportCommand.class,
      ExplainCommand.class,
      ScenarioCommand.class,
      GenerateCommand.class,
      StreamCommand.class,
      PinCommand.class,
      AirflowCommand.class,
      ServeCommand.class,
      PublishCommand.class,
      ExportCommand.class,
      CommandLine.HelpCommand.class
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  success",
      "  1  a job or query failed",
      "  2  wrong command line",
      "  3  an input or schemas/ file is invalid",
      "  4  a write would break a table contract (nothing written)"
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(
        execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /**
   * Whether a command line would read its statements from standard input ({@code songhong sql}
   * without a statement).
   */
  public static boolean readsStandardInput(String[] args) {
    try {
      CommandLine.ParseResult parsed = new CommandLine(new Main()).parseArgs(args);
      CommandLine.ParseResult sub = parsed.subcommand();
      return sub != null
          && sub.commandSpec().name().equals("sql")
          && sub.matchedPositionals().isEmpty();
    } catch (CommandLine.ParameterException e) {
      return false;
    }
  }

  /** Runs a command line; returns the exit code. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    return execute(new Main(), args, out, err);
  }

  /** Runs a command line on a root command (songhong's, or another tool's such as bench/run's). */
  public static int execute(Object root, String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(root);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof SonghongException se) {
            err.println("songhong: " + se.getMessage());
            return se.exitCode().code();
          }
          err.println(
              "songhong: unexpected error: " + ex + " (see logs/songhong.jsonl; please report it)");
          ex.printStackTrace(err);
          return SonghongException.ExitCode.FAILED.code();
        });
    cli.setParameterExceptionHandler(
        (ex, args2) -> {
          err.println(
              "songhong: "
                  + ex.getMessage()
                  + " (see 'songhong "
                  + commandName(ex.getCommandLine())
                  + " --help')");
          return SonghongException.ExitCode.USAGE.code();
        });
    return cli.execute(args);
  }

  private static String commandName(CommandLine c) {
    String q = c.getCommandSpec().qualifiedName(" ");
    return q.startsWith("songhong ") ? q.substring("songhong ".length()) : "";
  }

  /** The version from the jar's manifest. */
  public static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "songhong "
            + LakeRuntime.version()
            + " (Spark "
            + org.apache.spark.package$.MODULE$.SPARK_VERSION()
            + ")"
      };
    }
  }
}
