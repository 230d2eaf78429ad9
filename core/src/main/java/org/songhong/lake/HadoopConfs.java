package org.songhong.lake;

import org.apache.hadoop.conf.Configuration;
import org.songhong.config.SonghongConfig;

/**
 * Hadoop file system settings without a Spark session: the {@code spark.hadoop.*} settings given,
 * as Spark would pass them.
 */
public final class HadoopConfs {
  private HadoopConfs() {}

  public static Configuration from(SonghongConfig config) {
    Configuration hadoop = new Configuration();
    LocalFiles.configure(hadoop);
    config
        .sparkOverrides()
        .forEach(
            (k, v) -> {
              if (k.startsWith("spark.hadoop.")) {
                hadoop.set(k.substring("spark.hadoop.".length()), v);
              }
            });
    return hadoop;
  }
}
