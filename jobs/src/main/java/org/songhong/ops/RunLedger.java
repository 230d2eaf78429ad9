package org.songhong.ops;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * same job records it as {@code abandoned} (in the same commit as its own start). Blind appends
 * never conflict, so any number of jobs can record themselves at once. Reads go through Delta
 * Kernel ({@link LedgerHistory}): no Spark job.
 */
public final class RunLedger {
  public static final String TABLE = "ops.job_run_log";
  public static final String VIEW = "ops.job_runs";
  static final String ABANDONED =
      "the run ended without recording a result (killed, or its machine was lost); a later run found it";
  private final Lake lake;
  private final TableWriter writer;

  public RunLedger(Lake lake, TableWriter writer) {
    this.lake = lake;
    this.writer = writer;
  }

  /** A run in progress. */
  public record Run(String runId, String job, LocalDate logicalDate, Map<String, String> parameters,
      Instant startedAt, String sparkAppId, String version) {}

  /** How a run ended: its status, what it read and wrote, its error, the versions it read, its steps. */
  public record Outcome(String status, List<InputFile> inputs, List<TableMetrics> tables, String error,
      Map<String, Long> readVersions, List<LedgerHistory.Step> steps) {}

  /** The ledger as it is now. */
  public LedgerHistory history() {
    return LedgerHistory.read(lake.kernel());
  }

  /** Records the run as running, and any earlier run of the same job that never ended as abandoned: one commit. */
  public void start(Run run) {
    List<Row> rows = new ArrayList<>();
    for (LedgerHistory.Entry e : history().unfinished(run.job())) {
      rows.add(abandoned(e));
    }
    rows.add(row(run, "running", null, new Outcome("running", List.of(), List.of(), null, Map.of(), List.of())));
    writer.append(TABLE, frame(rows));
  }

  public void finish(Run run, Outcome outcome) {
    writer.append(TABLE, frame(List.of(row(run, outcome.status(), Instant.now(), outcome))));
  }

  /** Checksums of the input files that successful runs of {@code job} have processed. */
  public Set<String> processedChecksums(String job) {
    return history().processedChecksums(job);
  }

  /** The input files (path and checksum) that successful runs of {@code job} have processed. */
  public List<InputFile> processedInputs(String job) {
    return history().processedInputs(job);
  }

  private Dataset<Row> frame(List<Row> rows) {
    TableContract c = lake.contract(TABLE);
    return lake.spark().createDataFrame(rows, c.writeSchema());
  }

  private static Row abandoned(LedgerHistory.Entry e) {
    Run run = new Run(e.runId(), e.job(), e.logicalDate(), e.parameters(), e.startedAt(), e.sparkAppId(), e.version());
    return row(run, "abandoned", null, new Outcome("abandoned", e.inputs(), e.tables(), ABANDONED, e.readVersions(), e.steps()));
  }

  private static Row row(Run run, String status, Instant endedAt, Outcome o) {
    List<Row> files = o.inputs().stream().map(f -> RowFactory.create(f.path(), f.checksum(), f.rows())).toList();
    List<Row> metrics = o.tables().stream()
        .map(m -> RowFactory.create(m.table(), m.rowsRead(), m.rowsWritten(), m.rowsQuarantined(), m.deltaVersion(),
            m.committed()))
        .toList();
    List<Row> steps = o.steps().stream().map(s -> RowFactory.create(s.step(), s.seconds(), s.rows())).toList();
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
        o.error(),
        run.sparkAppId(),
        run.version(),
        o.readVersions().isEmpty() ? null : scala.jdk.javaapi.CollectionConverters.asScala(o.readVersions()),
        o.steps().isEmpty() ? null : scala.jdk.javaapi.CollectionConverters.asScala(steps).toSeq());
  }
}
