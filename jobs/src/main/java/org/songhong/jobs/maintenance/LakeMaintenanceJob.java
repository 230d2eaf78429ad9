package org.songhong.jobs.maintenance;

import io.delta.kernel.Snapshot;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.songhong.config.SonghongConfig;
import org.songhong.contract.TableContract;
import org.songhong.contract.Tables;
import org.songhong.job.Job;
import org.songhong.job.JobContext;
import org.songhong.job.JobResult;
import org.songhong.lake.KernelTables;
import org.songhong.lake.WriteResult;
import org.songhong.ops.Pins;

/**
 * Compacts and cleans every lake table: OPTIMIZE where the current version has many small files,
 * then VACUUM with a retention of at least {@code songhong.maintenance.vacuum.retention.hours},
 * longer for a table with a pinned version (so that version's files stay), and records what it did
 * in {@code ops.maintenance_log}. It never changes a table's rows.
 */
public final class LakeMaintenanceJob implements Job {
  public static final String NAME = "lake_maintenance";
  public static final String LOG_TABLE = Tables.OPS_MAINTENANCE_LOG;
  private static final Logger LOG = LoggerFactory.getLogger(LakeMaintenanceJob.class);

  /** Delta refuses a VACUUM retention below this unless its safety check is turned off. */
  static final long DELTA_SAFE_RETENTION_HOURS = 168;

  @Override
  public String name() {
    return NAME;
  }

  /**
   * It reads the whole lake: its size decides how Spark evaluates the rewrites (see {@link
   * org.songhong.job.Job#landing}).
   */
  @Override
  public java.util.List<String> landing(org.songhong.config.SonghongConfig config) {
    return java.util.List.of(
        org.songhong.config.SonghongConfig.absolutise(
            config.get(org.songhong.config.SonghongConfig.LAKE_PATH)));
  }

  @Override
  public String description() {
    return "OPTIMIZE tables with many small files, VACUUM keeping pinned versions; log in "
        + LOG_TABLE;
  }

  /**
   * The VACUUM retention for a table: the configured minimum, or enough whole hours to reach back
   * past the commit of its oldest pinned version (plus one hour of margin), whichever is longer.
   */
  static long retentionHours(long minimumHours, Instant oldestPinCommit, Instant now) {
    if (oldestPinCommit == null) {
      return minimumHours;
    }
    long age = Duration.between(oldestPinCommit, now).toMinutes();
    long needed = (age + 59) / 60 + 1;
    return Math.max(minimumHours, needed);
  }

  @Override
  public JobResult run(JobContext ctx) {
    JobResult.Builder result = ctx.result();
    long minimum = ctx.config().get(SonghongConfig.VACUUM_MIN_RETENTION_HOURS);
    int minFiles = ctx.config().get(SonghongConfig.OPTIMIZE_MIN_FILES);
    if (minimum < 0) {
      throw org.songhong.error.Errors.badSetting(
          SonghongConfig.VACUUM_MIN_RETENTION_HOURS.key(),
          Long.toString(minimum),
          SonghongConfig.VACUUM_MIN_RETENTION_HOURS.description());
    }
    // Delta's OPTIMIZE compacts the files under this size (its default: 1 GiB)
    long smallFileBytes =
        org.apache.spark.network.util.JavaUtils.byteStringAsBytes(
            ctx.spark().conf().get("spark.databricks.delta.optimize.minFileSize", "1073741824"));
    Map<String, Pins.Pin> pins = new Pins(ctx.lake(), ctx.writer()).oldestPerTable();
    List<Row> log = new ArrayList<>();
    for (TableContract c : tables(ctx)) {
      if (c.name().equals(LOG_TABLE) || !ctx.lake().exists(c)) {
        continue;
      }
      ctx.step("maintain " + c.name());
      // The files, their size and the retention property from the table's log (Delta Kernel, no
      // Spark job); VACUUM does not change the current version's files, so the log is read again
      // only after an OPTIMIZE. A table with one small file per partition (a day's partition
      // written once) is already as compact as OPTIMIZE makes it: it is not rewritten.
      KernelTables kernel = ctx.lake().kernel();
      Snapshot current = kernel.latest(c.name()).orElseThrow();
      KernelTables.Layout before = kernel.layout(current, smallFileBytes);
      boolean optimize = before.files() >= minFiles && before.compactable();
      KernelTables.Layout after = before;
      if (optimize) {
        ctx.lake().sql("OPTIMIZE " + c.name());
        current = kernel.latest(c.name()).orElseThrow();
        after = kernel.layout(current, smallFileBytes);
      }
      Pins.Pin pin = pins.get(c.name());
      long retention =
          retentionHours(minimum, pin == null ? null : pin.committedAt(), Instant.now());
      long vacuumed =
          vacuumDue(dataFilesInFolder(ctx, c), after.paths(), retention, Instant.now())
              ? vacuum(ctx, c, retention, current.getTableProperties().get(RETENTION_PROPERTY))
              : 0;
      LOG.info(
          "{}: {} files -> {}{}, vacuumed {} files with a retention of {} h{}",
          c.name(),
          before.files(),
          after.files(),
          optimize ? " (optimized)" : "",
          vacuumed,
          retention,
          pin == null ? "" : " (pinned version " + pin.version() + ")");
      log.add(
          RowFactory.create(
              ctx.runId(),
              Date.valueOf(ctx.logicalDate()),
              c.name(),
              before.files(),
              after.files(),
              optimize,
              vacuumed,
              retention,
              pin == null ? null : pin.version(),
              after.bytes(),
              Timestamp.from(Instant.now())));
    }
    WriteResult w =
        ctx.writer()
            .append(
                LOG_TABLE,
                ctx.spark().createDataFrame(log, ctx.lake().contract(LOG_TABLE).writeSchema()));
    result.table(w.metrics(log.size(), 0));
    return result.build();
  }

