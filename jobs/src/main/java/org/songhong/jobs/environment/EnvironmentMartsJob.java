package org.songhong.jobs.environment;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.udf;

import java.sql.Date;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF6;
import org.apache.spark.sql.api.java.UDF7;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.songhong.config.SonghongConfig;
import org.songhong.contract.NamedRow;
import org.songhong.contract.Tables;
import org.songhong.domain.environment.Aqi;
import org.songhong.domain.environment.EnvironmentCatalog;
import org.songhong.io.DayFolders;
import org.songhong.job.Job;
import org.songhong.job.JobContext;
import org.songhong.job.JobResult;
import org.songhong.lake.Lake;
import org.songhong.lake.SqlLiterals;
import org.songhong.lake.WriteResult;

/**
 * The environment marts for the run's day and its lookback: {@code gold.aqi_hourly} (NowCast for
 * PM, so the 11 hours before the first day are read too), {@code gold.aqi_daily}, {@code
 * gold.air_limit_exceedances_daily} (8-hour windows may start the day before), {@code
 * gold.wastewater_compliance_daily}; each rewritten for exactly those days. Then {@code
 * gold.wastewater_compliance_yearly} from the daily compliance (small). Valid readings only.
 */
public final class EnvironmentMartsJob implements Job {
  public static final String NAME = "environment_marts";
  public static final String HOURLY = Tables.GOLD_AQI_HOURLY;
  public static final String DAILY = Tables.GOLD_AQI_DAILY;
  public static final String EXCEEDANCES = Tables.GOLD_AIR_LIMIT_EXCEEDANCES_DAILY;
  public static final String WW_DAILY = Tables.GOLD_WASTEWATER_COMPLIANCE_DAILY;
  public static final String WW_YEARLY = Tables.GOLD_WASTEWATER_COMPLIANCE_YEARLY;
  static final String METHOD = "VN_AQI (Decision 1459/QD-TCMT); NowCast 12 h for PM";
  static final String FEED_INDICATOR = "industrial_zones_wastewater_compliant";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> reads() {
    return List.of(
        Tables.SILVER_ENV_READINGS, Tables.SILVER_ENV_STATIONS, Tables.SILVER_INDUSTRIAL_ZONES);
  }

  /**
   * The marts of a window of days: nothing to do if nothing read changed and the window is the
   * same.
   */
  @Override
  public java.util.Optional<org.songhong.job.Preflight> preflight() {
    return java.util.Optional.of(
        pc -> org.songhong.job.Preflights.inputsUnchanged(pc, NAME, reads(), true));
  }

  @Override
  public String description() {
    return "Build "
        + HOURLY
        + ", "
        + DAILY
        + ", "
        + EXCEEDANCES
        + " and wastewater compliance for the run's days";
  }

