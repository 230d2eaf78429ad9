package org.songhong.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.songhong.contract.TableContract;
import org.songhong.job.LakeRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code songhong tables}. */
@Command(
    name = "tables",
    mixinStandardHelpOptions = true,
    description =
        "List the lake's tables with row counts, Delta version and the last run that wrote each.")
final class TablesCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  ResultPrinter.Format format;

  @Option(
      names = "--catalog",
      description =
          "Print the catalogue of marts (grain, key, columns, views, functions) as Markdown, from schemas/, without opening the lake.")
  boolean catalog;

  @Mixin LakeOptions lake;

  @Override
  public Integer call() {
    if (catalog) {
      spec.commandLine()
          .getOut()
          .print(
              org.songhong.contract.CatalogMarkdown.render(
                  org.songhong.contract.ContractCatalog.load(
                      org.songhong.contract.SchemaResources.open(""))));
      spec.commandLine().getOut().flush();
      return 0;
    }
    LakeRuntime rt = Sessions.open(lake.config(), "tables");
    Map<String, Row> lastRun = new HashMap<>();
    for (Row r :
        rt.spark()
            .sql(
                """
        SELECT t.table, r.run_id, r.job, r.status, r.ended_at
        FROM ops.job_runs r LATERAL VIEW explode(tables) x AS t
        WHERE r.status = 'succeeded'
        """)
            .collectAsList()) {
      Row prev = lastRun.get(r.getString(0));
      if (prev == null || prev.getTimestamp(4).before(r.getTimestamp(4))) {
        lastRun.put(r.getString(0), r);
      }
    }
    List<Row> rows = new ArrayList<>();
    var kernel = rt.lake().kernel();
    for (TableContract c : rt.lake().contracts().all()) {
      // Counted from the log's file statistics (no Spark job per table); counted rows otherwise.
      var snapshot = kernel.latest(c.name());
      long n =
          snapshot.flatMap(kernel::rowCount).orElseGet(() -> rt.spark().table(c.name()).count());
      Row last = lastRun.get(c.name());
      rows.add(
          RowFactory.create(
              c.name(),
              n,
              snapshot.map(io.delta.kernel.Snapshot::getVersion).orElse(-1L),
              last == null ? null : last.getString(2),
              last == null ? null : last.getTimestamp(4),
              c.grain()));
    }
    StructType schema =
        new StructType()
            .add("table", DataTypes.StringType)
            .add("rows", DataTypes.LongType)
            .add("version", DataTypes.LongType)
            .add("last_job", DataTypes.StringType)
            .add("last_run_ended", DataTypes.TimestampType)
            .add("grain", DataTypes.StringType);
    ResultPrinter.print(spec.commandLine().getOut(), schema, rows, format);
    return 0;
  }
}