  /** The tables to maintain: the setting's list (each must be a lake table), or all of them. */
  private static List<TableContract> tables(JobContext ctx) {
    String only = ctx.config().get(SonghongConfig.MAINTENANCE_TABLES);
    if (only.isBlank()) {
      return List.copyOf(ctx.lake().contracts().all());
    }
    return java.util.Arrays.stream(only.split(","))
        .map(String::strip)
        .filter(t -> !t.isEmpty())
        .map(t -> ctx.lake().contracts().get(t))
        .toList();
  }

  /**
   * Whether VACUUM could delete a file of the table's folder: it deletes only files the current
   * version does not use ({@code used}) written more than the retention ago (a removed file's
   * tombstone is never older than the file; a file no version knows, such as one a killed write
   * left, is judged by its age). So a folder holding only the version's files and files younger
   * than the retention (those an OPTIMIZE or a rewrite replaced this week) has nothing to delete,
   * and the VACUUM, whose listing and Spark jobs cost seconds a table, is skipped.
   */
  static boolean vacuumDue(
      List<org.apache.hadoop.fs.FileStatus> folder,
      java.util.Set<String> used,
      long retentionHours,
      Instant now) {
    long before = now.minus(Duration.ofHours(retentionHours)).toEpochMilli();
    return folder.stream()
        .anyMatch(
            f ->
                !used.contains(f.getPath().toUri().getPath())
                    && (retentionHours == 0 || f.getModificationTime() < before));
  }

  /**
   * The data files in the table's folder, as VACUUM counts them (files and folders whose name
   * starts with {@code _} or {@code .}, such as the log, are not data).
   */
  private static List<org.apache.hadoop.fs.FileStatus> dataFilesInFolder(
      JobContext ctx, TableContract c) {
    org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(ctx.lake().location(c));
    try {
      org.apache.hadoop.fs.FileSystem fs =
          root.getFileSystem(ctx.spark().sessionState().newHadoopConf());
      String prefix = root.toUri().getPath().replaceAll("/+$", "") + "/";
      List<org.apache.hadoop.fs.FileStatus> data = new ArrayList<>();
      for (org.apache.hadoop.fs.FileStatus file : org.songhong.io.FileTree.files(fs, root)) {
        String relative = file.getPath().toUri().getPath();
        relative = relative.startsWith(prefix) ? relative.substring(prefix.length()) : relative;
        if (java.util.Arrays.stream(relative.split("/"))
            .noneMatch(part -> part.startsWith("_") || part.startsWith("."))) {
          data.add(file);
        }
      }
      return data;
    } catch (java.io.IOException e) {
      throw org.songhong.error.Errors.unreadableFile(root.toString(), e.getMessage(), e);
    }
  }

  /**
   * VACUUMs with the given retention. Delta 4 ignores {@code RETAIN n HOURS} other than 0 and uses
   * the table's {@code delta.deletedFileRetentionDuration}, so the retention is set there (a commit
   * only when it changes from {@code current}, the property's value); 0 hours is passed as {@code
   * RETAIN 0 HOURS}. Returns the files deleted.
   */
  private static long vacuum(JobContext ctx, TableContract c, long retentionHours, String current) {
    String check = "spark.databricks.delta.retentionDurationCheck.enabled";
    String previous = ctx.spark().conf().get(check, "true");
    // VACUUM lists the table's folder with this many tasks (Spark's default: 10,000, for every
    // table);
    // the cluster's parallelism is plenty.
    String listing = "spark.sql.sources.parallelPartitionDiscovery.parallelism";
    String previousListing = ctx.spark().conf().get(listing, "10000");
    ctx.spark()
        .conf()
        .set(
            listing,
            Integer.toString(Math.max(2, ctx.spark().sparkContext().defaultParallelism())));
    // A minimum below Delta's 7 days is the operator's explicit choice (the setting); pins are
    // honoured either way.
    ctx.spark().conf().set(check, Boolean.toString(retentionHours >= DELTA_SAFE_RETENTION_HOURS));
    try {
      String retain = "";
      if (retentionHours == 0) {
        retain = " RETAIN 0 HOURS";
      } else {
        String wanted = "interval " + retentionHours + " hours";
        if (!wanted.equals(current)) {
          ctx.lake()
              .sql(
                  "ALTER TABLE "
                      + c.name()
                      + " SET TBLPROPERTIES ('"
                      + RETENTION_PROPERTY
                      + "' = '"
                      + wanted
                      + "')");
        }
      }
      long candidates = ctx.lake().sql("VACUUM " + c.name() + retain + " DRY RUN").count();
      if (candidates > 0) {
        ctx.lake().sql("VACUUM " + c.name() + retain);
      }
      return candidates;
    } finally {
      ctx.spark().conf().set(check, previous);
      ctx.spark().conf().set(listing, previousListing);
    }
  }

  static final String RETENTION_PROPERTY = "delta.deletedFileRetentionDuration";
}
