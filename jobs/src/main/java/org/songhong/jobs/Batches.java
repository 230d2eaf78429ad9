package org.songhong.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.udf;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.songhong.io.DayFolders;
import org.songhong.io.LandingFiles;
import org.songhong.job.JobContext;
import org.songhong.job.JobResult;
import org.songhong.lake.WriteResult;
import org.songhong.ops.InputFile;

/**
 * One batch of day-folder files landed in bronze, and the files of it with the same content. Bronze
 * tables are keyed by the file's checksum and the record's place in it, so a file sent twice under
 * two names is landed once, from the first name in path order; each other copy is quarantined
 * whole, with the name of the one that was loaded.
 */
public final class Batches {
  /** The quarantine record columns of a whole-file rejection. */
  public static final StructType RECORD =
      new StructType()
          .add("source_file", DataTypes.StringType, false)
          .add("source_checksum", DataTypes.StringType, false)
          .add("source_sheet", DataTypes.StringType, false)
          .add("source_line", DataTypes.IntegerType, false)
          .add("source_column", DataTypes.IntegerType, false)
          .add("raw_record", DataTypes.StringType, true)
          .add("rule", DataTypes.StringType, false)
          .add("reason", DataTypes.StringType, false);

  private Batches() {}

  /**
   * The rows of {@code rows} (a bronze table) that came from the files with these checksums: the
   * pending files a silver job conforms. Tested row by row against the list by a function Spark
   * cannot push into the Parquet reader, which would convert and check an IN list again for every
   * Parquet file it opens: with the 4,368 checksums of a year of gate-move and vessel-call files,
   * reading the 364 small Parquet files of the vessel calls took 10.4 s of task CPU with the pushed
   * list and 1.5 s without it. A bronze file's rows come together, one source file after another,
   * so the function compares a row's checksum with the last row's first and looks it up only when
   * it changes; a broadcast semi-join on the list, before this, probed its hash table with each
   * row's 64-character checksum (2 of `logistics_events_silver`'s 66 CPU s at a year of gate moves,
   * bench/README.md "6 December, after midnight"). No file is skipped that the day partitions do
   * not skip.
   */
  public static Dataset<Row> ofFiles(Dataset<Row> rows, java.util.Collection<String> checksums) {
    UserDefinedFunction listed =
        udf(new ListedFile(java.util.Set.copyOf(checksums)), DataTypes.BooleanType).asNonNullable();
    return rows.filter(listed.apply(col("source_checksum")));
  }

  /**
   * Whether a checksum is in the set, remembering the last answer (rows of one file come together).
   * The memory is one immutable pair swapped whole, so a copy shared by tasks stays right.
   */
  static final class ListedFile implements UDF1<String, Boolean> {
    private static final long serialVersionUID = 1L;
    private final java.util.Set<String> checksums;
    private transient volatile Last last;

    private record Last(String checksum, boolean listed) {}

    ListedFile(java.util.Set<String> checksums) {
      this.checksums = checksums;
    }

    @Override
    public Boolean call(String checksum) {
      if (checksum == null) {
        return false;
      }
      Last l = last;
      if (l == null || !l.checksum().equals(checksum)) {
        l = new Last(checksum, checksums.contains(checksum));
        last = l;
      }
      return l.listed();
    }
  }

  /**
   * Lands the records split from one batch of day-folder files into {@code table}, the part every
   * Spark-read bronze job shares: {@code split} has the table's columns but the run's lineage, plus
   * {@code file_date}, {@code raw_line}, and {@code rule} and {@code reason} (set for a record that
   * could not be read). Each file is one input of the result (a copy counts one record); records
   * with a rule and each copy go to quarantine ({@code sourceColumn}: the column of a record within
   * its line, or a literal); the rest are inserted, compared only with the day folders they came
   * from. Read = landed + quarantined, for every run.
   */
  public static void land(
      JobContext ctx,
      JobResult.Builder result,
      String table,
      String job,
      Dataset<Row> split,
      Column sourceColumn) {
    Dataset<Row> all = split.persist(StorageLevel.MEMORY_AND_DISK_SER());
    try {
      List<Row> perFile =
          all.groupBy("source_file", "source_checksum").agg(count(lit(1)).as("n")).collectAsList();
      Map<String, String> copies = copies(perFile);
      long read = 0;
      for (Row r : perFile) {
        long records = copies.containsKey(r.getString(0)) ? 1 : r.getLong(2);
        result.input(new InputFile(r.getString(0), r.getString(1), records));
        read += records;
      }
      Dataset<Row> kept =
          copies.isEmpty()
              ? all
              : all.filter(not(col("source_file").isin(copies.keySet().toArray())));
      ctx.step("quarantine unreadable records of " + perFile.size() + " file(s)");
      Dataset<Row> bad =
          kept.filter(col("rule").isNotNull())
              .select(
                  col("source_file"),
                  col("source_checksum"),
                  lit("").as("source_sheet"),
                  col("source_line"),
                  sourceColumn.as("source_column"),
                  col("raw_line").as("raw_record"),
                  col("rule"),
                  col("reason"));
      if (!copies.isEmpty()) {
        bad = bad.unionByName(copyRecords(ctx.spark(), perFile, copies));
      }
      WriteResult q = ctx.quarantine().put(table, job, ctx.runId(), bad);
      ctx.step("land records in " + table);
      List<LocalDate> days =
          kept.select("file_date").distinct().collectAsList().stream()
              .map(r -> r.getDate(0).toLocalDate())
              .toList();
      String filter = days.isEmpty() ? "false" : "file_date IN (" + DayFolders.sqlList(days) + ")";
      WriteResult w =
          ctx.writer()
              .insertNew(
                  table,
                  kept.filter(col("rule").isNull())
                      .drop("rule", "reason")
                      .withColumn("ingest_run_id", lit(ctx.runId()))
                      .withColumn("ingested_at", current_timestamp()),
                  filter);
      long quarantined = bad.count();
      result.table(w.metrics(read, quarantined));
      result.table(q.metrics(quarantined, 0));
    } finally {
      all.unpersist();
    }
  }

  /**
   * The copies among {@code perFile} (rows of file, checksum, ...): each copy's file mapped to the
   * file whose content is loaded.
   */
  public static Map<String, String> copies(List<Row> perFile) {
    Map<String, List<String>> byChecksum = new HashMap<>();
    for (Row r : perFile) {
      byChecksum.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(r.getString(0));
    }
    Map<String, String> copies = new LinkedHashMap<>();
    for (List<String> files : byChecksum.values()) {
      files.sort(String::compareTo);
      for (String f : files.subList(1, files.size())) {
        copies.put(f, files.get(0));
      }
    }
    return copies;
  }

  /** One quarantine record per copy (columns {@link #RECORD}). */
  public static Dataset<Row> copyRecords(
      SparkSession spark, List<Row> perFile, Map<String, String> copies) {
    List<Row> rows = new ArrayList<>();
    for (Row r : perFile) {
      String first = copies.get(r.getString(0));
      if (first != null) {
        rows.add(
            RowFactory.create(
                r.getString(0),
                r.getString(1),
                "",
                0,
                0,
                null,
                LandingFiles.DUPLICATE_RULE,
                LandingFiles.duplicateReason(r.getString(0), first)));
      }
    }
    return spark.createDataFrame(rows, RECORD);
  }
}
