package org.songhong.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.songhong.error.Errors;
import org.songhong.job.LakeRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code songhong report}: the scorecard as HTML, Markdown and CSV, and a compact table. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description =
        "Write the attainment scorecard as a self-contained HTML page, Markdown and CSV, and print it.")
final class ReportCommand implements Callable<Integer> {
  static final String QUERY =
      """
      SELECT target_id, geo_id, indicator_code, unit, wording_vi, wording_en, vintage, as_of_year, status, value,
             target, target_year, cagr_needed_from_now_pct, sparkline, explanation_vi, explanation_en
      FROM gold.scorecard ORDER BY target_id, geo_id""";

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "report",
      description =
          "Folder to write scorecard.html, scorecard.md and scorecard.csv (default: ${DEFAULT-VALUE}).")
  Path out;

  @Mixin LakeOptions lake;

  @Override
  public Integer call() {
    LakeRuntime rt = Sessions.open(lake.config(), "report");
    Dataset<Row> df = rt.spark().sql(QUERY);
    List<Row> rows = df.collectAsList();
    PrintWriter term = spec.commandLine().getOut();
    try {
      Files.createDirectories(out);
      Files.writeString(
          out.resolve("scorecard.html"),
          ScorecardPage.html(rows, org.songhong.contract.Presentation.load(rt.schemas())),
          StandardCharsets.UTF_8);
      Files.writeString(
          out.resolve("scorecard.md"), ScorecardPage.markdown(rows), StandardCharsets.UTF_8);
      try (PrintWriter csv =
          new PrintWriter(
              Files.newBufferedWriter(out.resolve("scorecard.csv"), StandardCharsets.UTF_8))) {
        ResultPrinter.print(
            csv,
            df.drop("sparkline").schema(),
            df.drop("sparkline").collectAsList(),
            ResultPrinter.Format.csv);
      }
    } catch (IOException e) {
      throw Errors.unreadableFile(out.toString(), "cannot write the report: " + e.getMessage(), e);
    }
    var compact =
        rt.spark()
            .sql(
                """
        SELECT target_id, status, round(value, 2) AS value, target, explanation_en FROM gold.scorecard ORDER BY target_id""");
    ResultPrinter.print(
        term, compact.schema(), compact.collectAsList(), ResultPrinter.Format.table);
    term.printf(
        Locale.ROOT,
        "Wrote %s, scorecard.md and scorecard.csv%n",
        out.resolve("scorecard.html").toAbsolutePath());
    term.flush();
    return 0;
  }
}
