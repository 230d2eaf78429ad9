package org.songhong.lake;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.songhong.config.SonghongConfig;

/**
 * Builds the session every command uses. Delta is always on. When no master is given by
 * {@code spark-submit} or {@code songhong.spark.master}, it runs {@code local[*]} with the
 * small-data settings measured in SPARK-NOTES.md; on a cluster those are left to the cluster.
 */
public final class SparkSessions {
  private SparkSessions() {}

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
    if (conf.get("spark.master").startsWith("local")) {
      conf.setIfMissing("spark.ui.enabled", "false");
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
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    return spark;
  }
}
