package org.songhong.jobs.maintenance;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.songhong.contract.Tables;
import org.songhong.job.Job;
import org.songhong.job.JobContext;
import org.songhong.job.JobResult;
import org.songhong.lake.WriteResult;

/**
 * The day's data-quality summary in {@code ops.quality_daily}: records quarantined per job, table
 * and rule, and runs per job and final state, for the run's logical date (UTC). Rebuilding a day
 * replaces its rows; an unchanged day writes nothing.
 */
public final class QualitySummaryJob implements Job {
  public static final String NAME = "quality_summary";
  public static final String TABLE = Tables.OPS_QUALITY_DAILY;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Summarise the day's quarantine by rule and job runs by state into " + TABLE;
  }

  @Override
  public JobResult run(JobContext ctx) {
    JobResult.Builder result = ctx.result();
    String day = "DATE'" + ctx.logicalDate() + "'";
    ctx.step("summarise quarantine and runs of " + ctx.logicalDate());
    Dataset<Row> summary =
        ctx.lake()
            .sql(
                """
        SELECT %1$s AS summary_date, job, target_table, concat('quarantined:', rule) AS measure, count(*) AS value
        FROM ops.quarantine WHERE to_date(quarantined_at) = %1$s GROUP BY job, target_table, rule
        UNION ALL
        SELECT %1$s, job, '', concat('runs:', status), count(*)
        FROM ops.job_runs WHERE to_date(started_at) = %1$s GROUP BY job, status
        """
                    .formatted(day));
    WriteResult w = ctx.writer().replaceWhere(TABLE, summary, "summary_date = " + day);
    result.table(w.metrics());
    return result.build();
  }
}
