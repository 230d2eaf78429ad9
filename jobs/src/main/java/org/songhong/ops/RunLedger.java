package org.songhong.ops;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.songhong.contract.TableContract;
import org.songhong.lake.Lake;
import org.songhong.lake.TableWriter;

/**
 * The run ledger: {@code ops.job_run_log}, append-only, read through the view {@code ops.job_runs}
 * (one row per run, its latest state). A run appends {@code running} when it starts and its result
 * when it ends, so a run killed halfway stays visible as {@code running}, and the next run of the
 * same job appends {@code abandoned} for it. Blind appends never conflict, so any number of jobs
 * can record themselves at once.
 */
public final class RunLedger {
  public static final String TABLE = "ops.job_run_log";
  public static final String VIEW = "ops.job_runs";
  private final Lake lake;
  private final TableWriter writer;

  public RunLedger(Lake lake, TableWriter writer) {
    this.lake = lake;
    this.writer = writer;
  }

  /** A run in progress. */
  public record Run(String runId, String job, LocalDate logicalDate, Map<String, String> parameters,
      Instant startedAt, String sparkAppId, String version) {}

  public void start(Run run) {
    markAbandoned(run.job());
    writer.append(TABLE, frame(List.of(row(run, "running", null, List.of(), List.of(), null))));
  }

  public void finish(Run run, String status, List<InputFile> inputs, List<TableMetrics> tables, String error) {
    writer.append(TABLE, frame(List.of(row(run, status, Instant.now(), inputs, tables, error))));
  }

  /** Checksums of the input files that successful runs of {@code job} have processed. */
  public Set<String> processedChecksums(String job) {
    return lake.spark().sql("SELECT DISTINCT f.checksum FROM " + VIEW
            + " LATERAL VIEW explode(input_files) x AS f WHERE job = '" + job + "' AND status = 'succeeded'")
        .collectAsList().stream().map(r -> r.getString(0)).collect(Collectors.toSet());
  }

  /** The input files (path and checksum) that successful runs of {@code job} have processed. */
  public List<InputFile> processedInputs(String job) {
    return lake.spark().sql("SELECT DISTINCT f.path, f.checksum, f.rows FROM " + VIEW
            + " LATERAL VIEW explode(input_files) x AS f WHERE job = '" + job + "' AND status = 'succeeded'")
        .collectAsList().stream().map(r -> new InputFile(r.getString(0), r.getString(1), r.getLong(2))).toList();
  }

  private void markAbandoned(String job) {
    List<Row> stale = lake.spark().sql("SELECT * FROM " + TABLE + " WHERE job = '" + job + "' AND status = 'running'"
        + " AND run_id NOT IN (SELECT run_id FROM " + TABLE + " WHERE status <> 'running')").collectAsList();
    if (stale.isEmpty()) {
      return;
    }
    List<Row> updated = new ArrayList<>();
    int statusIdx = stale.get(0).fieldIndex("status");
    int errorIdx = stale.get(0).fieldIndex("error");
    int recordedIdx = stale.get(0).fieldIndex("recorded_at");
    for (Row r : stale) {
      Object[] v = new Object[r.length()];
      for (int i = 0; i < v.length; i++) {
        v[i] = r.get(i);
      }
      v[statusIdx] = "abandoned";
      v[recordedIdx] = Timestamp.from(Instant.now());
      v[errorIdx] = "the run ended without recording a result (killed, or its machine was lost); a later run found it";
      updated.add(RowFactory.create(v));
    }
    writer.append(TABLE, lake.spark().createDataFrame(updated, stale.get(0).schema()));
  }

  private Dataset<Row> frame(List<Row> rows) {
    TableContract c = lake.contract(TABLE);
    return lake.spark().createDataFrame(rows, c.writeSchema());
  }

  private static Row row(Run run, String status, Instant endedAt, List<InputFile> inputs, List<TableMetrics> tables,
      String error) {
    List<Row> files = inputs.stream().map(f -> RowFactory.create(f.path(), f.checksum(), f.rows())).toList();
    List<Row> metrics = tables.stream()
        .map(m -> RowFactory.create(m.table(), m.rowsRead(), m.rowsWritten(), m.rowsQuarantined(), m.deltaVersion(),
            m.committed()))
        .toList();
    Double duration = endedAt == null ? null : (endedAt.toEpochMilli() - run.startedAt().toEpochMilli()) / 1000.0;
    return RowFactory.create(
        run.runId(),
        run.job(),
        status,
        Timestamp.from(Instant.now()),
        run.logicalDate() == null ? null : Date.valueOf(run.logicalDate()),
        scala.jdk.javaapi.CollectionConverters.asScala(run.parameters()),
        Timestamp.from(run.startedAt()),
        endedAt == null ? null : Timestamp.from(endedAt),
        duration,
        scala.jdk.javaapi.CollectionConverters.asScala(files).toSeq(),
        scala.jdk.javaapi.CollectionConverters.asScala(metrics).toSeq(),
        error,
        run.sparkAppId(),
        run.version());
  }
}
