package org.songhong.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.songhong.error.Errors;
import org.songhong.error.SonghongException;
import org.songhong.job.LakeRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code songhong sql}: one statement, or an interactive shell with history. */
@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = {
      "Query the lake with Spark SQL. Tables are named layer.table: bronze.*, silver.*, gold.*, ops.*.",
      "With no statement, reads statements ending in ';' from the terminal (with history) or from standard input."
    })
final class SqlCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "STATEMENT", description = "The SQL statement to run.")
  String statement;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  ResultPrinter.Format format;

  @Option(
      names = "--max-rows",
      paramLabel = "N",
      defaultValue = "10000",
      description = "Rows to print at most (default: ${DEFAULT-VALUE}).")
  int maxRows;

  @Mixin LakeOptions lake;

  @Override
  public Integer call() throws Exception {
    LakeRuntime rt = Sessions.open(lake.config(), "sql");
    PrintWriter out = spec.commandLine().getOut();
    if (statement != null) {
      execute(rt, statement, out);
      return 0;
    }
    if (System.console() == null) {
      return batch(rt, out);
    }
    return interactive(rt, out);
  }

  void execute(LakeRuntime rt, String sql, PrintWriter out) {
    Dataset<Row> df;
    List<Row> rows;
    try {
      rt.lake().registerFunctions(sql);
      df = rt.spark().sql(sql);
      rows = df.limit(maxRows + 1).collectAsList();
    } catch (SonghongException e) {
      throw e;
    } catch (Exception e) {
      throw Errors.queryFailed(sql, e);
    }
    boolean more = rows.size() > maxRows;
    ResultPrinter.print(out, df.schema(), more ? rows.subList(0, maxRows) : rows, format);
    if (more) {
      out.println("(first " + maxRows + " rows shown; use --max-rows or LIMIT)");
      out.flush();
    }
  }

  private int batch(LakeRuntime rt, PrintWriter out) throws Exception {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    StringBuilder buf = new StringBuilder();
    int failures = 0;
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      buf.append(line).append('\n');
      if (line.strip().endsWith(";")) {
        failures += runOne(rt, buf.toString(), out);
        buf.setLength(0);
      }
    }
    if (!buf.toString().isBlank()) {
      failures += runOne(rt, buf.toString(), out);
    }
    return failures == 0 ? 0 : SonghongException.ExitCode.FAILED.code();
  }

  private int interactive(LakeRuntime rt, PrintWriter out) throws Exception {
    Terminal terminal = TerminalBuilder.builder().system(true).build();
    LineReader reader =
        LineReaderBuilder.builder()
            .terminal(terminal)
            .appName("songhong")
            .variable(
                LineReader.HISTORY_FILE,
                Path.of(System.getProperty("user.home"), ".songhong_history"))
            .variable(LineReader.SECONDARY_PROMPT_PATTERN, "      > ")
            .build();
    out.println(
        "songhong sql: statements end with ';'. Tables: SHOW TABLES IN gold; quit with \\q or Ctrl-D.");
    StringBuilder buf = new StringBuilder();
    while (true) {
      String line;
      try {
        line = reader.readLine(buf.isEmpty() ? "sql> " : "   > ");
      } catch (UserInterruptException e) {
        buf.setLength(0);
        continue;
      } catch (EndOfFileException e) {
        return 0;
      }
      if (buf.isEmpty()
          && (line.strip().equals("\\q")
              || line.strip().equalsIgnoreCase("quit")
              || line.strip().equalsIgnoreCase("exit"))) {
        return 0;
      }
      buf.append(line).append('\n');
      if (line.strip().endsWith(";")) {
        runOne(rt, buf.toString(), out);
        buf.setLength(0);
      }
    }
  }

  private int runOne(LakeRuntime rt, String text, PrintWriter out) {
    String sql = text.strip();
    while (sql.endsWith(";")) {
      sql = sql.substring(0, sql.length() - 1).strip();
    }
    if (sql.isEmpty()) {
      return 0;
    }
    try {
      execute(rt, sql, out);
      return 0;
    } catch (SonghongException e) {
      spec.commandLine().getErr().println("songhong: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 1;
    }
  }
}
