package org.songhong.jobs.environment;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.songhong.contract.Tables;
import org.songhong.domain.environment.EnvironmentCatalog;
import org.songhong.io.DayFolders;
import org.songhong.job.Job;
import org.songhong.job.JobContext;
import org.songhong.job.JobResult;
import org.songhong.lake.SqlLiterals;
import org.songhong.lake.WriteResult;
import org.songhong.ops.InputFile;

/**
 * Conforms new bronze readings into {@code silver.env_readings}: station and parameter checked
 * against the registry, units converted (gases at 25 °C, 1 atm), timestamps to instants (local time
 * for files without an offset), one reading per station, parameter and hour. Then the quality flags
 * of docs/METHODS.md section 5 (out of range, stuck, spike, late) are recomputed for the days the
 * new readings touch and their neighbours, since a late reading can start a stuck run or change a
 * median; those days are rewritten in one commit. Nothing is dropped for quality.
 */
public final class EnvironmentSilverJob implements Job {
  public static final String NAME = "environment_silver";
  public static final String TABLE = Tables.SILVER_ENV_READINGS;
  private static final Logger LOG = LoggerFactory.getLogger(EnvironmentSilverJob.class);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public java.util.List<String> reads() {
    return java.util.List.of(Tables.BRONZE_ENV_READINGS, Tables.SILVER_ENV_STATIONS, TABLE);
  }

  @Override
  public java.util.Optional<org.songhong.job.Preflight> preflight() {
    return java.util.Optional.of(
        pc -> org.songhong.job.Preflights.upstreamPending(pc, NAME, EnvironmentBronzeJob.NAME));
  }

  @Override
  public String description() {
    return "Conform new readings into "
        + TABLE
        + " and recompute quality flags for the days they touch";
  }

