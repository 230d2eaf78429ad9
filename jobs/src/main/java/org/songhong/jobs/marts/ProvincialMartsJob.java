package org.songhong.jobs.marts;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.songhong.config.SonghongConfig;
import org.songhong.contract.Tables;
import org.songhong.domain.IndicatorCatalog;
import org.songhong.domain.geo.Geography;
import org.songhong.domain.targets.AttainmentCalculator;
import org.songhong.domain.targets.TargetCatalog;
import org.songhong.job.Job;
import org.songhong.job.JobContext;
import org.songhong.job.JobResult;
import org.songhong.jobs.provincial.WideTableParser;
import org.songhong.lake.WriteResult;

/**
 * Builds the provincial marts: {@code gold.target_attainment} (every target, release and as-of
 * year, with the measures of docs/METHODS.md section 1 and the figures used), {@code
 * gold.indicator_series} (every indicator, published or derived, as known at each release) and
 * {@code gold.scorecard} (each target's latest status, for dashboards).
 *
 * <p>The inputs are small (statistics, not readings), so the figures are collected to the driver
 * and the arithmetic runs in plain Java ({@link MartsBuilder}); each mart is written as one table
 * version, and not at all when it equals what is there.
 */
public final class ProvincialMartsJob implements Job {
  public static final String NAME = "provincial_marts";
  public static final String ATTAINMENT = Tables.GOLD_TARGET_ATTAINMENT;
  public static final String SERIES = Tables.GOLD_INDICATOR_SERIES;
  public static final String SCORECARD = Tables.GOLD_SCORECARD;
  public static final String SUBTOTAL_CHECKS = Tables.GOLD_REGION_SUBTOTAL_CHECKS;
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(ProvincialMartsJob.class);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> reads() {
    return List.of(
        Tables.SILVER_PROVINCIAL_OBSERVATIONS,
        Tables.GOLD_LOGISTICS_THROUGHPUT_YEARLY,
        Tables.GOLD_WASTEWATER_COMPLIANCE_YEARLY,
        Tables.GOLD_WASTEWATER_COMPLIANCE_DAILY);
  }

  @Override
  public java.util.Optional<org.songhong.job.Preflight> preflight() {
    return java.util.Optional.of(
        pc -> org.songhong.job.Preflights.inputsUnchanged(pc, NAME, reads(), false));
  }

  @Override
  public String description() {
    return "Build "
        + ATTAINMENT
        + ", "
        + SERIES
        + " and "
        + SCORECARD
        + " from "
        + Tables.SILVER_PROVINCIAL_OBSERVATIONS;
  }

