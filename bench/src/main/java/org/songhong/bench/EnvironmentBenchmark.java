package org.songhong.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.songhong.config.SonghongConfig;
import org.songhong.domain.environment.EnvironmentCatalog;
import org.songhong.job.JobRegistry;
import org.songhong.job.LakeRuntime;
import org.songhong.jobs.environment.EnvironmentBronzeJob;
import org.songhong.jobs.environment.EnvironmentMartsJob;
import org.songhong.jobs.environment.EnvironmentSilverJob;
import org.songhong.lake.SparkSessions;
import org.songhong.sample.EnvironmentGenerator;

/**
 * Hourly readings of many stations through bronze, silver and the AQI and compliance marts: the
 * full load, one incremental day, and the daily AQI computed again by Spark and by DuckDB on the
 * same Parquet files (the silver table's active files), in the same process, as a ratio.
 */
public final class EnvironmentBenchmark {
  private EnvironmentBenchmark() {}

  public static List<Results.Measure> run(Path work, LocalDate last, int days, int stations, long seed, PrintWriter out)
      throws Exception {
    Path env = work.resolve("environment");
    LocalDate first = last.minusDays(days - 1);
    EnvironmentGenerator.Settings s = new EnvironmentGenerator.Settings(stations, Math.max(6, stations / 10), seed, 0.002, true);
    long t = System.nanoTime();
    out.printf("Generating %d days (%s..%s) for %d air stations and %d discharge points, seed %d...%n", days, first, last,
        s.airStations(), s.wastewaterPoints(), seed);
    out.flush();
    EnvironmentGenerator.registry(env, s);
    long history = EnvironmentGenerator.readings(env, first, last.minusDays(1), s, null);
    out.printf("  %,d readings in %.1f s%n", history, (System.nanoTime() - t) / 1e9);
    SonghongConfig config = SonghongConfig.of(Map.of(
        SonghongConfig.LAKE_PATH.key(), work.resolve("lake").toString(),
        SonghongConfig.ENV_DIR.key(), env.toString(),
        SonghongConfig.ENV_LOOKBACK_DAYS.key(), String.valueOf(days)));
    LakeRuntime rt = new LakeRuntime(SparkSessions.create(config, "songhong-bench"), config);
    double full = pipeline(rt, last.minusDays(1), "full load of " + (days - 1) + " days", out);
    // Late files of the history land up to 3 days later, in later day folders: leave them to the day run.
    long lastDay = EnvironmentGenerator.readings(env, last, last, s, null);
    SonghongConfig daily = config.with(SonghongConfig.ENV_LOOKBACK_DAYS.key(), "0");
    LakeRuntime rtDay = new LakeRuntime(rt.spark(), daily);
    double inc = pipeline(rtDay, last, "incremental day (" + String.format("%,d", lastDay) + " readings)", out);

    // The same daily AQI, Spark against DuckDB, on the silver table's active Parquet files.
    List<String> files = List.of(rt.spark().read().format("delta").load(rt.lake().root() + "/silver/env_readings").inputFiles());
    List<String> stationFiles = List.of(rt.spark().read().format("delta").load(rt.lake().root() + "/silver/env_stations").inputFiles());
    EnvironmentCatalog cat = EnvironmentCatalog.load(rt.schemas());
    Map<String, Integer> sparkAqi = new HashMap<>();
    double sparkS = Double.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      long s0 = System.nanoTime();
      sparkAqi = sparkDaily(rt, cat, first, last);
      sparkS = Math.min(sparkS, (System.nanoTime() - s0) / 1e9);
    }
    Map<String, Integer> duckAqi = new HashMap<>();
    double duckS = Double.MAX_VALUE;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      try (Statement st = c.createStatement()) {
        st.execute("SET threads = " + Runtime.getRuntime().availableProcessors());
      }
      for (int i = 0; i < 3; i++) {
        long s0 = System.nanoTime();
        duckAqi = duckDaily(c, files, stationFiles, cat);
        duckS = Math.min(duckS, (System.nanoTime() - s0) / 1e9);
      }
    }
    Map<String, Integer> duck = duckAqi;
    long differ = sparkAqi.entrySet().stream().filter(e -> !e.getValue().equals(duck.get(e.getKey()))).count();
    out.printf("  daily AQI of %,d station-days: Spark %.2f s, DuckDB %.2f s (best of 3), %d differ%n", sparkAqi.size(), sparkS,
        duckS, differ + Math.abs(duckAqi.size() - sparkAqi.size()));
    long total = history + lastDay;
    List<Results.Measure> m = new ArrayList<>();
    m.add(new Results.Measure("full_load_seconds", full, "s"));
    m.add(new Results.Measure("full_load_readings_per_second", history / full, "readings/s"));
    m.add(new Results.Measure("incremental_day_seconds", inc, "s"));
    m.add(new Results.Measure("incremental_day_readings_per_second", lastDay / inc, "readings/s"));
    m.add(new Results.Measure("ratio_incremental_to_full", inc / full, "ratio"));
    m.add(new Results.Measure("daily_aqi_spark_seconds", sparkS, "s"));
    m.add(new Results.Measure("daily_aqi_duckdb_seconds", duckS, "s"));
    m.add(new Results.Measure("ratio_spark_to_duckdb", sparkS / duckS, "ratio"));
    m.add(new Results.Measure("daily_aqi_station_days_differing", differ, "station-days"));
    m.add(new Results.Measure("readings_total", total, "readings"));
    return m;
  }

  static double pipeline(LakeRuntime rt, LocalDate date, String what, PrintWriter out) {
    long t = System.nanoTime();
    for (String j : List.of(EnvironmentBronzeJob.NAME, EnvironmentSilverJob.NAME, EnvironmentMartsJob.NAME)) {
      rt.run(JobRegistry.get(j), date);
    }
    double s = (System.nanoTime() - t) / 1e9;
    out.printf("  %-45s %8.1f s%n", what, s);
    out.flush();
    return s;
  }

  /** The daily AQI by the marts job's own code, collected: station|date -> AQI. */
  static Map<String, Integer> sparkDaily(LakeRuntime rt, EnvironmentCatalog cat, LocalDate first, LocalDate last) {
    List<LocalDate> days = new ArrayList<>();
    for (LocalDate d = first.minusDays(1); !d.isAfter(last); d = d.plusDays(1)) {
      days.add(d);
    }
    Dataset<Row> daily = EnvironmentMartsJob.dailyAqi(rt.spark(), cat, days);
    Map<String, Integer> out = new HashMap<>();
    for (Row r : daily.select("station_id", "date", "aqi").collectAsList()) {
      out.put(r.getString(0) + "|" + r.getDate(1), r.getInt(2));
    }
    return out;
  }

  /** The same computation in DuckDB SQL, breakpoints from the same catalog. */
  static Map<String, Integer> duckDaily(Connection c, List<String> files, List<String> stationFiles, EnvironmentCatalog cat)
      throws Exception {
    String bp = segments(cat);
    int minH = cat.aqi().dayMinValidHours();
    int min8 = cat.aqi().o38hMinHours();
    String sql = "WITH r AS (SELECT * FROM read_parquet([" + list(files) + "], hive_partitioning = true) WHERE valid), "
        + "st AS (SELECT station_id FROM read_parquet([" + list(stationFiles) + "]) WHERE kind = 'ambient_air'), "
        + "h AS (SELECT r.station_id, obs_hour, local_date, "
        + String.join(", ", List.of("pm25", "pm10", "o3", "no2", "so2", "co").stream()
            .map(p -> "max(CASE WHEN parameter = '" + p + "' THEN value END) AS " + p).toList())
        + " FROM r JOIN st ON r.station_id = st.station_id GROUP BY ALL), "
        + "h8 AS (SELECT *, CASE WHEN count(o3) OVER w >= " + min8 + " THEN avg(o3) OVER w END AS o3_8h FROM h "
        + "WINDOW w AS (PARTITION BY station_id ORDER BY obs_hour RANGE BETWEEN INTERVAL 7 HOURS PRECEDING AND CURRENT ROW)), "
        + "d AS (SELECT station_id, local_date AS date, "
        + "CASE WHEN count(pm25) >= " + minH + " THEN avg(pm25) END AS pm25, CASE WHEN count(pm10) >= " + minH + " THEN avg(pm10) END AS pm10, "
        + "max(o3) AS o3_1h, max(o3_8h) AS o3_8h, max(no2) AS no2, max(so2) AS so2, max(co) AS co FROM h8 GROUP BY ALL), "
        + "l AS (UNPIVOT d ON pm25, pm10, o3_1h, o3_8h, no2, so2, co INTO NAME col VALUE c), "
        + "bp(col, lo, hi, ilo, ihi) AS (VALUES " + bp + "), "
        + "s AS (SELECT l.station_id, l.date, l.col, CASE WHEN bp.hi IS NULL THEN bp.ihi ELSE "
        + "(bp.ihi - bp.ilo) / (bp.hi - bp.lo) * (l.c - bp.lo) + bp.ilo END AS si FROM l JOIN bp ON l.col = bp.col "
        + "AND l.c >= bp.lo AND (bp.hi IS NULL OR l.c < bp.hi)), "
        + "p AS (SELECT station_id, date, max(si) FILTER (WHERE col = 'pm25') pm25, max(si) FILTER (WHERE col = 'pm10') pm10, "
        + "max(si) FILTER (WHERE col IN ('o3_1h', 'o3_8h')) o3, max(si) FILTER (WHERE col = 'no2') no2, "
        + "max(si) FILTER (WHERE col = 'so2') so2, max(si) FILTER (WHERE col = 'co') co FROM s GROUP BY ALL) "
        + "SELECT station_id, CAST(date AS VARCHAR), CAST(floor(greatest(pm25, pm10, o3, no2, so2, co) + 0.5) AS INTEGER) FROM p "
        + "WHERE pm25 IS NOT NULL OR pm10 IS NOT NULL";
    Map<String, Integer> out = new HashMap<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.put(rs.getString(1) + "|" + rs.getString(2), rs.getInt(3));
      }
    }
    return out;
  }

  private static String list(List<String> files) {
    return files.stream().map(f -> "'" + f.replaceFirst("^file:", "").replace("'", "''") + "'").collect(Collectors.joining(", "));
  }

  /** (column, lo, hi, index lo, index hi) per segment; hi null for "at or above the top" (index 500). */
  static String segments(EnvironmentCatalog cat) {
    List<String> rows = new ArrayList<>();
    List<Integer> idx = cat.aqi().index();
    Map<String, String> cols = Map.of("pm25", "pm25", "pm10", "pm10", "o3_1h", "o3_1h", "o3_8h", "o3_8h", "no2", "no2",
        "so2", "so2", "co", "co");
    for (Map.Entry<String, String> e : cols.entrySet()) {
      List<Double> bp = cat.aqi().breakpoints().get(e.getValue());
      for (int i = 0; i + 1 < bp.size(); i++) {
        rows.add(String.format(Locale.ROOT, "('%s', %s, %s, %d.0, %d.0)", e.getKey(), bp.get(i), bp.get(i + 1), idx.get(i), idx.get(i + 1)));
      }
      if (bp.size() == idx.size()) {
        rows.add(String.format(Locale.ROOT, "('%s', %s, NULL, 500.0, 500.0)", e.getKey(), bp.get(bp.size() - 1)));
      }
    }
    return String.join(", ", rows);
  }
}
