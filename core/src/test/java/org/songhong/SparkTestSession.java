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

  /** The Spark jobs {@code spark} started while {@code r} ran (its listener bus drained). */
  public static int jobsDuring(SparkSession spark, Runnable r)
      throws java.util.concurrent.TimeoutException {
    java.util.concurrent.atomic.AtomicInteger jobs =
        new java.util.concurrent.atomic.AtomicInteger();
    org.apache.spark.scheduler.SparkListener l =
        new org.apache.spark.scheduler.SparkListener() {
          @Override
          public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart start) {
            jobs.incrementAndGet();
          }
        };
    spark.sparkContext().addSparkListener(l);
    try {
      r.run();
      spark.sparkContext().listenerBus().waitUntilEmpty(10_000);
    } finally {
      spark.sparkContext().removeSparkListener(l);
    }
    return jobs.get();
  }
}
