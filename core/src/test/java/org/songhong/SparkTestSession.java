package org.songhong;

import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.songhong.config.SonghongConfig;
import org.songhong.lake.SparkSessions;

/** One {@code local[2]} session for the whole test JVM, built the way the tool builds it. */
public final class SparkTestSession {
  private static SparkSession spark;

  private SparkTestSession() {}

  public static synchronized SparkSession get() {
    if (spark == null) {
      SonghongConfig config =
          SonghongConfig.of(
              Map.of(
                  "songhong.spark.master", "local[2]",
                  "spark.sql.shuffle.partitions", "2",
                  "spark.ui.enabled", "false"),
              Map.of());
      spark = SparkSessions.create(config, "songhong-tests");
    }
    return spark;
  }
}
