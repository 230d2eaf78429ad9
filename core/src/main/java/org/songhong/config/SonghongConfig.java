package org.songhong.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.songhong.error.Errors;

/**
 * The songhong settings, each declared once with its default and description.
 *
 * <p>Precedence, highest first: {@code --conf key=value} on the command line, then the environment
 * variable named after the key ({@code songhong.lake.path} becomes {@code SONGHONG_LAKE_PATH}),
 * then the default declared here. Keys starting with {@code spark.} are passed to Spark unchanged.
 */
public final class SonghongConfig {
  public static final Setting<String> LAKE_PATH =
      new Setting<>(
          "songhong.lake.path",
          "lakehouse",
          s -> s,
          "Root of the lake: a folder, or a Hadoop URI such as s3a://bucket/lake or hdfs:///lake");
  public static final Setting<String> INPUT_DIR =
      new Setting<>(
          "songhong.input.dir",
          "data/sample",
          s -> s,
          "Landing folder the ingest jobs read (a folder or a Hadoop URI)");
  public static final Setting<String> SCHEMAS_DIR =
      new Setting<>(
          "songhong.schemas.dir",
          "",
          s -> s,
          "Folder with the contracts and catalogs; empty means the copy bundled in the jar");
  public static final Setting<String> SPARK_MASTER =
      new Setting<>(
          "songhong.spark.master",
          "",
          s -> s,
          "Spark master; empty means whatever spark-submit set, or local[*]");
  public static final Setting<Integer> YEAR_MIN =
      new Setting<>(
          "songhong.stats.year.min",
          "1990",
          Integer::valueOf,
          "Earliest plausible year of a statistic; older years are quarantined");
  public static final Setting<Integer> YEAR_MAX =
      new Setting<>(
          "songhong.stats.year.max",
          "2100",
          Integer::valueOf,
          "Latest plausible year of a statistic; later years are quarantined");
  public static final Setting<Integer> WRITE_RETRIES =
      new Setting<>(
          "songhong.write.retries",
          "5",
          Integer::valueOf,
          "How often a write is retried after a concurrent-commit conflict");

  public static final Setting<Double> SUBTOTAL_TOLERANCE_PCT =
      new Setting<>(
          "songhong.region.subtotal.tolerance.pct",
          "0.5",
          Double::valueOf,
          "How far (%) a published regional subtotal may differ from the sum of its members before it is flagged");

  public static final Setting<String> EVENTS_DIR =
      new Setting<>(
          "songhong.logistics.events.dir",
          "",
          s -> s,
          "Landing folder of the terminals' event files (FEED/YYYY-MM-DD/*.jsonl[.gz]); empty means <input>/logistics/events");
  public static final Setting<Integer> EVENTS_LOOKBACK_DAYS =
      new Setting<>(
          "songhong.logistics.lookback.days",
          "7",
          Integer::valueOf,
          "A daily events run also picks up late files for this many days before its date");
  public static final Setting<Double> RECONCILIATION_TOLERANCE_PCT =
      new Setting<>(
          "songhong.logistics.reconciliation.tolerance.pct",
          "5.0",
          Double::valueOf,
          "How far (%) gate-event TEU may differ from reported TEU in a month before it is flagged");

  public static final Setting<Integer> ENV_LOOKBACK_DAYS =
      new Setting<>(
          "songhong.environment.lookback.days",
          "2",
          Integer::valueOf,
          "A daily environment run also picks up late files, and recomputes marts, for this many days before its date");

  public static final Setting<String> ENV_DIR =
      new Setting<>(
          "songhong.environment.dir",
          "",
          s -> s,
          "Landing folder of the monitors (registry/ and readings/YYYY-MM-DD/); empty means <input>/environment");

