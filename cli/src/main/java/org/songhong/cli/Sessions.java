package org.songhong.cli;

import org.apache.spark.sql.SparkSession;
import org.songhong.config.SonghongConfig;
import org.songhong.job.LakeRuntime;
import org.songhong.lake.SparkSessions;

/** Opens the session and the lake for one command. */
final class Sessions {
  private Sessions() {}

  static LakeRuntime open(SonghongConfig config, String app) {
    SparkSession spark = SparkSessions.create(config, "songhong " + app);
    return new LakeRuntime(spark, config);
  }
}