  @Override
  public JobResult run(JobContext ctx) {
    JobResult.Builder result = ctx.result();
    SparkSession spark = ctx.spark();
    Set<String> done = ctx.ledger().processedChecksums(NAME);
    List<InputFile> pending =
        ctx.ledger().processedInputs(EnvironmentBronzeJob.NAME).stream()
            .filter(f -> !done.contains(f.checksum()))
            .toList();
    if (pending.isEmpty()) {
      return result.unchanged(TABLE).build();
    }
    Set<LocalDate> fileDays = new TreeSet<>();
    List<String> checksums = new ArrayList<>();
    for (InputFile f : pending) {
      LocalDate d = ReadingFiles.day(f.path());
      if (d != null) {
        fileDays.add(d);
      }
      checksums.add(f.checksum());
      result.input(f);
    }
    EnvironmentCatalog env = EnvironmentCatalog.load(ctx.schemas());
    Dataset<Row> bronze =
        org.songhong.jobs.Batches.ofFiles(
            ctx.lake()
                .read(Tables.BRONZE_ENV_READINGS)
                .filter("file_date IN (" + DayFolders.sqlList(fileDays) + ")"),
            checksums);
    ctx.step("conform readings");
    Dataset<Row> classified =
        classify(bronze, ctx.lake().read(Tables.SILVER_ENV_STATIONS), env)
            .persist(StorageLevel.MEMORY_AND_DISK_SER());
    Dataset<Row> ruled = null;
    try {
      List<LocalDate> days =
          classified
              .filter(col("rule").isNull())
              .select("local_date")
              .distinct()
              .collectAsList()
              .stream()
              .map(r -> r.getDate(0).toLocalDate())
              .sorted()
              .toList();
      Dataset<Row> stored =
          days.isEmpty()
              ? null
              : ctx.lake().read(TABLE).filter("local_date IN (" + DayFolders.sqlList(days) + ")");
      // Nothing stored on those days (a first load, a new day): no reading can duplicate a stored
      // one.
      ruled =
          stored == null || stored.isEmpty()
              ? classified
              : duplicatesOfStored(stored, classified).persist(StorageLevel.MEMORY_AND_DISK_SER());
      Row counts =
          ruled
              .selectExpr(
                  "count(*)", "count_if(rule IS NOT NULL)", "count_if(rule IS NULL AND already)")
              .first();
      long read = counts.getLong(0);
      long bad = counts.getLong(1);
      Dataset<Row> rejected = ruled.filter(col("rule").isNotNull());
      if (ruled != classified) {
        // Readings found to repeat stored ones were accepted when cached: their raw lines come
        // from bronze.
        rejected = withRawLines(rejected, bronze);
      }
      WriteResult q =
          ctx.quarantine()
              .put(
                  TABLE,
                  NAME,
                  ctx.runId(),
                  rejected.select(
                      col("source_file"),
                      col("source_checksum"),
                      lit("").as("source_sheet"),
                      col("source_line"),
                      col("source_column"),
                      col("raw_line").as("raw_record"),
                      col("rule"),
                      col("reason")));
      result.table(q.metrics(bad, 0));
      if (days.isEmpty()) {
        return result.unchanged(TABLE, read, bad).build();
      }
      // Flags of the touched days and their neighbours, computed with two days of context each
      // side.
      TreeSet<LocalDate> rewrite = new TreeSet<>();
      TreeSet<LocalDate> context = new TreeSet<>();
      for (LocalDate d : days) {
        for (int i = -2; i <= 2; i++) {
          context.add(d.plusDays(i));
          if (Math.abs(i) <= 1) {
            rewrite.add(d.plusDays(i));
          }
        }
      }
      ctx.step("quality flags for " + rewrite.size() + " day(s)");
      List<String> cols = new ArrayList<>(ctx.lake().contract(TABLE).columnNames());
      cols.removeAll(List.of("flags", "valid", "run_id"));
      Dataset<Row> fresh =
          ruled
              .filter("rule IS NULL AND NOT already")
              .select(cols.stream().map(c -> col(c)).toArray(Column[]::new));
      Dataset<Row> kept =
          ctx.lake()
              .read(TABLE)
              .filter("local_date IN (" + DayFolders.sqlList(context) + ")")
              .select(cols.stream().map(c -> col(c)).toArray(Column[]::new));
      // Nothing stored around those days (a first load): the new readings alone, still spread by
      // series.
      Dataset<Row> flagged =
          flag(kept.isEmpty() ? fresh : kept.unionByName(fresh), env, ctx.runId())
              .filter("local_date IN (" + DayFolders.sqlList(rewrite) + ")");
      WriteResult w =
          ctx.writer()
              .replaceWhere(TABLE, flagged, "local_date IN (" + DayFolders.sqlList(rewrite) + ")");
      LOG.info("{}: {} reading(s), {} kept, {} quarantined", TABLE, read, read - bad, bad);
      result.table(w.metrics(read, bad));
    } finally {
      if (ruled != null) {
        ruled.unpersist();
      }
      classified.unpersist();
    }
    return result.build();
  }

  /**
   * The catalog's lookups as functions of columns, built from the catalog they close over (nothing
   * is registered on the session: the transformations below are pure, callable on any frame).
   * Parameter names are matched as written (NameNormalizer's key, memoised).
   */
  static UserDefinedFunction parameterCode(EnvironmentCatalog env) {
    return udf(
        (UDF1<String, String>)
            p -> env.parameter(p).map(EnvironmentCatalog.Parameter::code).orElse(null),
        DataTypes.StringType);
  }

  static UserDefinedFunction parameterUnit(EnvironmentCatalog env) {
    return udf(
        (UDF1<String, String>)
            p -> env.parameter(p).map(EnvironmentCatalog.Parameter::unit).orElse(null),
        DataTypes.StringType);
  }

  static UserDefinedFunction convert(EnvironmentCatalog env) {
    return udf(
        (UDF3<String, Double, String, Double>)
            (p, v, u) ->
                v == null
                    ? null
                    : env.parameter(p).map(x -> EnvironmentCatalog.convert(x, v, u)).orElse(null),
        DataTypes.DoubleType);
  }

