package org.songhong.ops;

import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.songhong.contract.Tables;
import org.songhong.lake.TableWriter;
import org.songhong.lake.WriteResult;

/**
 * {@code ops.quarantine}: every rejected record, with the table it was meant for, its source file
 * sheet, line and column, the raw text, the rule it broke and a reason that says what to do. Keyed
 * by (target table, source checksum, source file, sheet, line, column, rule), so a rerun on the
 * same input adds nothing.
 */
public final class Quarantine {
  public static final String TABLE = Tables.OPS_QUARANTINE;

  /** The columns a job supplies; the rest are filled in here. */
  public static final String[] RECORD_COLUMNS = {
    "source_file",
    "source_checksum",
    "source_sheet",
    "source_line",
    "source_column",
    "raw_record",
    "rule",
    "reason"
  };

  private final TableWriter writer;

  public Quarantine(TableWriter writer) {
    this.writer = writer;
  }

  /**
   * Stores rejected records.
   *
   * @param records a frame with {@link #RECORD_COLUMNS}
   */
  public WriteResult put(String targetTable, String job, String runId, Dataset<Row> records) {
    Dataset<Row> rows =
        records
            .selectExpr(RECORD_COLUMNS)
            .withColumn("target_table", lit(targetTable))
            .withColumn("job", lit(job))
            .withColumn("run_id", lit(runId))
            .withColumn("quarantined_at", current_timestamp());
    return writer.insertNew(TABLE, rows);
  }
}