  @Override
  public JobResult run(JobContext ctx) {
    JobResult.Builder result = ctx.result();
    SparkSession spark = ctx.spark();
    EnvironmentCatalog env = EnvironmentCatalog.load(ctx.schemas());
    AqiFunctions aqi = new AqiFunctions(new Aqi(env.aqi()));
    LocalDate date = ctx.logicalDate() == null ? LocalDate.now(ZoneOffset.UTC) : ctx.logicalDate();
    List<LocalDate> days =
        DayFolders.window(date, ctx.config().get(SonghongConfig.ENV_LOOKBACK_DAYS));
    TreeSet<LocalDate> withContext = new TreeSet<>(days);
    withContext.add(days.get(0).minusDays(1));
    String inDays = "local_date IN (" + DayFolders.sqlList(days) + ")";
    ctx.step("hourly air quality for " + days.get(0) + ".." + date);
    Dataset<Row> hours = hourly(ctx.lake(), env, aqi, withContext).filter(inDays).cache();
    try {
      write(ctx, result, HOURLY, aqiHourly(hours, aqi), inDays);
      String dateIn = "date IN (" + DayFolders.sqlList(days) + ")";
      Dataset<Row> dayStats = dailyStats(hours, env).cache();
      write(ctx, result, DAILY, aqiDaily(dayStats, aqi), dateIn);
      result.table(org.songhong.jobs.dashboard.DashboardAggregates.writeAqiDaily(ctx, dateIn));
      write(ctx, result, EXCEEDANCES, exceedances(spark, dayStats, hours, env), dateIn);
      dayStats.unpersist();
    } finally {
      hours.unpersist();
    }
    ctx.step("wastewater compliance");
    write(
        ctx,
        result,
        WW_DAILY,
        wastewaterDaily(ctx.lake(), env, days),
        "date IN (" + DayFolders.sqlList(days) + ")");
    // a step of its own: in a run's profile its queries over every year's days were counted as
    // the daily table's write
    ctx.step("write " + WW_YEARLY);
    List<Row> yearly = wastewaterYearly(ctx.lake(), env);
    WriteResult w =
        ctx.writer()
            .replace(
                WW_YEARLY,
                spark.createDataFrame(yearly, ctx.lake().contract(WW_YEARLY).writeSchema()));
    result.table(w.metrics(yearly.size(), 0));
    return result.build();
  }

  private static void write(
      JobContext ctx,
      JobResult.Builder result,
      String table,
      Dataset<Row> frame,
      String condition) {
    ctx.step("write " + table);
    WriteResult w = ctx.writer().replaceWhere(table, frame, condition);
    result.table(w.metrics());
  }

  static final StructType AQI_STRUCT =
      new StructType()
          .add("aqi", DataTypes.IntegerType)
          .add("dominant", DataTypes.StringType)
          .add("pm25", DataTypes.DoubleType)
          .add("pm10", DataTypes.DoubleType)
          .add("o3", DataTypes.DoubleType)
          .add("no2", DataTypes.DoubleType)
          .add("so2", DataTypes.DoubleType)
          .add("co", DataTypes.DoubleType);
  static final StructType BAND_STRUCT =
      new StructType()
          .add("en", DataTypes.StringType)
          .add("vi", DataTypes.StringType)
          .add("rgb", DataTypes.StringType);

  /**
   * The AQI calculator's functions as functions of columns, closing over the calculator (nothing is
   * registered on the session: the frames below can be built on any session, any number of times,
   * with different breakpoints).
   */
  record AqiFunctions(
      Aqi calculator, UserDefinedFunction hour, UserDefinedFunction day, UserDefinedFunction band) {
    AqiFunctions(Aqi aqi) {
      this(
          aqi,
          udf(
              (UDF6<Double, Double, Double, Double, Double, Double, Row>)
                  (so2, co, no2, o3, pm10, pm25) -> row(aqi.hourly(so2, co, no2, o3, pm10, pm25)),
              AQI_STRUCT),
          udf(
              (UDF7<Double, Double, Double, Double, Double, Double, Double, Row>)
                  (so2, co, no2, o31, o38, pm10, pm25) ->
                      row(aqi.daily(so2, co, no2, o31, o38, pm10, pm25)),
              AQI_STRUCT),
          udf(
              (UDF1<Integer, Row>)
                  v -> {
                    if (v == null) {
                      return null;
                    }
                    EnvironmentCatalog.Band b = aqi.band(v);
                    return RowFactory.create(b.en(), b.vi(), b.rgb());
                  },
              BAND_STRUCT));
    }
  }

  private static Row row(Aqi.Result r) {
    var s = r.subIndices();
    return RowFactory.create(
        r.aqi(),
        r.dominant(),
        s.get("pm25"),
        s.get("pm10"),
        s.get("o3"),
        s.get("no2"),
        s.get("so2"),
        s.get("co"));
  }