  /**
   * A catalog value per parameter code as a SQL CASE (a literal, compiled with the query): the
   * physical range's bounds are read on every reading.
   */
  static String byParameter(
      String column,
      EnvironmentCatalog env,
      java.util.function.Function<EnvironmentCatalog.Parameter, Double> value) {
    StringBuilder b = new StringBuilder("CASE " + column);
    for (EnvironmentCatalog.Parameter p : env.parameters()) {
      Double v = value.apply(p);
      b.append(" WHEN ")
          .append(SqlLiterals.string(p.code()))
          .append(" THEN ")
          .append(SqlLiterals.doubleOrNull(v));
    }
    return b.append(" END").toString();
  }

  /**
   * Bronze readings with the silver columns and rule/reason (null when accepted), and the raw line
   * of a rejected one (null for an accepted one). Pure: no I/O.
   */
  public static Dataset<Row> classify(
      Dataset<Row> bronze, Dataset<Row> stations, EnvironmentCatalog env) {
    Dataset<Row> st =
        stations.select(col("station_id").as("st_id"), col("parameters").as("st_params"));
    Dataset<Row> p =
        bronze
            .join(st, expr("upper(trim(station)) = upper(st_id)"), "left")
            .withColumn("param_code", parameterCode(env).apply(col("parameter")))
            .withColumn("param_unit", parameterUnit(env).apply(col("param_code")))
            .withColumn("value_num", expr("try_cast(trim(value) AS DOUBLE)"))
            .withColumn(
                "converted", convert(env).apply(col("param_code"), col("value_num"), col("unit")))
            // ISO 8601 lets seconds go unwritten (17:00+07:00); Spark's cast wants them.
            .withColumn(
                "ts",
                when(
                        org.songhong.jobs.OffsetTimes.HAS_OFFSET.apply(col("timestamp")),
                        expr(
                            "try_cast(regexp_replace(timestamp, "
                                + "'^(\\\\d{4}-\\\\d{2}-\\\\d{2}[T ]\\\\d{2}:\\\\d{2})([Z+-])', '$1:00$2') AS TIMESTAMP)"))
                    // The zone bronze writes as a literal, which Spark resolves once, not per row
                    // (a zone from a column is parsed again for each reading: 4% of the job's
                    // executor samples at a year x 200 stations); any other zone from its column.
                    .when(
                        col("local_time_zone").equalTo(lit(ReadingFiles.LOCAL_TZ)),
                        expr(
                            "to_utc_timestamp(try_cast(timestamp AS TIMESTAMP), "
                                + SqlLiterals.string(ReadingFiles.LOCAL_TZ)
                                + ")"))
                    .when(
                        col("local_time_zone").isNotNull(),
                        expr(
                            "to_utc_timestamp(try_cast(timestamp AS TIMESTAMP), local_time_zone)")))
            .withColumn("obs_hour", expr("date_trunc('HOUR', ts)"))
            .withColumn(
                "local_date",
                expr("to_date(from_utc_timestamp(obs_hour, '" + ReadingFiles.LOCAL_TZ + "'))"));
    String w =
        "CASE WHEN source_column = 0 THEN format_string('%s line %d', source_file, source_line) "
            + "ELSE format_string('%s line %d column %d', source_file, source_line, source_column) END";
    Column rule =
        expr(
            "CASE WHEN station IS NULL AND parameter IS NULL AND value IS NULL THEN 'bad_record' "
                + "WHEN st_id IS NULL THEN 'unknown_station' WHEN param_code IS NULL THEN 'unknown_parameter' "
                + "WHEN NOT array_contains(st_params, param_code) THEN 'parameter_not_registered' "
                + "WHEN value_num IS NULL THEN 'not_a_number' WHEN converted IS NULL THEN 'unknown_unit' "
                + "WHEN ts IS NULL THEN 'bad_timestamp' END");
    Column reason =
        expr(
            "CASE WHEN station IS NULL AND parameter IS NULL AND value IS NULL THEN format_string("
                + "'%s: not a reading (a JSON object with station_id, parameter, value, unit, timestamp); a truncated line?', "
                + w
                + ") "
                + "WHEN st_id IS NULL THEN format_string('%s: unknown station ''%s'' (add it to environment/registry/stations.csv)', "
                + w
                + ", station) "
                + "WHEN param_code IS NULL THEN format_string('%s: unknown parameter ''%s'' (see schemas/reference/environment.yaml)', "
                + w
                + ", parameter) "
                + "WHEN NOT array_contains(st_params, param_code) THEN format_string('%s: station %s is not registered to measure %s "
                + "(fix the registry or the file)', "
                + w
                + ", st_id, param_code) "
                + "WHEN value_num IS NULL THEN format_string('%s: value ''%s'' is not a number (write 35.2)', "
                + w
                + ", value) "
                + "WHEN converted IS NULL THEN format_string('%s: cannot convert %s from ''%s'' to %s', "
                + w
                + ", param_code, unit, "
                + "param_unit) "
                + "WHEN ts IS NULL THEN format_string('%s: timestamp ''%s'' is not a time (JSON lines need an offset: 2025-03-01T00:00:00+07:00)', "
                + w
                + ", timestamp) END");
    Dataset<Row> ruled =
        p.withColumn("rule", rule)
            .withColumn("reason", reason)
            .withColumn("station_id", col("st_id"))
            .withColumn("parameter", col("param_code"))
            .withColumn("unit_as_sent", col("unit"))
            .withColumn("unit", col("param_unit"))
            .withColumn("value_as_sent", col("value"))
            .withColumn("value", col("converted"))
            .withColumn("arrived_at", col("ingested_at"));
    String key = "station_id, parameter, obs_hour";
    String order = "ORDER BY file_date, source_file, source_line, source_column";
    // Spread by series and sorted by series and hour (the duplicates' window, partitioned by series
    // and hour first): the quality flags' pass over these rows cached (SeriesRules) needs neither a
    // shuffle nor a sort of its own.
    return ruled
        .repartition(col("station_id"), col("parameter"))
        .withColumn(
            "copy",
            expr(
                "CASE WHEN rule IS NULL THEN row_number() OVER (PARTITION BY "
                    + key
                    + ", rule "
                    + order
                    + ") END"))
        // The first copy's place, described only for the copies after it (not for every reading).
        .withColumn(
            "first_copy",
            expr(
                "CASE WHEN rule IS NULL THEN first(struct(source_file, source_line, source_column)) OVER "
                    + "(PARTITION BY "
                    + key
                    + ", rule "
                    + order
                    + ") END"))
        .withColumn(
            "reason",
            expr(
                "CASE WHEN copy > 1 THEN format_string('%s: duplicate of %s (same station, parameter and hour); "
                    + "counted once', "
                    + w
                    + ", "
                    + w.replace("source_", "first_copy.source_")
                    + ") ELSE reason END"))
        .withColumn("rule", expr("CASE WHEN copy > 1 THEN 'duplicate_reading' ELSE rule END"))
        .withColumn("already", lit(false))
        // The raw line only where the quarantine will want it (an accepted reading's is in bronze):
        // the readings are cached next, and caching every reading's raw text cost 6% of the job's
        // CPU at a year x 200 stations (bench/README.md, "5 December, afternoon").
        .withColumn("raw_line", expr("CASE WHEN rule IS NOT NULL THEN raw_line END"))
        .select(
            "local_date",
            "obs_hour",
            "station_id",
            "parameter",
            "value",
            "unit",
            "value_as_sent",
            "unit_as_sent",
            "arrived_at",
            "file_date",
            "source_file",
            "source_checksum",
            "source_line",
            "source_column",
            "raw_line",
            "rule",
            "reason",
            "already");
  }

