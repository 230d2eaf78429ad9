package org.songhong.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.songhong.config.SonghongConfig;
import org.songhong.job.LakeRuntime;
import org.songhong.lake.SparkSessions;
import org.songhong.sample.EnvironmentGenerator;

/**
 * Whether a day's run stays flat as history grows: the environment pipeline (bronze, silver with
 * QC, AQI and compliance marts) loads one year into one lake and three years into another (the full
 * loads, timed), then the same new day goes into each (timed). Reports both incremental times,
 * their ratio (flat is 1), and each against its full load. All in one process and one Spark
 * session.
 */
public final class HistoryBenchmark {
  private HistoryBenchmark() {}

  public static List<Results.Measure> run(
      Path work, LocalDate last, int stations, long seed, PrintWriter out) throws Exception {
    Path env = work.resolve("environment");
    int longYears = 3;
    LocalDate first = last.minusYears(longYears);
    EnvironmentGenerator.Settings s =
        new EnvironmentGenerator.Settings(stations, Math.max(6, stations / 10), seed, 0.002, true);
    long t = System.nanoTime();
    out.printf(
        "Generating %s..%s (%d years) for %d air stations and %d discharge points, seed %d...%n",
        first, last.minusDays(1), longYears, s.airStations(), s.wastewaterPoints(), seed);
    out.flush();
    EnvironmentGenerator.registry(env, s);
    long history = EnvironmentGenerator.readings(env, first, last.minusDays(1), s, null);
    out.printf("  %,d readings in %.1f s%n", history, (System.nanoTime() - t) / 1e9);
    int oneYearDays = (int) (last.toEpochDay() - last.minusYears(1).toEpochDay());
    int threeYearDays = (int) (last.toEpochDay() - first.toEpochDay());

    SparkSession spark = null;
    double[] full = new double[2];
    LakeRuntime[] daily = new LakeRuntime[2];
    int[] days = {oneYearDays, threeYearDays};
    String[] names = {"1 year", longYears + " years"};
    for (int i = 0; i < 2; i++) {
      SonghongConfig config =
          SonghongConfig.of(
              Map.of(
                  SonghongConfig.LAKE_PATH.key(),
                      work.resolve("lake-" + (i == 0 ? 1 : longYears) + "y").toString(),
                  SonghongConfig.ENV_DIR.key(), env.toString(),
                  SonghongConfig.ENV_LOOKBACK_DAYS.key(), String.valueOf(days[i] - 1)));
      if (spark == null) {
        spark = SparkSessions.create(config, "songhong-bench-history");
      }
      LakeRuntime rt = new LakeRuntime(spark, config);
      full[i] =
          EnvironmentBenchmark.pipeline(
              rt, last.minusDays(1), "full load of " + names[i] + " (" + days[i] + " days)", out)[
              3];
      daily[i] = new LakeRuntime(spark, config.with(SonghongConfig.ENV_LOOKBACK_DAYS.key(), "0"));
    }
    // Two new days into both lakes, the second in the opposite order (so neither lake always goes
    // first after the other's run); each lake's figure is the faster of its two days.
    double[][] inc = new double[2][2];
    for (int k = 0; k < 2; k++) {
      LocalDate day = last.plusDays(k);
      long n = EnvironmentGenerator.readings(env, day, day, s, null);
      for (int j = 0; j < 2; j++) {
        int i = k == 0 ? j : 1 - j;
        inc[i][k] =
            EnvironmentBenchmark.pipeline(
                daily[i],
                day,
                day + " into " + names[i] + " (" + String.format("%,d", n) + " readings)",
                out)[3];
      }
    }
    double inc1y = Math.min(inc[0][0], inc[0][1]);
    double inc3y = Math.min(inc[1][0], inc[1][1]);
    List<Results.Measure> m = new ArrayList<>();
    m.add(new Results.Measure("full_load_1y_seconds", full[0], "s"));
    m.add(new Results.Measure("full_load_3y_seconds", full[1], "s"));
    m.add(new Results.Measure("incremental_day_into_1y_seconds", inc1y, "s"));
    m.add(new Results.Measure("incremental_day_into_3y_seconds", inc3y, "s"));
    m.add(new Results.Measure("ratio_incremental_3y_to_1y", inc3y / inc1y, "ratio"));
    m.add(new Results.Measure("ratio_incremental_to_full_1y", inc1y / full[0], "ratio"));
    m.add(new Results.Measure("ratio_incremental_to_full_3y", inc3y / full[1], "ratio"));
    m.add(new Results.Measure("readings_history_3y", history, "readings"));
    return m;
  }
}