  /**
   * One row per ambient-air station and hour: the valid 1-hour means, NowCasts and 8-hour means.
   */
  static Dataset<Row> hourly(
      Lake lake, EnvironmentCatalog env, AqiFunctions aqi, java.util.Collection<LocalDate> days) {
    String pivot =
        String.join(
            ", ",
            List.of("pm25", "pm10", "o3", "no2", "so2", "co").stream()
                .map(
                    p ->
                        "max(CASE WHEN r.parameter = "
                            + SqlLiterals.string(p)
                            + " THEN r.value END) AS "
                            + p)
                .toList());
    Dataset<Row> h =
        lake.sql(
            "SELECT r.station_id, r.obs_hour, r.local_date, "
                + pivot
                + " FROM "
                + Tables.SILVER_ENV_READINGS
                + " r JOIN "
                + Tables.SILVER_ENV_STATIONS
                + " s ON r.station_id = s.station_id AND s.kind = 'ambient_air' "
                + "WHERE r.valid AND r.local_date IN ("
                + DayFolders.sqlList(days)
                + ") GROUP BY r.station_id, r.obs_hour, r.local_date");
    // The NowCasts and 8-hour means look back along each station's hours: one pass over each
    // station (HourlyMeans), not a window per mean.
    return HourlyMeans.withHourlyMeans(h, aqi.calculator())
        .withColumn(
            "a",
            aqi.hour()
                .apply(
                    col("so2"),
                    col("co"),
                    col("no2"),
                    col("o3"),
                    col("nowcast_pm10"),
                    col("nowcast_pm25")));
  }

  static Dataset<Row> aqiHourly(Dataset<Row> hours, AqiFunctions aqi) {
    return hours
        .filter("a.aqi IS NOT NULL")
        .withColumn("b", aqi.band().apply(col("a.aqi")))
        .selectExpr(
            "local_date",
            "obs_hour",
            "hour(from_utc_timestamp(obs_hour, '" + ReadingFiles.LOCAL_TZ + "')) AS local_hour",
            "station_id",
            "a.aqi AS aqi",
            "b.en AS band",
            "b.vi AS band_vi",
            "b.rgb AS band_rgb",
            "a.dominant AS dominant_pollutant",
            "nowcast_pm25",
            "nowcast_pm10",
            "a.pm25 AS aqi_pm25",
            "a.pm10 AS aqi_pm10",
            "a.o3 AS aqi_o3",
            "a.no2 AS aqi_no2",
            "a.so2 AS aqi_so2",
            "a.co AS aqi_co",
            "'" + METHOD + "' AS method");
  }

  /** Per station and day: 24-hour means (with enough hours), daily maxima, and coverage. */
  static Dataset<Row> dailyStats(Dataset<Row> hours, EnvironmentCatalog env) {
    int minH = env.aqi().dayMinValidHours();
    return hours
        .groupBy(col("station_id"), col("local_date").as("date"))
        .agg(
            expr("CASE WHEN count(pm25) >= " + minH + " THEN avg(pm25) END").as("pm25_24h"),
            expr("CASE WHEN count(pm10) >= " + minH + " THEN avg(pm10) END").as("pm10_24h"),
            expr("CASE WHEN count(so2) >= " + minH + " THEN avg(so2) END").as("so2_24h"),
            expr("CASE WHEN count(no2) >= " + minH + " THEN avg(no2) END").as("no2_24h"),
            expr("max(o3)").as("o3_max_1h"),
            expr("max(o3_8h)").as("o3_max_8h"),
            expr("max(no2)").as("no2_max_1h"),
            expr("max(so2)").as("so2_max_1h"),
            expr("max(co)").as("co_max_1h"),
            expr("max(co_8h)").as("co_max_8h"),
            expr("CAST(greatest(count(pm25), count(pm10)) AS INT)").as("valid_pm_hours"),
            expr("map('pm25', count(pm25), 'pm10', count(pm10), 'o3', count(o3), 'no2', count(no2), 'so2', count(so2), 'co', count(co))")
                .as("valid_hours"));
  }

