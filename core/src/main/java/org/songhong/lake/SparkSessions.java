package org.songhong.lake;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.songhong.config.SonghongConfig;

/**
 * Builds the session every command uses. Delta is always on. When no master is given by {@code
 * spark-submit} or {@code songhong.spark.master}, it runs {@code local[*]} with the small-data
 * settings measured in SPARK-NOTES.md; on a cluster those are left to the cluster.
 */
public final class SparkSessions {
  private SparkSessions() {}

  /**
   * Columns whose values are (nearly) all different within a file, written without a Parquet
   * dictionary: a source's text as it came (bronze, quarantine), the line it came from, a gate
   * move's instant and container. Parquet names columns by name only, so the setting holds for a
   * column of that name in every table (measured: no table that has one grew without it).
   */
  static final java.util.List<String> NO_DICTIONARY_COLUMNS =
      java.util.List.of("raw_line", "raw_record", "source_line", "event_time", "container_id");

  /**
   * How many compiled classes of generated code a JVM keeps (a static setting: read once per JVM).
   * Spark keeps 100; a year of gate moves loaded by {@code logistics_events_bronze} and {@code
   * logistics_events_silver} in one JVM generates about 270 distinct classes, and with 100 kept it
   * compiled 337: the classes evicted were generated again, compiled again by Janino, and their hot
   * methods again by the JIT compiler, which counts a new class as new code. Keeping 1,000: 3% less
   * CPU for that load in a fresh JVM, lower in every one of five alternated pairs (bench/README.md,
   * "5 December, before midnight"). They cost little memory: the JVM's class metadata at the end of
   * that load was 202.9 MB against 202.4 MB with 100 kept.
   */
  static final String CODEGEN_CACHE_ENTRIES = "spark.sql.codegen.cache.maxEntries";

  static final int CODEGEN_CACHE_DEFAULT = 1000;