  /**
   * {@code rejected} with the raw line of each reading that lacks one (classify keeps it only for
   * readings rejected within the batch) from {@code bronze}, by the bronze key.
   */
  static Dataset<Row> withRawLines(Dataset<Row> rejected, Dataset<Row> bronze) {
    Dataset<Row> lines =
        bronze.select(
            col("source_checksum").as("l_checksum"),
            col("source_line").as("l_line"),
            col("source_column").as("l_column"),
            col("raw_line").as("l_raw"));
    Column match =
        col("raw_line")
            .isNull()
            .and(col("source_checksum").equalTo(col("l_checksum")))
            .and(col("source_line").equalTo(col("l_line")))
            .and(col("source_column").equalTo(col("l_column")));
    return rejected
        .join(lines, match, "left")
        .withColumn(
            "raw_line", org.apache.spark.sql.functions.coalesce(col("raw_line"), col("l_raw")))
        .drop("l_checksum", "l_line", "l_column", "l_raw");
  }

  private static Dataset<Row> duplicatesOfStored(Dataset<Row> stored, Dataset<Row> classified) {
    Dataset<Row> s =
        stored.select(
            col("station_id").as("s_station"),
            col("parameter").as("s_param"),
            col("obs_hour").as("s_hour"),
            col("source_file").as("s_file"),
            col("source_checksum").as("s_checksum"),
            col("source_line").as("s_line"),
            col("source_column").as("s_column"));
    Dataset<Row> j =
        classified.join(
            s,
            col("rule")
                .isNull()
                .and(col("station_id").equalTo(col("s_station")))
                .and(col("parameter").equalTo(col("s_param")))
                .and(col("obs_hour").equalTo(col("s_hour"))),
            "left");
    return j.withColumn(
            "same",
            expr(
                "s_file IS NOT NULL AND s_checksum = source_checksum AND s_line = source_line AND s_column = source_column"))
        .withColumn("dup", expr("s_file IS NOT NULL AND NOT same"))
        .withColumn(
            "reason",
            expr(
                "CASE WHEN dup THEN format_string('%s line %d: duplicate of %s line %d, stored earlier; counted once', "
                    + "source_file, source_line, s_file, s_line) ELSE reason END"))
        .withColumn("rule", expr("CASE WHEN dup THEN 'duplicate_reading' ELSE rule END"))
        .withColumn("already", expr("coalesce(same, false)"))
        .drop(s.columns())
        .drop("dup", "same");
  }