  static Dataset<Row> aqiDaily(Dataset<Row> stats, AqiFunctions aqi) {
    return stats
        .withColumn(
            "a",
            aqi.day()
                .apply(
                    col("so2_max_1h"),
                    col("co_max_1h"),
                    col("no2_max_1h"),
                    col("o3_max_1h"),
                    col("o3_max_8h"),
                    col("pm10_24h"),
                    col("pm25_24h")))
        .filter("a.aqi IS NOT NULL")
        .withColumn("b", aqi.band().apply(col("a.aqi")))
        .selectExpr(
            "station_id",
            "date",
            "a.aqi AS aqi",
            "b.en AS band",
            "b.vi AS band_vi",
            "b.rgb AS band_rgb",
            "a.dominant AS dominant_pollutant",
            "pm25_24h",
            "pm10_24h",
            "o3_max_1h",
            "o3_max_8h",
            "no2_max_1h",
            "so2_max_1h",
            "co_max_1h",
            "valid_pm_hours",
            "'" + METHOD + "' AS method");
  }

  /**
   * Each regulated pollutant and averaging period per station-day, against the limit in force on
   * the day.
   */
  static Dataset<Row> exceedances(
      SparkSession spark, Dataset<Row> stats, Dataset<Row> hours, EnvironmentCatalog env) {
    List<Row> limits = new ArrayList<>();
    env.airLimits()
        .forEach(
            l ->
                limits.add(
                    RowFactory.create(
                        l.pollutant(), l.averaging(), l.limit(), Date.valueOf(l.from()))));
    Dataset<Row> lim =
        spark.createDataFrame(
            limits,
            new StructType()
                .add("l_pollutant", DataTypes.StringType)
                .add("l_averaging", DataTypes.StringType)
                .add("limit_value", DataTypes.DoubleType)
                .add("limit_from", DataTypes.DateType));
    // The limit in force for each day, pollutant and averaging period: decided once per day (a few
    // hundred rows), then joined to the hours and days, instead of on every hour of every station.
    Dataset<Row> inForce =
        functions.broadcast(
            stats
                .select(col("date").as("l_date"))
                .distinct()
                .join(lim, expr("limit_from <= l_date"))
                .withColumn(
                    "rn",
                    expr(
                        "row_number() OVER (PARTITION BY l_date, l_pollutant, l_averaging ORDER BY limit_from DESC)"))
                .filter("rn = 1")
                .drop("rn"));
    // Hours (or 8-hour windows) above each limit, per day.
    Dataset<Row> above =
        hours
            .join(inForce.filter("l_averaging IN ('1h', '8h')"), expr("l_date = local_date"))
            .withColumn(
                "x",
                expr(
                    "CASE l_averaging WHEN '1h' THEN CASE l_pollutant WHEN 'so2' THEN so2 WHEN 'co' THEN co "
                        + "WHEN 'no2' THEN no2 WHEN 'o3' THEN o3 END WHEN '8h' THEN CASE l_pollutant WHEN 'o3' THEN o3_8h WHEN 'co' THEN co_8h END END"))
            .groupBy(
                col("station_id").as("a_station"),
                col("local_date").as("a_date"),
                col("l_pollutant").as("a_pollutant"),
                col("l_averaging").as("a_averaging"))
            .agg(expr("CAST(count_if(x > limit_value) AS INT)").as("hours_above"));
    int minH = env.aqi().dayMinValidHours();
    Dataset<Row> stat =
        stats
            .join(inForce, expr("l_date = date"))
            .withColumn(
                "value",
                expr(
                    "CASE l_averaging WHEN '1h' THEN CASE l_pollutant WHEN 'so2' THEN so2_max_1h WHEN 'co' THEN co_max_1h "
                        + "WHEN 'no2' THEN no2_max_1h WHEN 'o3' THEN o3_max_1h END WHEN '8h' THEN CASE l_pollutant WHEN 'o3' THEN o3_max_8h "
                        + "WHEN 'co' THEN co_max_8h END ELSE CASE l_pollutant WHEN 'pm25' THEN pm25_24h WHEN 'pm10' THEN pm10_24h "
                        + "WHEN 'so2' THEN so2_24h WHEN 'no2' THEN no2_24h END END"))
            .withColumn("valid_hours", expr("CAST(coalesce(valid_hours[l_pollutant], 0) AS INT)"));
    return stat.join(
            above,
            expr(
                "a_station = station_id AND a_date = date AND a_pollutant = l_pollutant AND a_averaging = l_averaging"),
            "left")
        .filter("valid_hours > 0")
        .selectExpr(
            "station_id",
            "date",
            "l_pollutant AS pollutant",
            "l_averaging AS averaging",
            "value",
            "limit_value",
            "limit_from",
            "CASE WHEN l_averaging = '24h' THEN CAST(coalesce(value > limit_value, false) AS INT) ELSE coalesce(hours_above, 0) END AS hours_above",
            "valid_hours",
            "valid_hours >= " + minH + " AS valid_day",
            "coalesce(value > limit_value, false) AS exceeded");
  }

