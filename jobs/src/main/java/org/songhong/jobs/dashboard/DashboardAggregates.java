package org.songhong.jobs.dashboard;

import static org.songhong.contract.Tables.GOLD_DASH_AQI_DAILY;
import static org.songhong.contract.Tables.GOLD_DASH_PORT_THROUGHPUT;
import static org.songhong.contract.Tables.GOLD_DASH_TARGET_TRENDS;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.songhong.job.JobContext;
import org.songhong.ops.TableMetrics;

/**
 * The small tables dashboards read (the dashboard server, the PostgreSQL publication, exports):
 * each family's marts job writes its own after its marts, in the same run, so they are always of
 * the same lake version as the marts they come from. {@code gold.scorecard} is the fourth. Their
 * ids are {@link org.songhong.contract.DashboardTables}'s.
 */
public final class DashboardAggregates {
  private DashboardAggregates() {}

  /**
   * Each target's indicator by year (latest release of each year) with the target's line; from the
   * provincial marts.
   */
  public static TableMetrics writeTargetTrends(JobContext ctx) {
    Dataset<Row> frame =
        ctx.lake()
            .sql(
                """
        WITH t AS (SELECT * FROM gold.target_attainment_latest),
        s AS (SELECT * EXCEPT (rn) FROM (SELECT i.*, row_number() OVER (PARTITION BY indicator_code, geo_id, year
                ORDER BY vintage_published_on DESC, vintage DESC) AS rn FROM gold.indicator_series i) WHERE rn = 1)
        SELECT t.target_id, t.geo_id, t.indicator_code, s.year, s.value, s.unit, s.vintage, t.status, t.measure,
               t.comparison, t.target_year, t.target_level, t.target_lo, t.target_hi, t.baseline_year, t.baseline_value
        FROM t JOIN s ON s.indicator_code = t.indicator_code AND s.geo_id = t.geo_id
        """);
    return replace(ctx, GOLD_DASH_TARGET_TRENDS, frame);
  }

  /** The latest figure of each month, level, unit and measure; from the logistics marts. */
  public static TableMetrics writePortThroughput(JobContext ctx) {
    return replace(
        ctx,
        GOLD_DASH_PORT_THROUGHPUT,
        ctx.lake()
            .sql(
                "SELECT level, unit_id, unit_name, port_area_id, month, year, measure, "
                    + "unit_of_measure, value, yoy_pct, vintage FROM gold.logistics_throughput_monthly_latest"));
  }

  /**
   * The daily AQI of {@code condition}'s days with its band and station name; from the environment
   * marts.
   */
  public static TableMetrics writeAqiDaily(JobContext ctx, String dateCondition) {
    Dataset<Row> frame =
        ctx.lake()
            .sql(
                "SELECT d.station_id, coalesce(s.name, d.station_id) AS station_name, d.date, d.aqi, "
                    + "d.band, d.band_vi, d.band_rgb, d.dominant_pollutant FROM gold.aqi_daily d LEFT JOIN silver.env_stations s "
                    + "ON s.station_id = d.station_id WHERE "
                    + dateCondition);
    ctx.step("write " + GOLD_DASH_AQI_DAILY);
    return ctx.writer().replaceWhere(GOLD_DASH_AQI_DAILY, frame, dateCondition).metrics();
  }

  private static TableMetrics replace(JobContext ctx, String table, Dataset<Row> frame) {
    ctx.step("write " + table);
    return ctx.writer().replace(table, frame).metrics();
  }
}