  public static SparkSession create(SonghongConfig config, String appName) {
    SparkConf conf = new SparkConf(true);
    String master = config.get(SonghongConfig.SPARK_MASTER);
    if (!master.isBlank()) {
      conf.setMaster(master);
    } else if (!conf.contains("spark.master")) {
      conf.setMaster("local[*]");
    }
    conf.setIfMissing("spark.app.name", appName);
    conf.set("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
    conf.set("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    conf.setIfMissing("spark.sql.session.timeZone", "UTC");
    conf.setIfMissing("spark.sql.ansi.enabled", "true");
    // In-memory caches as compressed batches of rows, not Spark's compressed columns (see the
    // class).
    conf.setIfMissing("spark.sql.cache.serializer", RowBatchSerializer.class.getName());
    // A raw line or record is unique to its row: Parquet's dictionary for it only filled until it
    // gave up, page after page (11% of logistics_events_bronze's samples, a year of gate moves;
    // without it 54-64 CPU seconds against 88-93; bench/README.md "logistics"). The files are as
    // large without it. A line number, a gate move's time and container: a dictionary of values
    // that do not repeat in the file (a day's gate moves) made silver.gate_moves larger (57.6 MB
    // against 51.8 at a year) and logistics_events_silver 5% slower (bench/README.md, "5 December,
    // afternoon"; the environment's tables 3-7% smaller, its CPU unchanged).
    for (String column : NO_DICTIONARY_COLUMNS) {
      conf.setIfMissing("spark.hadoop.parquet.enable.dictionary#" + column, "false");
    }
    conf.setIfMissing(CODEGEN_CACHE_ENTRIES, String.valueOf(CODEGEN_CACHE_DEFAULT));
    if (conf.get("spark.master").startsWith("local")) {
      conf.setIfMissing("spark.ui.enabled", "false");
      // Local paths without a child process per rename and mkdir (org.songhong.lake.fs). Local mode
      // only: a cluster's executors load Hadoop's file systems before the application jar.
      LocalFiles.configure(conf::setIfMissing);
      // Small-data settings measured in SPARK-NOTES.md; snapshotPartitions is the biggest lever.
      conf.setIfMissing("spark.sql.shuffle.partitions", "2");
      conf.setIfMissing("spark.default.parallelism", "2");
      conf.setIfMissing("spark.databricks.delta.snapshotPartitions", "1");
      conf.setIfMissing("spark.sql.adaptive.enabled", "true");
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    }
    for (Map.Entry<String, String> e : config.sparkOverrides().entrySet()) {
      conf.set(e.getKey(), e.getValue());
    }
    if (conf.get("spark.master").startsWith("local") && !evaluationGiven(conf, config)) {
      // Interpreted evaluation until a job with a large input asks for generated code
      // (chooseEvaluation): opening tables, reading the ledger and small queries compile nothing.
      // In the SparkConf, so that every session of this context starts so (the SQL endpoint makes
      // one per client); marked as songhong's default, so that it is not taken for a user's choice.
      conf.set(WHOLE_STAGE, "false");
      conf.set(FACTORY_MODE, "NO_CODEGEN");
      conf.set(EVALUATION_DEFAULTED, "true");
    }
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    markSparkStarted();
    return spark;
  }

  /**
   * The launcher archives the classes of its first {@code demo} or {@code run} after a build
   * (class-data sharing) and keeps the archive only if that JVM started Spark: a run that found
   * nothing new loads too few classes to be worth archiving. It names the file to create here.
   */
  static final String SPARK_STARTED_MARKER = "songhong.cds.spark.started";

  private static void markSparkStarted() {
    String marker = System.getProperty(SPARK_STARTED_MARKER);
    if (marker != null && !marker.isBlank()) {
      try {
        java.nio.file.Files.writeString(java.nio.file.Path.of(marker), "spark\n");
      } catch (java.io.IOException e) {
        org.slf4j.LoggerFactory.getLogger(SparkSessions.class)
            .debug("could not write {}: {}", marker, e.toString());
      }
    }
  }

  /** Marks the two settings in a SparkConf as songhong's starting default, not a user's choice. */
  static final String EVALUATION_DEFAULTED = "spark.songhong.evaluation.defaulted";

  /**
   * Whether the user chose the evaluation: with songhong's {@code --conf} or spark-submit's (the
   * SparkConf).
   */
  static boolean evaluationGiven(SparkConf submitted, SonghongConfig config) {
    Map<String, String> given = config.sparkOverrides();
    boolean inConf =
        (submitted.contains(WHOLE_STAGE) || submitted.contains(FACTORY_MODE))
            && !submitted.getBoolean(EVALUATION_DEFAULTED, false);
    return given.containsKey(WHOLE_STAGE) || given.containsKey(FACTORY_MODE) || inConf;
  }

  /**
   * The two session settings that switch Spark between generated code and interpreted evaluation.
   */
  static final String WHOLE_STAGE = "spark.sql.codegen.wholeStage";

  static final String FACTORY_MODE = "spark.sql.codegen.factoryMode";

  /**
   * Chooses how the next job evaluates its queries, from the size of its input: below {@code
   * songhong.spark.codegen.min.bytes}, interpreted (no whole-stage code generation, and expressions
   * evaluated rather than compiled); at or above it, Spark's default, generated code. Compiling
   * Java for every query shape costs seconds that a small input never pays back: measured on the
   * logistics pipeline tests, 135 s interpreted against 188 s generated; on the demo's 488,272
   * readings the environment jobs took twice as long interpreted (bench/README). Both are runtime
   * settings of the session, so each job run sets them afresh; a value the user gave with {@code
   * --conf} (songhong's or spark-submit's) is left alone. Returns the choice, for the log.
   */
  public static String chooseEvaluation(
      SparkSession spark, SonghongConfig config, long inputBytes) {
    if (evaluationGiven(spark.sparkContext().getConf(), config)) {
      return "as configured";
    }
    long min = config.get(SonghongConfig.CODEGEN_MIN_BYTES);
    boolean interpreted = min > 0 && inputBytes < min;
    spark.conf().set(WHOLE_STAGE, String.valueOf(!interpreted));
    spark.conf().set(FACTORY_MODE, interpreted ? "NO_CODEGEN" : "FALLBACK");
    return (interpreted ? "interpreted" : "generated code")
        + " (input "
        + inputBytes
        + " bytes, threshold "
        + min
        + ")";
  }
}
