package org.songhong.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.songhong.config.SonghongConfig;
import org.songhong.job.LakeRuntime;
import org.songhong.lake.SparkSessions;

/**
 * Opening a new lake: every table of the contracts created (a first Delta commit each), the views
 * registered. One process and one session; the first open warms the JVM and is reported apart, the
 * figure is the median of the others. Which local file system Hadoop uses is the session's ({@code
 * spark.hadoop.fs.file.impl}); bench/local-fs runs it with songhong's and with Hadoop's.
 */
public final class LakeOpenBenchmark {
  private LakeOpenBenchmark() {}

  public static List<Results.Measure> run(Path work, int lakes, PrintWriter out) {
    SonghongConfig config =
        SonghongConfig.of(
            Map.of(SonghongConfig.LAKE_PATH.key(), work.resolve("lake-0").toString()));
    SparkSession spark = SparkSessions.create(config, "songhong-bench-lake-open");
    String fs =
        spark
            .sparkContext()
            .hadoopConfiguration()
            .get("fs.file.impl", "org.apache.hadoop.fs.LocalFileSystem");
    out.printf("Local file system: %s%n", fs);
    List<Double> seconds = new ArrayList<>();
    int tables = 0;
    for (int i = 0; i < lakes; i++) {
      long t0 = System.nanoTime();
      LakeRuntime rt =
          new LakeRuntime(
              spark,
              config.with(SonghongConfig.LAKE_PATH.key(), work.resolve("lake-" + i).toString()));
      tables = rt.lake().contracts().all().size();
      seconds.add((System.nanoTime() - t0) / 1e9);
      out.printf("  lake %d of %d: %.2f s%n", i + 1, lakes, seconds.get(i));
      out.flush();
    }
    List<Double> warm = new ArrayList<>(seconds.subList(1, seconds.size()));
    java.util.Collections.sort(warm);
    double median = warm.isEmpty() ? Double.NaN : warm.get(warm.size() / 2);
    String which = fs.substring(fs.lastIndexOf('.') + 1);
    return List.of(
        new Results.Measure(which + ": first open (" + tables + " tables)", seconds.get(0), "s"),
        new Results.Measure(
            which + ": open (median of the next " + warm.size() + ")", median, "s"));
  }
}
