package org.songhong.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.songhong.error.Errors;
import org.songhong.job.LakeRuntime;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code songhong scenario TARGET --growth R | --path V,V,...}: where a target lands in its target
 * year on an assumed path, and the status that would be: the SQL functions gold.scenario and
 * gold.scenario_path (schemas/functions/), so the command and a notebook give the same answer.
 */
@Command(
    name = "scenario",
    mixinStandardHelpOptions = true,
    description =
        "If the indicator grows by R%% a year from its latest figure (or follows a path of yearly values), "
            + "where does it land in the target year, and what status would that be? (gold.scenario, gold.scenario_path)")
final class ScenarioCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "TARGET_ID", description = "A target id, e.g. HP30-01.")
  String targetId;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Assumption assumption;

  static final class Assumption {
    @Option(
        names = "--growth",
        paramLabel = "PCT",
        description = "Yearly growth from the latest figure, in % (e.g. 11).")
    Double growth;

    @Option(
        names = "--path",
        paramLabel = "V,V,...",
        split = ",",
        description =
            "Yearly values after the latest year (levels; yearly rates in % for an average-growth target). "
                + "A path shorter than the years left holds its last value.")
    List<Double> path;
  }

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  ResultPrinter.Format format;

  @Mixin LakeOptions lake;

  @Override
  public Integer call() {
    if (!targetId.matches("[A-Za-z0-9_.-]+")) {
      throw Errors.badOption("TARGET_ID", targetId, "a target id such as HP30-01");
    }
    String call =
        assumption.growth != null
            ? String.format(Locale.ROOT, "gold.scenario('%s', %s)", targetId, assumption.growth)
            : String.format(
                Locale.ROOT,
                "gold.scenario_path('%s', array(%s))",
                targetId,
                assumption.path.stream()
                    .map(v -> "CAST(" + v + " AS DOUBLE)")
                    .collect(Collectors.joining(", ")));
    String sql =
        "SELECT target_id, geo_id, vintage, as_of_year, target_year, unit, landed_value, target_met, status_if, status_now "
            + "FROM "
            + call;
    LakeRuntime rt = Sessions.open(lake.config(), "scenario");
    rt.lake().registerFunctions(sql);
    Dataset<Row> df;
    List<Row> rows;
    try {
      df = rt.spark().sql(sql);
      rows = df.collectAsList();
    } catch (RuntimeException e) {
      throw Errors.queryFailed(sql, e);
    }
    if (rows.isEmpty()) {
      throw Errors.badOption(
          "TARGET_ID",
          targetId,
          "a target measured in the latest release (songhong sql \"SELECT target_id, status FROM gold.scorecard\")");
    }
    PrintWriter out = spec.commandLine().getOut();
    ResultPrinter.print(out, df.schema(), rows, format);
    out.flush();
    return 0;
  }
}