  public static final Setting<Integer> VACUUM_MIN_RETENTION_HOURS =
      new Setting<>(
          "songhong.maintenance.vacuum.retention.hours",
          "168",
          Integer::valueOf,
          "lake_maintenance's VACUUM keeps files for at least this many hours (longer where a pinned version needs them)");
  public static final Setting<Integer> OPTIMIZE_MIN_FILES =
      new Setting<>(
          "songhong.maintenance.optimize.min.files",
          "16",
          Integer::valueOf,
          "lake_maintenance compacts (OPTIMIZE) a table whose current version has at least this many data files and a partition holding two or more files under Delta's spark.databricks.delta.optimize.minFileSize (or a file with deleted rows): a table with one small file per partition is already compact");

  public static final Setting<String> MAINTENANCE_TABLES =
      new Setting<>(
          "songhong.maintenance.tables",
          "",
          s -> s,
          "Comma-separated tables lake_maintenance maintains; empty means every table of the lake");

  public static final Setting<Integer> SQL_QUERY_TIMEOUT_SECONDS =
      new Setting<>(
          "songhong.sql.query.timeout.seconds",
          "300",
          Integer::valueOf,
          "songhong serve sql cancels a query that runs longer than this many seconds");
  public static final Setting<Long> SQL_MAX_RESULT_ROWS =
      new Setting<>(
          "songhong.sql.max.result.rows",
          "1000000",
          Long::valueOf,
          "songhong serve sql stops a query whose answer has more rows than this (aggregate, filter or add a LIMIT)");
  public static final Setting<Integer> SQL_MAX_QUERIES_PER_SESSION =
      new Setting<>(
          "songhong.sql.max.queries.per.session",
          "2",
          Integer::valueOf,
          "songhong serve sql runs at most this many queries of one client session at once");
  public static final Setting<Integer> SQL_MAX_QUERIES =
      new Setting<>(
          "songhong.sql.max.queries",
          "4",
          Integer::valueOf,
          "songhong serve sql runs at most this many queries at once, all clients together");

  public static final Setting<Long> CODEGEN_MIN_BYTES =
      new Setting<>(
          "songhong.spark.codegen.min.bytes",
          "1048576",
          Long::valueOf,
          "A job whose input (the tables it reads and its landing folder) is smaller than this many bytes runs with "
              + "Spark's interpreted evaluation, which skips compiling Java code for each query; larger inputs run with "
              + "whole-stage code generation. 0: always generate code");

  public static final List<Setting<?>> ALL =
      List.of(
          LAKE_PATH,
          INPUT_DIR,
          SCHEMAS_DIR,
          SPARK_MASTER,
          YEAR_MIN,
          YEAR_MAX,
          WRITE_RETRIES,
          SUBTOTAL_TOLERANCE_PCT,
          EVENTS_DIR,
          EVENTS_LOOKBACK_DAYS,
          RECONCILIATION_TOLERANCE_PCT,
          ENV_LOOKBACK_DAYS,
          ENV_DIR,
          VACUUM_MIN_RETENTION_HOURS,
          OPTIMIZE_MIN_FILES,
          MAINTENANCE_TABLES,
          SQL_QUERY_TIMEOUT_SECONDS,
          SQL_MAX_RESULT_ROWS,
          SQL_MAX_QUERIES_PER_SESSION,
          SQL_MAX_QUERIES,
          CODEGEN_MIN_BYTES);

  /** The landing folder ({@code songhong.input.dir}) as an absolute path or URI. */
  public String inputDir() {
    return absolutise(get(INPUT_DIR));
  }

  /** The environment landing folder: the setting, or {@code <input>/environment}. */
  public String environmentDir() {
    String d = get(ENV_DIR);
    return absolutise(d.isBlank() ? get(INPUT_DIR) + "/environment" : d);
  }

  /** The events landing folder: the setting, or {@code <input>/logistics/events}. */
  public String eventsDir() {
    String d = get(EVENTS_DIR);
    return absolutise(d.isBlank() ? get(INPUT_DIR) + "/logistics/events" : d);
  }

  private final Map<String, String> overrides;
  private final Map<String, String> environment;

