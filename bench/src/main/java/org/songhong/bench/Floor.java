package org.songhong.bench;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The floor every run is measured against (bench/floor): in a fresh JVM, a local Spark session with
 * Delta, one 10-row Delta append and a read back, with nothing of songhong's in it but the same
 * local-mode settings. Prints one line per phase, {@code floor PHASE SECONDS}, the time since this
 * JVM started.
 */
public final class Floor {
  private Floor() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: Floor TABLE_PATH (an empty folder)");
      System.exit(2);
    }
    long t0 = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
    phase("main", t0);
    SparkSession spark =
        SparkSession.builder()
            .master("local[*]")
            .appName("songhong floor")
            .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
            .config(
                "spark.sql.catalog.spark_catalog",
                "org.apache.spark.sql.delta.catalog.DeltaCatalog")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.default.parallelism", "2")
            .config("spark.databricks.delta.snapshotPartitions", "1")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    phase("session", t0);
    Dataset<Row> rows = spark.range(10).selectExpr("id", "CAST(id AS STRING) AS name");
    rows.write().format("delta").mode("append").save(args[0]);
    phase("append", t0);
    List<Row> back = spark.read().format("delta").load(args[0]).collectAsList();
    if (back.size() % 10 != 0) {
      throw new IllegalStateException(
          "read back " + back.size() + " rows, expected a multiple of 10");
    }
    phase("read", t0);
    spark.stop();
  }

  private static void phase(String name, long t0) {
    System.out.printf(
        java.util.Locale.ROOT, "floor %s %.2f%n", name, (System.currentTimeMillis() - t0) / 1000.0);
    System.out.flush();
  }
}
