package org.songhong.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.songhong.config.SonghongConfig;
import org.songhong.contract.SchemaResources;
import org.songhong.job.JobRegistry;
import org.songhong.job.LakeRuntime;
import org.songhong.jobs.environment.EnvironmentBronzeJob;
import org.songhong.jobs.environment.EnvironmentMartsJob;
import org.songhong.jobs.environment.EnvironmentSilverJob;
import org.songhong.lake.SparkSessions;
import org.songhong.sample.EnvironmentGenerator;

/**
 * Hourly readings of many stations through bronze, silver and the AQI and compliance marts: the
 * full load; the same files through the same rules in DuckDB ({@link EnvironmentDuckDb}, run
 * first), each output table compared row by row; then one incremental day.
 */
public final class EnvironmentBenchmark {
  private EnvironmentBenchmark() {}

  public static List<Results.Measure> run(
      Path work, LocalDate last, int days, int stations, long seed, int duckdbRuns, PrintWriter out)
      throws Exception {
    Path env = work.resolve("environment");
    LocalDate first = last.minusDays(days - 1);
    EnvironmentGenerator.Settings s =
        new EnvironmentGenerator.Settings(stations, Math.max(6, stations / 10), seed, 0.002, true);
    long t = System.nanoTime();
    out.printf(
        "Generating %d days (%s..%s) for %d air stations and %d discharge points, seed %d...%n",
        days, first, last, s.airStations(), s.wastewaterPoints(), seed);
    out.flush();
    EnvironmentGenerator.registry(env, s);
    long history = EnvironmentGenerator.readings(env, first, last.minusDays(1), s, null);
    out.printf("  %,d readings in %.1f s%n", history, (System.nanoTime() - t) / 1e9);
    SonghongConfig config =
        SonghongConfig.of(
            Map.of(
                SonghongConfig.LAKE_PATH.key(), work.resolve("lake").toString(),
                SonghongConfig.ENV_DIR.key(), env.toString(),
                SonghongConfig.ENV_LOOKBACK_DAYS.key(), String.valueOf(days)));
    // The same files through the same rules in DuckDB (a process of its own, before Spark starts).
    DuckDbPipeline.Run duckRun =
        DuckDbPipeline.runInChild(
            "environment",
            SchemaResources.open(config.get(SonghongConfig.SCHEMAS_DIR)).root(),
            env,
            work,
            duckdbRuns,
            out);
    LakeRuntime rt = new LakeRuntime(SparkSessions.create(config, "songhong-bench"), config);
    SparkCpu sparkCpu = SparkCpu.start(rt.spark());
    double[] full = pipeline(rt, last.minusDays(1), "full load of " + (days - 1) + " days", out);
    SparkCpu.Breakdown cpu = sparkCpu.stop();
    long sparkRss = DuckDbPipeline.peakRssKib();
    DuckDbPipeline.Result duck =
        DuckDbPipeline.compareInChild("environment", duckRun, rt, work, out);
    // Late files of the history land up to 3 days later, in later day folders: leave them to the
    // day run.
    long lastDay = EnvironmentGenerator.readings(env, last, last, s, null);
    SonghongConfig daily = config.with(SonghongConfig.ENV_LOOKBACK_DAYS.key(), "0");
    LakeRuntime rtDay = new LakeRuntime(rt.spark(), daily);
    double inc =
        pipeline(
            rtDay, last, "incremental day (" + String.format("%,d", lastDay) + " readings)", out)[
            3];

    double duckTotal = duck.totalSeconds();
    out.printf("%n  %-28s %10s %10s %8s%n", "stage", "Spark", "DuckDB", "ratio");
    String[] jobs = {"bronze", "silver", "gold"};
    for (int i = 0; i < 3; i++) {
      double d =
          duck.seconds().getOrDefault(jobs[i], 0.0)
              + (i == 2 ? duck.seconds().getOrDefault("write", 0.0) : 0);
      out.printf(
          "  %-28s %8.1f s %8.1f s %7.1fx%n",
          jobs[i] + (i == 2 ? " (DuckDB: + its writes)" : ""), full[i], d, full[i] / d);
    }
    out.printf(
        "  %-28s %8.1f s %8.1f s %7.1fx%n",
        "whole pipeline", full[3], duckTotal, full[3] / duckTotal);
    DuckDbPipeline.printCpu(cpu.cpu(), cpu.stealShare(), duck, out);
    cpu.print(out);
    out.printf(
        "  peak resident memory: Spark's JVM %,d MiB, DuckDB's process %,d MiB%n",
        sparkRss / 1024, duck.peakRssKib() / 1024);
    DuckDbPipeline.printTables(duck, out);

    long total = history + lastDay;
    List<Results.Measure> m = new ArrayList<>();
    m.add(new Results.Measure("full_load_seconds", full[3], "s"));
    m.add(new Results.Measure("full_load_readings_per_second", history / full[3], "readings/s"));
    m.add(new Results.Measure("full_load_bronze_seconds", full[0], "s"));
    m.add(new Results.Measure("full_load_silver_seconds", full[1], "s"));
    m.add(new Results.Measure("full_load_gold_seconds", full[2], "s"));
    m.addAll(
        DuckDbPipeline.measures(
            duck, full[3], history, "readings/s", sparkRss, cpu.cpu(), cpu.stealShare()));
    m.addAll(cpu.measures());
    m.add(new Results.Measure("incremental_day_seconds", inc, "s"));
    m.add(new Results.Measure("incremental_day_readings_per_second", lastDay / inc, "readings/s"));
    m.add(new Results.Measure("ratio_incremental_to_full", inc / full[3], "ratio"));
    m.add(new Results.Measure("readings_total", total, "readings"));
    return m;
  }

  /** Seconds of the bronze, silver and marts jobs, and of the three. */
  static double[] pipeline(LakeRuntime rt, LocalDate date, String what, PrintWriter out) {
    double[] s = new double[4];
    List<String> jobs =
        List.of(EnvironmentBronzeJob.NAME, EnvironmentSilverJob.NAME, EnvironmentMartsJob.NAME);
    for (int i = 0; i < jobs.size(); i++) {
      long t = System.nanoTime();
      rt.run(JobRegistry.get(jobs.get(i)), date);
      s[i] = (System.nanoTime() - t) / 1e9;
      s[3] += s[i];
    }
    out.printf("  %-45s %8.1f s%n", what, s[3]);
    out.flush();
    return s;
  }
}