  /** Daily means of valid wastewater readings against each discharge point's standard. */
  static Dataset<Row> wastewaterDaily(Lake lake, EnvironmentCatalog env, List<LocalDate> days) {
    // The limits as an inline table of the query (no temporary view: nothing left on the session).
    List<String> limits = new ArrayList<>();
    env.wastewaterLimits()
        .forEach(
            l ->
                limits.add(
                    "("
                        + String.join(
                            ", ",
                            SqlLiterals.string(l.standard()),
                            SqlLiterals.string(l.parameter()),
                            SqlLiterals.doubleOrNull(l.aMin()),
                            SqlLiterals.doubleOrNull(l.aMax()),
                            SqlLiterals.doubleOrNull(l.bMin()),
                            SqlLiterals.doubleOrNull(l.bMax()),
                            String.valueOf(l.scaled()))
                        + ")"));
    String limitTable =
        "(VALUES "
            + String.join(", ", limits)
            + ") AS l(standard, parameter, a_min, a_max, b_min, b_max, scaled)";
    return lake.sql(
            "SELECT r.station_id, s.industrial_zone_id, r.local_date AS date, r.parameter, avg(r.value) AS daily_mean, "
                + "first(CASE s.standard_column WHEN 'A' THEN l.a_min ELSE l.b_min END) AS limit_min, "
                + "first(CASE s.standard_column WHEN 'A' THEN l.a_max ELSE l.b_max END * CASE WHEN l.scaled THEN s.kq * s.kf ELSE 1 END) AS limit_max, "
                + "first(concat(s.standard, ' ', s.standard_column)) AS standard "
                + "FROM "
                + Tables.SILVER_ENV_READINGS
                + " r JOIN "
                + Tables.SILVER_ENV_STATIONS
                + " s ON r.station_id = s.station_id "
                + "AND s.kind = 'wastewater' JOIN "
                + limitTable
                + " ON l.standard = s.standard AND l.parameter = r.parameter "
                + "WHERE r.valid AND r.local_date IN ("
                + DayFolders.sqlList(days)
                + ") GROUP BY r.station_id, s.industrial_zone_id, r.local_date, r.parameter")
        .withColumn(
            "compliant",
            expr(
                "(limit_min IS NULL OR daily_mean >= limit_min) AND (limit_max IS NULL OR daily_mean <= limit_max)"));
  }

