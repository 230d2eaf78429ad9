package org.songhong.jobs.logistics;

import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.songhong.config.SonghongConfig;
import org.songhong.contract.Tables;
import org.songhong.job.Job;
import org.songhong.job.JobContext;
import org.songhong.job.JobResult;

/**
 * Lands the terminals' event files ({@code EVENTS/FEED/YYYY-MM-DD/*.jsonl[.gz]}) in {@code
 * bronze.logistics_events}, line by line. A run for day D looks at D and the lookback days before
 * it (late files), never the whole history; a file already landed (same SHA-256) is skipped. Files
 * are read and split on the executors, so a year of files loads in parallel on a cluster.
 */
public final class LogisticsEventsBronzeJob implements Job {
  public static final String NAME = "logistics_events_bronze";
  public static final String TABLE = Tables.BRONZE_LOGISTICS_EVENTS;
  public static final List<String> FEEDS = List.of("gate_moves", "vessel_calls");
  private static final Logger LOG = LoggerFactory.getLogger(LogisticsEventsBronzeJob.class);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public java.util.List<String> landing(org.songhong.config.SonghongConfig config) {
    return java.util.List.of(config.eventsDir());
  }

  @Override
  public java.util.Optional<org.songhong.job.Preflight> preflight() {
    return java.util.Optional.of(
        pc -> {
          List<LocalDate> days =
              window(
                  org.songhong.job.Preflights.date(pc),
                  pc.config().get(SonghongConfig.EVENTS_LOOKBACK_DAYS));
          List<String> files = list(pc.hadoop(), pc.config().eventsDir(), days);
          return org.songhong.job.Preflights.newFiles(pc, NAME, files);
        });
  }

  @Override
  public String description() {
    return "Land the day's gate-move and vessel-call files (and late ones) into " + TABLE;
  }

  /** The days a run for {@code date} covers: the lookback window ending on it. */
  static List<LocalDate> window(LocalDate date, int lookbackDays) {
    return org.songhong.io.DayFolders.window(date, lookbackDays);
  }

  @Override
  public JobResult run(JobContext ctx) {
    JobResult.Builder result = ctx.result();
    LocalDate date = ctx.logicalDate() == null ? LocalDate.now(ZoneOffset.UTC) : ctx.logicalDate();
    List<LocalDate> days = window(date, ctx.config().get(SonghongConfig.EVENTS_LOOKBACK_DAYS));
    String root = ctx.config().eventsDir();
    List<String> files = list(ctx, root, days);
    LOG.info("{} event file(s) in {} for {}..{}", files.size(), root, days.get(0), date);
    if (files.isEmpty()) {
      return result.unchanged(TABLE).build();
    }
    Set<String> done = new HashSet<>(ctx.ledger().processedChecksums(NAME));
    ctx.step("read " + files.size() + " event file(s)");
    JavaRDD<Row> rows =
        org.songhong.io.DayFolders.read(
            ctx.spark().sparkContext(),
            ctx.spark().sessionState().newHadoopConf(),
            files,
            (path, bytes) -> EventFiles.lines(path, bytes, done).iterator());
    org.songhong.jobs.Batches.land(
        ctx, result, TABLE, NAME, ctx.spark().createDataFrame(rows, EventFiles.SCHEMA), lit(0));
    return result.build();
  }

  /** Event files of the window's days, for each feed. */
  private static List<String> list(JobContext ctx, String root, List<LocalDate> days) {
    return list(ctx.spark().sessionState().newHadoopConf(), root, days);
  }

  private static List<String> list(
      org.apache.hadoop.conf.Configuration hadoop, String root, List<LocalDate> days) {
    List<String> out = new ArrayList<>();
    for (String feed : FEEDS) {
      out.addAll(org.songhong.io.DayFolders.list(root + "/" + feed, days, hadoop));
    }
    if (out.isEmpty()) {
      LOG.warn("No event files in {} for {}..{}", root, days.get(0), days.get(days.size() - 1));
    }
    return out;
  }

  static String inList(List<LocalDate> days) {
    return org.songhong.io.DayFolders.sqlList(days);
  }

  static org.apache.spark.sql.Column dateIn(String column, List<LocalDate> days) {
    return expr(column + " IN (" + inList(days) + ")");
  }
}