  private SonghongConfig(Map<String, String> overrides, Map<String, String> environment) {
    this.overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
    this.environment = environment;
  }

  /** Builds a configuration from {@code --conf} pairs and the process environment. */
  public static SonghongConfig of(Map<String, String> overrides) {
    Map<String, String> env = ENVIRONMENT.get();
    return of(overrides, env == null ? System.getenv() : env);
  }

  /**
   * The environment of the command this thread runs for another process (see {@code songhong serve
   * runner}).
   */
  private static final ThreadLocal<Map<String, String>> ENVIRONMENT = new ThreadLocal<>();

  /** The working directory of that process, which relative paths are resolved against. */
  private static final ThreadLocal<Path> DIRECTORY = new ThreadLocal<>();

  /**
   * A local path made absolute against the working directory (the client's, for a command run for
   * another process).
   */
  public static Path local(Path p) {
    Path base = DIRECTORY.get();
    return (base == null ? p.toAbsolutePath() : base.resolve(p)).normalize();
  }

  /**
   * Runs {@code body} with another process's environment and working directory in place of this
   * one's.
   */
  public static <T> T withClient(
      Map<String, String> environment, Path directory, java.util.function.Supplier<T> body) {
    Path before = DIRECTORY.get();
    DIRECTORY.set(directory);
    try {
      return withEnvironment(environment, body);
    } finally {
      DIRECTORY.set(before);
    }
  }

  /**
   * Runs {@code body} with {@code environment} in place of the process's, for the settings read
   * meanwhile.
   */
  public static <T> T withEnvironment(
      Map<String, String> environment, java.util.function.Supplier<T> body) {
    Map<String, String> before = ENVIRONMENT.get();
    ENVIRONMENT.set(environment);
    try {
      return body.get();
    } finally {
      ENVIRONMENT.set(before);
    }
  }

  public static SonghongConfig of(Map<String, String> overrides, Map<String, String> environment) {
    for (String key : overrides.keySet()) {
      if (!key.startsWith("spark.") && ALL.stream().noneMatch(s -> s.key().equals(key))) {
        throw Errors.unknownConfigKey(key, ALL.stream().map(Setting::key).toList());
      }
    }
    return new SonghongConfig(overrides, environment);
  }

  public static String envName(String key) {
    return key.toUpperCase().replace('.', '_');
  }

  public <T> T get(Setting<T> setting) {
    String raw = raw(setting);
    try {
      return setting.parser().apply(raw);
    } catch (RuntimeException e) {
      throw Errors.badSetting(setting.key(), raw, setting.description());
    }
  }

  public String raw(Setting<?> setting) {
    String v = overrides.get(setting.key());
    if (v == null) {
      v = environment.get(envName(setting.key()));
    }
    return v == null ? setting.defaultValue() : v;
  }

  /** A copy with one more override, e.g. the lake path given by a flag. */
  public SonghongConfig with(String key, String value) {
    Map<String, String> copy = new LinkedHashMap<>(overrides);
    copy.put(key, value);
    return of(copy, environment);
  }

  /** The {@code spark.*} overrides, passed to the session builder. */
  public Map<String, String> sparkOverrides() {
    Map<String, String> spark = new LinkedHashMap<>();
    overrides.forEach(
        (k, v) -> {
          if (k.startsWith("spark.")) {
            spark.put(k, v);
          }
        });
    return spark;
  }

  /** The songhong settings in effect, for the run ledger. */
  public Map<String, String> effective() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Setting<?> s : ALL) {
      out.put(s.key(), raw(s));
    }
    out.putAll(sparkOverrides());
    return out;
  }

  /** Resolves a local path setting against the working directory; URIs are left alone. */
  public static String absolutise(String pathOrUri) {
    if (pathOrUri.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")
        && !pathOrUri.matches("^[a-zA-Z]:\\\\.*")) {
      return pathOrUri;
    }
    String uri = local(Path.of(pathOrUri)).toUri().toString();
    return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
  }
}