  @Override
  public JobResult run(JobContext ctx) {
    JobResult.Builder result = ctx.result();
    IndicatorCatalog indicators = IndicatorCatalog.load(ctx.schemas());
    Geography geography = Geography.load(ctx.schemas());
    TargetCatalog targets = TargetCatalog.load(ctx.schemas(), indicators, geography);
    ctx.step("read observations");
    List<VintageSnapshots.Obs> obs = new ArrayList<>();
    for (Row r :
        ctx.lake()
            .read(Tables.SILVER_PROVINCIAL_OBSERVATIONS)
            .select(
                col("indicator_code"),
                col("geo_id"),
                col("year"),
                col("value"),
                col("unit"),
                col("vintage"),
                col("published_on"),
                col("source_file"),
                col("source_line"),
                col("source_sheet"),
                col("source_column"),
                col("provenance"),
                col("provenance_source"))
            .collectAsList()) {
      obs.add(
          VintageSnapshots.Obs.observed(
              r.getString(0),
              r.getString(1),
              r.getInt(2),
              r.getDouble(3),
              r.getString(4),
              r.getString(5),
              r.getDate(6).toLocalDate(),
              r.getString(7),
              r.getInt(8),
              r.getInt(10) == 0
                  ? null
                  : r.getString(9) + "!" + WideTableParser.column(r.getInt(10) - 1) + r.getInt(8),
              r.getString(11),
              r.getString(12)));
    }
    // Series other families feed (port throughput, ...): city totals of complete years, with no
    // code per target. Their
    // provenance is their feed's: the landing folder's _provenance.yaml (the sample's reports:
    // illustrative), else computed.
    String[] ports =
        feedProvenance(
            ctx,
            ctx.config().inputDir() + "/" + org.songhong.jobs.logistics.LogisticsStatsJob.LANDING,
            Tables.GOLD_LOGISTICS_THROUGHPUT_YEARLY);
    String[] monitoring =
        feedProvenance(
            ctx, ctx.config().environmentDir(), Tables.GOLD_WASTEWATER_COMPLIANCE_YEARLY);
    for (Row r :
        ctx.lake()
            .sql(
                "SELECT indicator_code, y.year, y.value, y.unit_of_measure, y.vintage, y.published_on, y.unit_id "
                    + "FROM "
                    + Tables.GOLD_LOGISTICS_THROUGHPUT_YEARLY
                    + " y WHERE indicator_code IS NOT NULL")
            .collectAsList()) {
      obs.add(
          VintageSnapshots.Obs.observed(
              r.getString(0),
              r.getString(6),
              r.getInt(1),
              r.getDouble(2),
              r.getString(3),
              r.getString(4),
              r.getDate(5).toLocalDate(),
              Tables.GOLD_LOGISTICS_THROUGHPUT_YEARLY,
              0,
              null,
              ports[0],
              ports[1]));
    }
    // The share of compliant industrial zones, computed from monitoring (feeds HP30-18): one
    // release per year's last monitored day.
    for (Row r :
        ctx.lake()
            .sql(
                "SELECT y.indicator_code, y.year, y.compliant_share_pct, y.unit_id, m.last_day FROM "
                    + Tables.GOLD_WASTEWATER_COMPLIANCE_YEARLY
                    + " y JOIN (SELECT year(date) yr, max(date) last_day FROM "
                    + Tables.GOLD_WASTEWATER_COMPLIANCE_DAILY
                    + " GROUP BY 1) m ON m.yr = y.year "
                    + "WHERE y.indicator_code IS NOT NULL AND y.compliant_share_pct IS NOT NULL")
            .collectAsList()) {
      java.time.LocalDate published = r.getDate(4).toLocalDate().plusDays(1);
      obs.add(
          VintageSnapshots.Obs.observed(
              r.getString(0),
              r.getString(3),
              r.getInt(1),
              r.getDouble(2),
              "%",
              "monitoring-" + published,
              published,
              Tables.GOLD_WASTEWATER_COMPLIANCE_YEARLY,
              0,
              null,
              monitoring[0],
              monitoring[1]));
    }
    MartsBuilder.Marts marts =
        new MartsBuilder(
                targets.all(),
                geography,
                indicators,
                new AttainmentCalculator(),
                ctx.config().get(SonghongConfig.SUBTOTAL_TOLERANCE_PCT),
                ctx.lake().contracts())
            .build(new VintageSnapshots(obs));
    write(ctx, result, ATTAINMENT, marts.attainment());
    write(ctx, result, SERIES, marts.indicatorSeries());
    write(ctx, result, SCORECARD, marts.scorecard());
    write(ctx, result, SUBTOTAL_CHECKS, marts.subtotalChecks());
    result.table(org.songhong.jobs.dashboard.DashboardAggregates.writeTargetTrends(ctx));
    marts.subtotalChecks().stream()
        .filter(r -> !r.<Boolean>getAs("within_tolerance"))
        .forEach(
            r ->
                LOG.warn(
                    "Published subtotal of {} for {} in {} (release {}) is {} but its members sum to {} ({}%): see {}",
                    r.getAs("indicator_code"),
                    r.getAs("region_id"),
                    r.getAs("year"),
                    r.getAs("vintage"),
                    r.getAs("published_value"),
                    r.getAs("computed_value"),
                    String.format("%.2f", r.<Double>getAs("difference_pct")),
                    SUBTOTAL_CHECKS));
    return result.build();
  }

  /**
   * A feed's provenance and its source: its landing folder's {@code _provenance.yaml}, or computed
   * from {@code table}.
   */
  static String[] feedProvenance(JobContext ctx, String folder, String table) {
    return org.songhong.io.FeedProvenance.read(folder, ctx.spark().sessionState().newHadoopConf())
        .map(f -> new String[] {f.figures(), f.source()})
        .orElse(new String[] {VintageSnapshots.Obs.COMPUTED, table});
  }

  private static void write(
      JobContext ctx, JobResult.Builder result, String table, List<Row> rows) {
    ctx.step("write " + table);
    WriteResult w =
        ctx.writer()
            .replace(
                table, ctx.spark().createDataFrame(rows, ctx.lake().contract(table).writeSchema()));
    result.table(w.metrics(rows.size(), 0));
  }
}
