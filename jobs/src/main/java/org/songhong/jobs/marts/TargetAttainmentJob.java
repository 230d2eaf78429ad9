package org.songhong.jobs.marts;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.songhong.domain.IndicatorCatalog;
import org.songhong.domain.geo.GeoUnit;
import org.songhong.domain.geo.Geography;
import org.songhong.domain.target.Attainment;
import org.songhong.domain.target.AttainmentCalculator;
import org.songhong.domain.target.Target;
import org.songhong.domain.target.TargetCatalog;
import org.songhong.job.Job;
import org.songhong.job.JobContext;
import org.songhong.jobs.provincial.ProvincialStatsSilverJob;
import org.songhong.lake.WriteResult;
import org.songhong.ops.TableMetrics;

/**
 * Builds {@code gold.target_attainment}: for every target of the catalog, every release (vintage)
 * and every year it can be measured at, the measures and status of METHODS.md section 1.
 *
 * <p>The inputs are small (a few indicators, a few provinces, a few years per release), so the
 * observations are collected to the driver and the arithmetic runs in plain Java, in
 * {@link AttainmentCalculator}; the result is written back as one table version, and not at all
 * when it equals what is there.
 */
public final class TargetAttainmentJob implements Job {
  public static final String NAME = "target_attainment";
  public static final String TABLE = "gold.target_attainment";
  static final LocalDate REFORM_2025 = LocalDate.of(2025, 7, 1);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Compute " + TABLE + " for every target, release and as-of year from " + ProvincialStatsSilverJob.TABLE;
  }

  @Override
  public void run(JobContext ctx) {
    IndicatorCatalog indicators = IndicatorCatalog.load(ctx.schemas());
    Geography geography = Geography.load(ctx.schemas());
    TargetCatalog targets = TargetCatalog.load(ctx.schemas(), indicators, geography);
    ctx.step("read observations");
    List<String> needed = targets.all().stream().map(Target::indicator).distinct().toList();
    Dataset<Row> silver = ctx.spark().table(ProvincialStatsSilverJob.TABLE)
        .filter(org.apache.spark.sql.functions.col("indicator_code").isInCollection(needed))
        .select("indicator_code", "geo_id", "year", "value", "vintage", "published_on");
    List<VintageSnapshots.Obs> obs = new ArrayList<>();
    for (Row r : silver.collectAsList()) {
      obs.add(new VintageSnapshots.Obs(r.getString(0), r.getString(1), r.getInt(2), r.getDouble(3), r.getString(4),
          r.getDate(5).toLocalDate()));
    }
    List<Row> rows = compute(targets.all(), geography, new VintageSnapshots(obs), new AttainmentCalculator());
    ctx.step("write " + TABLE);
    WriteResult w = ctx.writer().replace(TABLE, ctx.spark().createDataFrame(rows, ctx.lake().contract(TABLE).writeSchema()));
    ctx.metrics(new TableMetrics(TABLE, rows.size(), rows.size(), 0, w.version(), w.committed()));
  }

  /** The mart's rows, in the contract's column order. Pure: no Spark. */
  public static List<Row> compute(List<Target> targets, Geography geography, VintageSnapshots snapshots,
      AttainmentCalculator calculator) {
    List<Row> rows = new ArrayList<>();
    for (VintageSnapshots.Vintage v : snapshots.vintages()) {
      for (Target t : targets) {
        TreeMap<Integer, Double> series = snapshots.series(t.indicator(), t.geoId(), v);
        List<Integer> asOf = series.keySet().stream()
            .filter(y -> y > t.baselineYear() && y <= t.targetYear()).toList();
        if (asOf.isEmpty()) {
          int latest = snapshots.latestYear(v);
          Attainment a = calculator.compute(t, series, latest);
          rows.add(row(t, geography, v, latest, a));
          continue;
        }
        for (int year : asOf) {
          rows.add(row(t, geography, v, year, calculator.compute(t, series, year)));
        }
      }
    }
    return rows;
  }

  static String boundary(Geography geography, String geoId) {
    GeoUnit u = geography.unit(geoId).orElseThrow();
    if (u.validTo() != null && u.validTo().isBefore(REFORM_2025)) {
      return "old";
    }
    if (!u.validFrom().isBefore(REFORM_2025)) {
      return "new";
    }
    return "unchanged";
  }

  private static Row row(Target t, Geography g, VintageSnapshots.Vintage v, int asOfYear, Attainment a) {
    return RowFactory.create(
        t.id(), t.indicator(), t.geoId(), boundary(g, t.geoId()), v.label(), Date.valueOf(v.publishedOn()), asOfYear,
        t.methodName(), t.measure().name().toLowerCase(), t.comparison().name().toLowerCase(), t.isStrict(), t.unit(),
        t.baselineYear(), a.baselineValue(), a.latestValue(), a.measuredValue(),
        t.targetYear(), t.value(), t.lo(), t.hi(), t.tolerance(), a.targetLevel(),
        a.cs(), a.cagrActualPct(), a.cagrRequiredPct(), a.rog(), a.cagrNeededFromNowPct(),
        a.projectedT(), a.projectedTLinear(), a.ap(), a.status(),
        scala.jdk.javaapi.CollectionConverters.asScala(a.observationYears()).toSeq(), a.note());
  }

}