  /**
   * Yearly compliance per discharge point, per zone (docs/METHODS.md section 4) and the city's
   * share of compliant zones.
   */
  static List<Row> wastewaterYearly(Lake lake, EnvironmentCatalog env) {
    StructType yearlyType = lake.contract(WW_YEARLY).schema();
    double minShare = env.zoneComplianceMinShare();
    List<Row> out = new ArrayList<>();
    for (Row r :
        lake.sql(
                "SELECT station_id, industrial_zone_id, year(date) y, count(DISTINCT date), "
                    + "count(DISTINCT date) - count(DISTINCT CASE WHEN NOT compliant THEN date END) FROM "
                    + WW_DAILY
                    + " GROUP BY 1, 2, 3")
            .collectAsList()) {
      int valid = (int) r.getLong(3);
      int ok = (int) r.getLong(4);
      out.add(
          NamedRow.of(yearlyType)
              .set("level", "discharge_point")
              .set("unit_id", r.getString(0))
              .set("industrial_zone_id", r.getString(1))
              .set("year", r.getInt(2))
              .set("valid_days", valid)
              .set("compliant_days", ok)
              .set("compliant_share_pct", pct(ok, valid))
              .set("compliant", valid > 0 && (double) ok / valid >= minShare)
              .set("note", null)
              .set("indicator_code", null)
              .row());
    }
    List<Row> zones =
        lake.sql(
                "SELECT z.zone_id, z.operating_since, z.central_plant_since, y.y, y.valid, y.ok FROM "
                    + Tables.SILVER_INDUSTRIAL_ZONES
                    + " z LEFT JOIN (SELECT industrial_zone_id, year(date) y, count(DISTINCT date) valid, "
                    + "count(DISTINCT date) - count(DISTINCT CASE WHEN NOT compliant THEN date END) ok FROM "
                    + WW_DAILY
                    + " GROUP BY 1, 2) y ON y.industrial_zone_id = z.zone_id")
            .collectAsList();
    TreeSet<Integer> years = new TreeSet<>();
    zones.forEach(
        z -> {
          if (!z.isNullAt(3)) {
            years.add(z.getInt(3));
          }
        });
    for (int year : years) {
      LocalDate end = LocalDate.of(year, 12, 31);
      int operating = 0;
      int compliant = 0;
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (Row z : zones) {
        String id = z.getString(0);
        boolean thisYear = !z.isNullAt(3) && z.getInt(3) == year;
        if (!thisYear
            && (seen.contains(id)
                || zones.stream()
                    .anyMatch(
                        o -> o.getString(0).equals(id) && !o.isNullAt(3) && o.getInt(3) == year))) {
          continue;
        }
        seen.add(id);
        boolean operates = !z.isNullAt(1) && !z.getDate(1).toLocalDate().isAfter(end);
        boolean plant = !z.isNullAt(2) && !z.getDate(2).toLocalDate().isAfter(end);
        int valid = thisYear ? (int) z.getLong(4) : 0;
        int ok = thisYear ? (int) z.getLong(5) : 0;
        String note =
            !operates
                ? "not operating: not counted"
                : !plant
                    ? "no central treatment plant in operation: not compliant"
                    : valid == 0 ? "no valid monitoring days: not compliant" : null;
        boolean isCompliant = operates && plant && valid > 0 && (double) ok / valid >= minShare;
        if (operates) {
          operating++;
          compliant += isCompliant ? 1 : 0;
        }
        out.add(
            NamedRow.of(yearlyType)
                .set("level", "industrial_zone")
                .set("unit_id", id)
                .set("industrial_zone_id", id)
                .set("year", year)
                .set("valid_days", valid)
                .set("compliant_days", ok)
                .set("compliant_share_pct", pct(ok, valid))
                .set("compliant", operates ? isCompliant : null)
                .set("note", note)
                .set("indicator_code", null)
                .row());
      }
      out.add(
          NamedRow.of(yearlyType)
              .set("level", "city")
              .set("unit_id", "VN-31")
              .set("industrial_zone_id", null)
              .set("year", year)
              .set("valid_days", 0)
              .set("compliant_days", 0)
              .set("compliant_share_pct", pct(compliant, operating))
              .set("compliant", null)
              .set("note", compliant + " of " + operating + " operating zones compliant")
              .set("indicator_code", FEED_INDICATOR)
              .row());
    }
    return out;
  }

  private static Double pct(int part, int whole) {
    return whole == 0 ? null : part * 100.0 / whole;
  }
}
