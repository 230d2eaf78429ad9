package org.songhong.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.songhong.contract.SchemaResources;
import org.songhong.domain.environment.EnvironmentCatalog;
import org.songhong.domain.geo.NameNormalizer;
import org.songhong.lake.SqlLiterals;

/**
 * The environment pipeline in DuckDB ({@code environment.duckdb.sql}) on the files a Spark full
 * load read, then each of its tables compared row by row with the one Spark wrote (the Delta
 * table's active Parquet files). Run in a process of its own ({@link #main}), so that its peak
 * resident memory is DuckDB's and not the Spark JVM's.
 */
public final class EnvironmentDuckDb {
  /**
   * DuckDB's table, the Delta table Spark wrote (its key in the file list), and the columns
   * compared: every column of the contract but when or by which run a row was written, and the
   * marts' constant method name. Doubles are compared to 6 decimals (the two engines may add in
   * another order); files by their day folder and name.
   */
  record Compared(String duckTable, String sparkTable, List<String> columns, String filter) {}

  static final List<Compared> TABLES = List.of(
      new Compared("bronze_rows", "bronze.env_readings", List.of("file_date", "source_file", "source_checksum", "source_line",
          "source_column", "raw_line", "station", "parameter", "value", "unit", "timestamp", "local_time_zone"), null),
      new Compared("quarantined", "ops.quarantine", List.of("source_file", "source_checksum", "source_line", "source_column", "rule"),
          "target_table IN ('bronze.env_readings', 'silver.env_readings')"),
      new Compared("silver", "silver.env_readings", List.of("local_date", "obs_hour", "station_id", "parameter", "value", "unit",
          "value_as_sent", "unit_as_sent", "flags", "valid", "file_date", "source_file", "source_checksum", "source_line",
          "source_column"), null),
      new Compared("aqi_hourly", "gold.aqi_hourly", List.of("local_date", "obs_hour", "local_hour", "station_id", "aqi", "band",
          "band_vi", "band_rgb", "dominant_pollutant", "nowcast_pm25", "nowcast_pm10", "aqi_pm25", "aqi_pm10", "aqi_o3", "aqi_no2",
          "aqi_so2", "aqi_co"), null),
      new Compared("aqi_daily", "gold.aqi_daily", List.of("station_id", "date", "aqi", "band", "band_vi", "band_rgb",
          "dominant_pollutant", "pm25_24h", "pm10_24h", "o3_max_1h", "o3_max_8h", "no2_max_1h", "so2_max_1h", "co_max_1h",
          "valid_pm_hours"), null),
      new Compared("exceedances", "gold.air_limit_exceedances_daily", List.of("station_id", "date", "pollutant", "averaging", "value",
          "limit_value", "limit_from", "hours_above", "valid_hours", "valid_day", "exceeded"), null),
      new Compared("wastewater_compliance_daily", "gold.wastewater_compliance_daily", List.of("station_id", "industrial_zone_id",
          "date", "parameter", "daily_mean", "limit_min", "limit_max", "standard", "compliant"), null));

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z0-9_]+)}");
  private static final Pattern STAGE = Pattern.compile("(?m)^-- stage: (\\w+)\\s*$");

  private EnvironmentDuckDb() {}

  /**
   * {@code EnvironmentDuckDb SCHEMAS STATIONS_CSV INPUTS SPARK_FILES OUT}: INPUTS lists the monitor
   * files (one per line), SPARK_FILES each Spark table's active files ({@code table=file,file}), OUT
   * the folder DuckDB writes its tables to.
   * Prints {@code stage NAME SECONDS}, {@code table NAME SPARK_ROWS DUCKDB_ROWS DIFFERING} and
   * {@code peak_rss_kib N}.
   */
  public static void main(String[] args) throws Exception {
    EnvironmentCatalog cat = EnvironmentCatalog.load(SchemaResources.open(args[0]));
    List<String> inputs = Files.readAllLines(Path.of(args[2])).stream().filter(s -> !s.isBlank()).toList();
    Properties spark = new Properties();
    try (var r = Files.newBufferedReader(Path.of(args[3]))) {
      spark.load(r);
    }
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    long limit = memoryLimitMib();
    out.printf(Locale.ROOT, "memory_limit_mib %d%n", limit);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      try (Statement st = c.createStatement()) {
        st.execute("SET threads = " + Runtime.getRuntime().availableProcessors());
        st.execute("SET preserve_insertion_order = true");
        // Half the memory free at the start (the Spark JVM that started this process keeps its
        // heap), spilling to disk beyond it: DuckDB's default (80% of RAM) got this process killed.
        st.execute("SET memory_limit = '" + limit + "MiB'");
        st.execute("SET temp_directory = " + lit(Path.of(args[4], "spill").toString()));
      }
      for (Map.Entry<String, Double> e : run(c, sql(cat, inputs, args[1], args[4])).entrySet()) {
        out.printf(Locale.ROOT, "stage %s %.3f%n", e.getKey(), e.getValue());
      }
      for (Compared t : TABLES) {
        List<String> files = List.of(spark.getProperty(t.sparkTable(), "").split(",")).stream().filter(s -> !s.isBlank()).toList();
        long[] d = compare(c, t, files);
        out.printf(Locale.ROOT, "table %s %d %d %d%n", t.sparkTable(), d[0], d[1], d[2]);
      }
    }
    out.printf(Locale.ROOT, "peak_rss_kib %d%n", peakRssKib());
  }

  /** The pipeline's statements, placeholders filled, grouped by stage in file order. */
  static Map<String, List<String>> sql(EnvironmentCatalog cat, List<String> inputs, String stationsCsv, String outDir)
      throws IOException {
    String text;
    try (InputStream in = EnvironmentDuckDb.class.getResourceAsStream("environment.duckdb.sql")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Map<String, String> values = values(cat, inputs, stationsCsv);
    values.put("out", outDir.replace("'", "''"));
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      String v = values.get(m.group(1));
      if (v == null) {
        throw new IllegalStateException("environment.duckdb.sql: no value for ${" + m.group(1) + "}");
      }
      m.appendReplacement(b, Matcher.quoteReplacement(v));
    }
    m.appendTail(b);
    Map<String, List<String>> stages = new LinkedHashMap<>();
    Matcher s = STAGE.matcher(b);
    List<int[]> at = new ArrayList<>();
    List<String> names = new ArrayList<>();
    while (s.find()) {
      at.add(new int[] {s.start(), s.end()});
      names.add(s.group(1));
    }
    for (int i = 0; i < at.size(); i++) {
      String body = b.substring(at.get(i)[1], i + 1 < at.size() ? at.get(i + 1)[0] : b.length());
      String stmt = body.lines().filter(l -> !l.strip().startsWith("--")).collect(Collectors.joining("\n")).strip();
      if (stmt.endsWith(";")) {
        stmt = stmt.substring(0, stmt.length() - 1);
      }
      if (!stmt.isEmpty()) {
        stages.computeIfAbsent(names.get(i), k -> new ArrayList<>()).add(stmt);
      }
    }
    return stages;
  }

  /** Seconds per stage. */
  static Map<String, Double> run(Connection c, Map<String, List<String>> stages) throws Exception {
    Map<String, Double> seconds = new LinkedHashMap<>();
    try (Statement st = c.createStatement()) {
      for (Map.Entry<String, List<String>> e : stages.entrySet()) {
        long t = System.nanoTime();
        for (String sql : e.getValue()) {
          try {
            st.execute(sql);
          } catch (java.sql.SQLException x) {
            throw new IllegalStateException("environment.duckdb.sql, stage " + e.getKey() + ": " + x.getMessage() + "\n" + sql, x);
          }
        }
        seconds.put(e.getKey(), (System.nanoTime() - t) / 1e9);
      }
      // What the quarantine holds: records of files and lines the pipeline rejected, with their rule.
      st.execute("CREATE TABLE bronze_rows AS SELECT b.* EXCLUDE (rule), c.source_checksum FROM bronze b JOIN checksums c "
          + "USING (source_file) WHERE b.rule IS NULL");
      st.execute("CREATE TABLE quarantined AS SELECT source_file, source_checksum, source_line, source_column, rule FROM classified "
          + "WHERE rule IS NOT NULL UNION ALL SELECT b.source_file, c.source_checksum, b.source_line, b.source_column, b.rule "
          + "FROM bronze b JOIN checksums c USING (source_file) WHERE b.rule IS NOT NULL");
    }
    return seconds;
  }

  /** Rows in Spark's table, in DuckDB's, and rows of either without an equal row in the other. */
  static long[] compare(Connection c, Compared t, List<String> sparkFiles) throws Exception {
    String cols = t.columns().stream().map(EnvironmentDuckDb::normalised).collect(Collectors.joining(", "));
    String spark = sparkFiles.isEmpty() ? "(SELECT * FROM " + t.duckTable() + " LIMIT 0)"
        : "read_parquet([" + sparkFiles.stream().map(EnvironmentDuckDb::lit).collect(Collectors.joining(", "))
            + "], hive_partitioning = true, union_by_name = true)";
    String s = "SELECT " + cols + " FROM " + spark + (t.filter() == null ? "" : " WHERE " + t.filter());
    String d = "SELECT " + cols + " FROM " + t.duckTable();
    String q = "SELECT (SELECT count(*) FROM (" + s + ")), (SELECT count(*) FROM (" + d + ")), "
        + "(SELECT count(*) FROM (" + s + " EXCEPT ALL " + d + ")) + (SELECT count(*) FROM (" + d + " EXCEPT ALL " + s + "))";
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(q)) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
    }
  }

  private static String normalised(String column) {
    return switch (column) {
      case "source_file" -> "regexp_extract(source_file, '[^/]+/[^/]+$') AS source_file";
      case "obs_hour" -> "CAST(obs_hour AS TIMESTAMP) AS obs_hour";
      case "local_date", "date", "file_date", "limit_from" -> "CAST(" + column + " AS DATE) AS " + column;
      case "value", "nowcast_pm25", "nowcast_pm10", "aqi_pm25", "aqi_pm10", "aqi_o3", "aqi_no2", "aqi_so2", "aqi_co", "pm25_24h",
          "pm10_24h", "o3_max_1h", "o3_max_8h", "no2_max_1h", "so2_max_1h", "co_max_1h", "limit_value", "daily_mean", "limit_min",
          "limit_max" -> "round(TRY_CAST(" + column + " AS DOUBLE), 6) AS " + column;
      default -> column;
    };
  }

  /** The placeholders' values: file lists and the catalogue's reference data as VALUES rows. */
  static Map<String, String> values(EnvironmentCatalog cat, List<String> inputs, String stationsCsv) {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("files", inputs.stream().map(EnvironmentDuckDb::lit).collect(Collectors.joining(", ")));
    v.put("stations", stationsCsv.replace("'", "''"));
    List<String> names = new ArrayList<>();
    List<String> params = new ArrayList<>();
    for (EnvironmentCatalog.Parameter p : cat.parameters()) {
      java.util.Set<String> keys = new java.util.LinkedHashSet<>();
      keys.add(NameNormalizer.key(p.code()));
      p.names().forEach(n -> keys.add(NameNormalizer.key(n)));
      keys.forEach(k -> names.add("(" + lit(k) + ", " + lit(p.code()) + ")"));
      params.add("(" + String.join(", ", lit(p.code()), lit(p.unit()),
          lit(p.unit().toLowerCase(Locale.ROOT).replace("µ", "u").replace("³", "3").replace(" ", "")),
          SqlLiterals.doubleOrNull(p.molarMass()), SqlLiterals.doubleOrNull(p.min()), SqlLiterals.doubleOrNull(p.max())) + ")");
    }
    v.put("param_names", String.join(", ", names));
    v.put("params", String.join(", ", params));
    List<String> bp = new ArrayList<>();
    List<Integer> idx = cat.aqi().index();
    cat.aqi().breakpoints().forEach((col, b) -> {
      for (int i = 0; i + 1 < b.size(); i++) {
        bp.add(String.format(Locale.ROOT, "('%s', %s, %s, %d.0, %d.0)", col, b.get(i), b.get(i + 1), idx.get(i), idx.get(i + 1)));
      }
      if (b.size() == idx.size()) {
        bp.add(String.format(Locale.ROOT, "('%s', %s, NULL, %d.0, %d.0)", col, b.get(b.size() - 1), idx.get(idx.size() - 1),
            idx.get(idx.size() - 1)));
      }
    });
    v.put("breakpoints", String.join(", ", bp));
    v.put("bands", cat.aqi().bands().stream().map(b -> "(" + b.max() + ", " + lit(b.en()) + ", "
        + lit(b.vi()) + ", " + lit(b.rgb()) + ")").collect(Collectors.joining(", ")));
    v.put("air_limits", cat.airLimits().stream().map(l -> "(" + lit(l.pollutant()) + ", "
        + lit(l.averaging()) + ", " + SqlLiterals.doubleOrNull(l.limit()) + ", DATE '" + l.from() + "')")
        .collect(Collectors.joining(", ")));
    v.put("ww_limits", cat.wastewaterLimits().stream().map(l -> "(" + String.join(", ", lit(l.standard()),
        lit(l.parameter()), SqlLiterals.doubleOrNull(l.aMin()), SqlLiterals.doubleOrNull(l.aMax()),
        SqlLiterals.doubleOrNull(l.bMin()), SqlLiterals.doubleOrNull(l.bMax()), String.valueOf(l.scaled())) + ")")
        .collect(Collectors.joining(", ")));
    v.put("stuck_hours", String.valueOf(cat.qc().stuckHours()));
    v.put("spike_factor", String.valueOf(cat.qc().spikeFactor()));
    v.put("nowcast_preceding", String.valueOf(cat.aqi().nowcastHours() - 1));
    v.put("nowcast_min_recent", String.valueOf(cat.aqi().nowcastMinRecent()));
    v.put("o3_8h_min_hours", String.valueOf(cat.aqi().o38hMinHours()));
    v.put("day_min_valid_hours", String.valueOf(cat.aqi().dayMinValidHours()));
    return v;
  }

  /** A string literal for DuckDB (standard SQL: a quote doubled; a backslash is a backslash). */
  static String lit(String s) {
    return s == null ? "NULL" : "'" + s.replace("'", "''") + "'";
  }

  /** Half of MemAvailable, in MiB; 4 GiB where /proc is not there. */
  static long memoryLimitMib() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (l.startsWith("MemAvailable:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024 / 2;
        }
      }
    } catch (IOException e) {
      return 4096;
    }
    return 4096;
  }

  /** The process's peak resident memory (VmHWM), in KiB; -1 where /proc is not there. */
  static long peakRssKib() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith("VmHWM:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }
}
