package org.songhong.cli;

import java.io.PrintWriter;
import java.util.Map;
import org.songhong.config.SonghongConfig;
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
   * Why a warm runner whose Spark context has {@code running}'s settings would not run this command
   * line as the command's own JVM would, or null when it can: the command reads standard input
   * ({@code songhong sql} without a statement), or asks for a Spark master or a {@code spark.*}
   * setting other than the runner's (its {@code --conf}, or {@code SONGHONG_SPARK_MASTER} in {@code
   * environment}). A new JVM makes its Spark context from them; a running one would ignore some and
   * keep the others for every later command.
   */
  public static String runnerRefusal(
      String[] args,
      Map<String, String> environment,
      java.util.function.Function<String, String> running) {
    Map<String, String> conf;
    try {
      CommandLine.ParseResult parsed = new CommandLine(new Main()).parseArgs(args);
      while (parsed.subcommand() != null) {
        parsed = parsed.subcommand();
      }
      if (parsed.commandSpec().name().equals("sql") && parsed.matchedPositionals().isEmpty()) {
        return "the command reads standard input, which the runner does not have";
      }
      conf = parsed.matchedOptionValue("--conf", Map.<String, String>of());
    } catch (CommandLine.ParameterException e) {
      return null; // the runner answers with the same error the command would give
    }
    String master =
        conf.getOrDefault(
            SonghongConfig.SPARK_MASTER.key(),
            environment.getOrDefault(
                SonghongConfig.envName(SonghongConfig.SPARK_MASTER.key()), ""));
    if (!master.isBlank() && !master.equals(running.apply("spark.master"))) {
      return "the command asks for the Spark master "
          + master
          + ", the runner's is "
          + running.apply("spark.master");
    }
    for (Map.Entry<String, String> e : conf.entrySet()) {
      if (e.getKey().startsWith("spark.") && !e.getValue().equals(running.apply(e.getKey()))) {
        return "the command sets "
            + e.getKey()
            + ", which only a Spark context of its own takes (the runner would keep it for later commands)";
      }
    }
    return null;
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