  /**
   * The quality flags of docs/METHODS.md section 5 on readings of consecutive days: out of the
   * parameter's physical range; stuck (the same value {@code stuck_hours} or more consecutive
   * hours); spike (more than {@code spike_factor} times the median of the 24 surrounding hours,
   * itself excluded, with at least 6 of them); late (its file landed more than a day after its
   * day).
   */
  public static Dataset<Row> flag(Dataset<Row> readings, EnvironmentCatalog env, String runId) {
    // Stuck and the 24-hour median look along each series in hour order: one pass over each
    // (SeriesRules), on rows the readings' cache already spreads and sorts by series and hour.
    Dataset<Row> r =
        SeriesRules.withSeriesRules(readings, env.qc().stuckHours())
            .withColumn(
                "flags",
                expr(
                    "filter(array("
                        + "CASE WHEN value < "
                        + byParameter("parameter", env, EnvironmentCatalog.Parameter::min)
                        + " OR value > "
                        + byParameter("parameter", env, EnvironmentCatalog.Parameter::max)
                        + " THEN 'out_of_range' END, "
                        + "CASE WHEN stuck THEN 'stuck' END, "
                        + "CASE WHEN median_24h > 0 AND value > "
                        + env.qc().spikeFactor()
                        + " * median_24h THEN 'spike' END, "
                        + "CASE WHEN file_date > date_add(local_date, 1) THEN 'late' END), x -> x IS NOT NULL)"))
            .withColumn("valid", expr("size(array_except(flags, array('late'))) = 0"))
            .withColumn("run_id", lit(runId));
    return r.drop("stuck", "median_24h");
  }
}
