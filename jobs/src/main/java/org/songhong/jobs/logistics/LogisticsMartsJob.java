package org.songhong.jobs.logistics;

import java.sql.Date;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.songhong.config.SonghongConfig;
import org.songhong.contract.NamedRow;
import org.songhong.contract.Tables;
import org.songhong.domain.logistics.LogisticsCatalog;
import org.songhong.job.Job;
import org.songhong.job.JobContext;
import org.songhong.job.JobResult;
import org.songhong.lake.WriteResult;

/**
 * Builds {@code gold.logistics_throughput_monthly}, {@code gold.logistics_throughput_yearly} and
 * {@code gold.teu_reconciliation_monthly} from the conformed reports and the daily event totals.
 * Both inputs are small (reports, and one row per terminal and day), so the marts are computed on
 * the driver and each written as one version, or not at all when unchanged.
 */
public final class LogisticsMartsJob implements Job {
  public static final String NAME = "logistics_marts";
  public static final String MONTHLY = Tables.GOLD_LOGISTICS_THROUGHPUT_MONTHLY;
  public static final String YEARLY = Tables.GOLD_LOGISTICS_THROUGHPUT_YEARLY;
  public static final String RECONCILIATION = Tables.GOLD_TEU_RECONCILIATION_MONTHLY;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> reads() {
    return List.of(Tables.SILVER_LOGISTICS_STATS_MONTHLY, Tables.SILVER_TERMINAL_ACTIVITY_DAILY);
  }

  @Override
  public java.util.Optional<org.songhong.job.Preflight> preflight() {
    return java.util.Optional.of(
        pc -> org.songhong.job.Preflights.inputsUnchanged(pc, NAME, reads(), false));
  }

  @Override
  public String description() {
    return "Build " + MONTHLY + ", " + YEARLY + " and " + RECONCILIATION;
  }

  @Override
  public JobResult run(JobContext ctx) {
    JobResult.Builder result = ctx.result();
    LogisticsCatalog catalog = LogisticsCatalog.load(ctx.schemas());
    ctx.step("read reported figures");
    List<ThroughputBuilder.Fig> figs = new ArrayList<>();
    for (Row r :
        ctx.lake()
            .sql(
                "SELECT unit_id, port_area_id, month, measure, cargo_type, flow, value, unit_of_measure, vintage, "
                    + "published_on FROM "
                    + Tables.SILVER_LOGISTICS_STATS_MONTHLY)
            .collectAsList()) {
      figs.add(
          new ThroughputBuilder.Fig(
              r.getString(0),
              r.getString(1),
              r.getDate(2).toLocalDate(),
              r.getString(3),
              r.getString(4),
              r.getString(5),
              r.getDouble(6),
              r.getString(7),
              r.getString(8),
              r.getDate(9).toLocalDate()));
    }
    ThroughputBuilder.Result marts =
        new ThroughputBuilder(catalog, ctx.lake().contracts()).build(figs);
    write(ctx, result, MONTHLY, marts.monthly());
    write(ctx, result, YEARLY, marts.yearly());
    result.table(org.songhong.jobs.dashboard.DashboardAggregates.writePortThroughput(ctx));
    ctx.step("read daily event totals");
    List<Row> daily =
        ctx.lake()
            .sql(
                "SELECT activity_date, terminal_id, gate_moves, gate_teu FROM "
                    + Tables.SILVER_TERMINAL_ACTIVITY_DAILY)
            .collectAsList();
    write(
        ctx,
        result,
        RECONCILIATION,
        reconcile(
            ctx.lake().contract(RECONCILIATION).schema(),
            catalog,
            figs,
            daily,
            ctx.config().get(SonghongConfig.RECONCILIATION_TOLERANCE_PCT)));
    return result.build();
  }

  /**
   * One row per terminal and month with a reported TEU figure (latest release) or gate events.
   * Months with events on only some days are {@code incomplete_events}, not a gap. Rows are built
   * by column name in {@code type}, the reconciliation table's layout.
   */
  static List<Row> reconcile(
      StructType type,
      LogisticsCatalog catalog,
      List<ThroughputBuilder.Fig> figs,
      List<Row> daily,
      double tolerancePct) {
    Map<String, ThroughputBuilder.Fig> reported = new HashMap<>();
    for (ThroughputBuilder.Fig f : figs) {
      if (f.measure().equals("container_teu")) {
        reported.merge(
            f.unitId() + "|" + f.month(),
            f,
            (a, b) -> b.publishedOn().isAfter(a.publishedOn()) ? b : a);
      }
    }
    // terminal|month -> [teu, moves, days]
    Map<String, double[]> events = new TreeMap<>();
    for (Row r : daily) {
      LocalDate d = r.getDate(0).toLocalDate();
      if (r.getLong(2) == 0) {
        continue;
      }
      double[] acc =
          events.computeIfAbsent(r.getString(1) + "|" + d.withDayOfMonth(1), k -> new double[3]);
      acc[0] += r.getDouble(3);
      acc[1] += r.getLong(2);
      acc[2] += 1;
    }
    java.util.TreeSet<String> keys = new java.util.TreeSet<>(reported.keySet());
    keys.addAll(events.keySet());
    List<Row> out = new ArrayList<>();
    for (String k : keys) {
      String terminal = k.substring(0, k.indexOf('|'));
      LocalDate month = LocalDate.parse(k.substring(k.indexOf('|') + 1));
      ThroughputBuilder.Fig rep = reported.get(k);
      double[] ev = events.get(k);
      int days = YearMonth.from(month).lengthOfMonth();
      int withEvents = ev == null ? 0 : (int) ev[2];
      Double diff = rep != null && ev != null ? ev[0] - rep.value() : null;
      Double diffPct = diff != null && rep.value() != 0 ? diff / rep.value() * 100 : null;
      String status;
      if (rep == null) {
        status = "no_report";
      } else if (ev == null) {
        status = "no_events";
      } else if (withEvents < days) {
        status = "incomplete_events";
      } else if (diffPct != null && Math.abs(diffPct) > tolerancePct) {
        status = "gap_above_tolerance";
      } else {
        status = "ok";
      }
      String area =
          catalog.terminal(terminal).map(LogisticsCatalog.Terminal::portArea).orElse("unknown");
      out.add(
          NamedRow.of(type)
              .set("terminal_id", terminal)
              .set("port_area_id", area)
              .set("month", Date.valueOf(month))
              .set("reported_teu", rep == null ? null : rep.value())
              .set("reported_vintage", rep == null ? null : rep.vintage())
              .set("event_teu", ev == null ? null : ev[0])
              .set("event_moves", ev == null ? null : (long) ev[1])
              .set("days_with_events", withEvents)
              .set("days_in_month", days)
              .set("difference_teu", diff)
              .set("difference_pct", diffPct)
              .set("tolerance_pct", tolerancePct)
              .set("status", status)
              .row());
    }
    return out;
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
