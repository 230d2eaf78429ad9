package org.songhong.ops;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructType;
import org.songhong.contract.TableContract;
import org.songhong.contract.Tables;
import org.songhong.lake.KernelAppend;
import org.songhong.lake.Lake;
import org.songhong.lake.TableWriter;

/**
 * The run ledger: {@code ops.job_run_log}, append-only, read through the view {@code ops.job_runs}
 * (one row per run, its latest state). A run appends {@code running} when it starts and its result
 * when it ends, so a run killed halfway stays visible as {@code running}, and the next run of the
 * same job records it as {@code abandoned} (in the same commit as its own start). Blind appends
 * never conflict, so any number of jobs can record themselves at once. Reads and writes go through
 * Delta Kernel ({@link LedgerHistory}, {@link KernelAppend}): no Spark job, so recording a run
 * costs milliseconds, not the second a Spark append takes. A ledger made by an earlier version
 * (with a CHECK constraint, which Kernel cannot write) is written with Spark, as it was.
 */
public final class RunLedger {
  public static final String TABLE = Tables.OPS_JOB_RUN_LOG;
  public static final String VIEW = Tables.OPS_JOB_RUNS;
  static final String ABANDONED =
      "the run ended without recording a result (killed, or its machine was lost); a later run found it";
  private final Lake lake;
  private final TableWriter writer;

  public RunLedger(Lake lake, TableWriter writer) {
    this.lake = lake;
    this.writer = writer;
  }

  /** A run in progress. */
  public record Run(
      String runId,
      String job,
      LocalDate logicalDate,
      Map<String, String> parameters,
      Instant startedAt,
      String sparkAppId,
      String version) {}

  /**
   * How a run ended: its status, what it read and wrote, its error, the versions it read, its
   * steps.
   */
  public record Outcome(
      String status,
      List<InputFile> inputs,
      List<TableMetrics> tables,
      String error,
      Map<String, Long> readVersions,
      List<LedgerHistory.Step> steps) {}

  /** The states a run's row can record. */
  static final Set<String> STATUSES = Set.of("running", "succeeded", "failed", "abandoned");

  /**
   * The history last read, reused while the ledger has no new commit (a job reads it several
   * times).
   */
  private volatile LedgerHistory known;

  /** The ledger as it is now. */
  public LedgerHistory history() {
    LedgerHistory h = LedgerHistory.read(lake.kernel(), known);
    known = h;
    return h;
  }

  /**
   * Records the run as running, and any earlier run of the same job that never ended as abandoned:
   * one commit.
   */
  public void start(Run run) {
    List<Object[]> rows = new ArrayList<>();
    for (LedgerHistory.Entry e : history().unfinished(run.job())) {
      rows.add(abandoned(e));
    }
    rows.add(
        row(
            run,
            "running",
            null,
            new Outcome("running", List.of(), List.of(), null, Map.of(), List.of())));
    append(rows);
  }

  public void finish(Run run, Outcome outcome) {
    append(java.util.Collections.singletonList(row(run, outcome.status(), Instant.now(), outcome)));
  }

  private void append(List<Object[]> rows) {
    TableContract c = lake.contract(TABLE);
    lake.ensureCreated(c);
    if (KernelAppend.append(lake.kernel(), TABLE, rows, "songhong").isEmpty()) {
      StructType schema = c.writeSchema();
      writer.append(
          TABLE,
          lake.spark()
              .createDataFrame(rows.stream().map(r -> sparkRow(r, schema)).toList(), schema));
    }
  }

  /** Checksums of the input files that successful runs of {@code job} have processed. */
  public Set<String> processedChecksums(String job) {
    return history().processedChecksums(job);
  }

  /** The input files (path and checksum) that successful runs of {@code job} have processed. */
  public List<InputFile> processedInputs(String job) {
    return history().processedInputs(job);
  }

  private static Object[] abandoned(LedgerHistory.Entry e) {
    Run run =
        new Run(
            e.runId(),
            e.job(),
            e.logicalDate(),
            e.parameters(),
            e.startedAt(),
            e.sparkAppId(),
            e.version());
    return row(
        run,
        "abandoned",
        null,
        new Outcome("abandoned", e.inputs(), e.tables(), ABANDONED, e.readVersions(), e.steps()));
  }

  /**
   * A ledger row as plain Java values in the table's column order (structs as Object[] in field
   * order).
   */
  private static Object[] row(Run run, String status, Instant endedAt, Outcome o) {
    if (!STATUSES.contains(status)) {
      throw new IllegalArgumentException("run status '" + status + "' is not one of " + STATUSES);
    }
    List<Object> files =
        o.inputs().stream()
            .map(f -> (Object) new Object[] {f.path(), f.checksum(), f.rows()})
            .toList();
    List<Object> metrics =
        o.tables().stream()
            .map(
                m ->
                    (Object)
                        new Object[] {
                          m.table(),
                          m.rowsRead(),
                          m.rowsWritten(),
                          m.rowsQuarantined(),
                          m.deltaVersion(),
                          m.committed()
                        })
            .toList();
    List<Object> steps =
        o.steps().stream()
            .map(s -> (Object) new Object[] {s.step(), s.seconds(), s.rows()})
            .toList();
    Double duration =
        endedAt == null ? null : (endedAt.toEpochMilli() - run.startedAt().toEpochMilli()) / 1000.0;
    return new Object[] {
      run.runId(),
      run.job(),
      status,
      Instant.now(),
      run.logicalDate(),
      run.parameters(),
      run.startedAt(),
      endedAt,
      duration,
      files,
      metrics,
      o.error(),
      run.sparkAppId(),
      run.version(),
      o.readVersions().isEmpty() ? null : o.readVersions(),
      o.steps().isEmpty() ? null : steps
    };
  }

  /** A plain row as Spark takes it, for a ledger Kernel cannot write. */
  static Row sparkRow(Object[] plain, StructType schema) {
    Object[] values = new Object[plain.length];
    for (int i = 0; i < plain.length; i++) {
      values[i] = sparkValue(plain[i], schema.fields()[i].dataType());
    }
    return RowFactory.create(values);
  }

  private static Object sparkValue(Object v, DataType type) {
    if (v == null) {
      return null;
    } else if (v instanceof LocalDate d) {
      return Date.valueOf(d);
    } else if (v instanceof Instant t) {
      return Timestamp.from(t);
    } else if (type instanceof ArrayType a) {
      List<Object> out = ((List<?>) v).stream().map(e -> sparkValue(e, a.elementType())).toList();
      return scala.jdk.javaapi.CollectionConverters.asScala(out).toSeq();
    } else if (type instanceof MapType m) {
      Map<Object, Object> out = new java.util.LinkedHashMap<>();
      ((Map<?, ?>) v)
          .forEach((k, x) -> out.put(sparkValue(k, m.keyType()), sparkValue(x, m.valueType())));
      return scala.jdk.javaapi.CollectionConverters.asScala(out);
    } else if (type instanceof StructType s) {
      return sparkRow((Object[]) v, s);
    }
    return v;
  }
}
