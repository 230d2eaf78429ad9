package org.songhong.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.songhong.config.SonghongConfig;
import org.songhong.job.JobRegistry;
import org.songhong.job.LakeRuntime;
import org.songhong.jobs.environment.EnvironmentBronzeJob;
import org.songhong.jobs.environment.EnvironmentMartsJob;
import org.songhong.jobs.environment.EnvironmentSilverJob;
import org.songhong.lake.SparkSessions;
import org.songhong.sample.EnvironmentGenerator;

/**
 * Hourly readings of many stations through bronze, silver and the AQI and compliance marts: the
 * full load; the same files through the same rules in DuckDB ({@link EnvironmentDuckDb}), each
 * output table compared row by row; then one incremental day.
 */
public final class EnvironmentBenchmark {
  private EnvironmentBenchmark() {}

  public static List<Results.Measure> run(Path work, LocalDate last, int days, int stations, long seed, PrintWriter out)
      throws Exception {
    Path env = work.resolve("environment");
    LocalDate first = last.minusDays(days - 1);
    EnvironmentGenerator.Settings s = new EnvironmentGenerator.Settings(stations, Math.max(6, stations / 10), seed, 0.002, true);
    long t = System.nanoTime();
    out.printf("Generating %d days (%s..%s) for %d air stations and %d discharge points, seed %d...%n", days, first, last,
        s.airStations(), s.wastewaterPoints(), seed);
    out.flush();
    EnvironmentGenerator.registry(env, s);
    long history = EnvironmentGenerator.readings(env, first, last.minusDays(1), s, null);
    out.printf("  %,d readings in %.1f s%n", history, (System.nanoTime() - t) / 1e9);
    SonghongConfig config = SonghongConfig.of(Map.of(
        SonghongConfig.LAKE_PATH.key(), work.resolve("lake").toString(),
        SonghongConfig.ENV_DIR.key(), env.toString(),
        SonghongConfig.ENV_LOOKBACK_DAYS.key(), String.valueOf(days)));
    LakeRuntime rt = new LakeRuntime(SparkSessions.create(config, "songhong-bench"), config);
    double[] full = pipeline(rt, last.minusDays(1), "full load of " + (days - 1) + " days", out);
    long sparkRss = EnvironmentDuckDb.peakRssKib();
    // The same files through the same rules in DuckDB (a process of its own), each table compared.
    Duck duck = duckdb(rt, env, work, out);
    // Late files of the history land up to 3 days later, in later day folders: leave them to the day run.
    long lastDay = EnvironmentGenerator.readings(env, last, last, s, null);
    SonghongConfig daily = config.with(SonghongConfig.ENV_LOOKBACK_DAYS.key(), "0");
    LakeRuntime rtDay = new LakeRuntime(rt.spark(), daily);
    double inc = pipeline(rtDay, last, "incremental day (" + String.format("%,d", lastDay) + " readings)", out)[3];

    double duckTotal = duck.seconds().values().stream().mapToDouble(Double::doubleValue).sum();
    long differing = duck.differing().values().stream().mapToLong(Long::longValue).sum();
    out.printf("%n  %-28s %10s %10s %8s%n", "stage", "Spark", "DuckDB", "ratio");
    String[] jobs = {"bronze", "silver", "gold"};
    for (int i = 0; i < 3; i++) {
      double d = duck.seconds().getOrDefault(jobs[i], 0.0) + (i == 2 ? duck.seconds().getOrDefault("write", 0.0) : 0);
      out.printf("  %-28s %8.1f s %8.1f s %7.1fx%n", jobs[i] + (i == 2 ? " (DuckDB: + its writes)" : ""), full[i], d, full[i] / d);
    }
    out.printf("  %-28s %8.1f s %8.1f s %7.1fx%n", "whole pipeline", full[3], duckTotal, full[3] / duckTotal);
    out.printf("  peak resident memory: Spark's JVM %,d MiB, DuckDB's process %,d MiB%n", sparkRss / 1024, duck.rssKib() / 1024);
    out.printf("%n  %-36s %12s %12s %10s%n", "table", "Spark rows", "DuckDB rows", "differing");
    duck.differing().forEach((name, n) -> out.printf("  %-36s %,12d %,12d %,10d%n", name, duck.sparkRows().get(name), duck.duckRows().get(name), n));
    out.flush();

    long total = history + lastDay;
    List<Results.Measure> m = new ArrayList<>();
    m.add(new Results.Measure("full_load_seconds", full[3], "s"));
    m.add(new Results.Measure("full_load_readings_per_second", history / full[3], "readings/s"));
    m.add(new Results.Measure("full_load_bronze_seconds", full[0], "s"));
    m.add(new Results.Measure("full_load_silver_seconds", full[1], "s"));
    m.add(new Results.Measure("full_load_gold_seconds", full[2], "s"));
    m.add(new Results.Measure("duckdb_full_load_seconds", duckTotal, "s"));
    duck.seconds().forEach((stage, sec) -> m.add(new Results.Measure("duckdb_" + stage + "_seconds", sec, "s")));
    m.add(new Results.Measure("duckdb_readings_per_second", history / duckTotal, "readings/s"));
    m.add(new Results.Measure("ratio_spark_to_duckdb", full[3] / duckTotal, "ratio"));
    m.add(new Results.Measure("rows_differing", differing, "rows"));
    duck.differing().forEach((name, n) -> m.add(new Results.Measure("rows_differing_" + name.replace('.', '_'), n, "rows")));
    m.add(new Results.Measure("spark_peak_rss", sparkRss / 1024.0, "MiB"));
    m.add(new Results.Measure("duckdb_peak_rss", duck.rssKib() / 1024.0, "MiB"));
    m.add(new Results.Measure("incremental_day_seconds", inc, "s"));
    m.add(new Results.Measure("incremental_day_readings_per_second", lastDay / inc, "readings/s"));
    m.add(new Results.Measure("ratio_incremental_to_full", inc / full[3], "ratio"));
    m.add(new Results.Measure("readings_total", total, "readings"));
    return m;
  }

  /** DuckDB's seconds per stage, rows per table in each engine, differing rows, its peak memory. */
  record Duck(Map<String, Double> seconds, Map<String, Long> sparkRows, Map<String, Long> duckRows, Map<String, Long> differing,
      long rssKib) {}

  /**
   * Runs {@link EnvironmentDuckDb} in a JVM of its own on the monitor files the full load read (all
   * that landed so far) and the Delta tables' active files, and reads back what it printed.
   */
  static Duck duckdb(LakeRuntime rt, Path env, Path work, PrintWriter out) throws Exception {
    List<String> inputs;
    try (var walk = Files.walk(env.resolve("readings"))) {
      inputs = walk.filter(Files::isRegularFile).map(Path::toString).sorted().toList();
    }
    Path dir = Files.createDirectories(work.resolve("duckdb"));
    Files.write(dir.resolve("inputs.txt"), inputs);
    java.util.Properties files = new java.util.Properties();
    for (EnvironmentDuckDb.Compared table : EnvironmentDuckDb.TABLES) {
      String path = rt.lake().root() + "/" + table.sparkTable().replace('.', '/');
      files.setProperty(table.sparkTable(), String.join(",", List.of(rt.spark().read().format("delta").load(path).inputFiles()).stream()
          .map(f -> f.replaceFirst("^file:", "")).toList()));
    }
    try (var w = Files.newBufferedWriter(dir.resolve("spark-files.properties"))) {
      files.store(w, "active files of the Delta tables Spark wrote");
    }
    out.printf("  DuckDB on the same %,d files (a process of its own)...%n", inputs.size());
    out.flush();
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
        "-cp", System.getProperty("java.class.path"), EnvironmentDuckDb.class.getName(), rt.schemas().root().toString(),
        env.resolve("registry/stations.csv").toString(), dir.resolve("inputs.txt").toString(),
        dir.resolve("spark-files.properties").toString(), Files.createDirectories(dir.resolve("out")).toString())
        .redirectErrorStream(true).start();
    Map<String, Double> seconds = new java.util.LinkedHashMap<>();
    Map<String, Long> sparkRows = new java.util.LinkedHashMap<>();
    Map<String, Long> duckRows = new java.util.LinkedHashMap<>();
    Map<String, Long> differing = new java.util.LinkedHashMap<>();
    long rss = -1;
    StringBuilder other = new StringBuilder();
    try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        String[] f = line.split(" ");
        switch (f[0]) {
          case "stage" -> seconds.put(f[1], Double.parseDouble(f[2]));
          case "table" -> {
            sparkRows.put(f[1], Long.parseLong(f[2]));
            duckRows.put(f[1], Long.parseLong(f[3]));
            differing.put(f[1], Long.parseLong(f[4]));
          }
          case "peak_rss_kib" -> rss = Long.parseLong(f[1]);
          case "memory_limit_mib" -> out.printf("  DuckDB's memory limit: %,d MiB (half the memory free when it started; it spills beyond)%n",
              Long.parseLong(f[1]));
          default -> other.append(line).append('\n');
        }
      }
    }
    if (p.waitFor() != 0 || differing.size() != EnvironmentDuckDb.TABLES.size()) {
      throw new IllegalStateException("the DuckDB run failed (exit " + p.exitValue() + "):\n" + other);
    }
    out.printf("  %-45s %8.1f s%n", "DuckDB: the same files, the same rules", seconds.values().stream().mapToDouble(Double::doubleValue).sum());
    return new Duck(seconds, sparkRows, duckRows, differing, rss);
  }

  /** Seconds of the bronze, silver and marts jobs, and of the three. */
  static double[] pipeline(LakeRuntime rt, LocalDate date, String what, PrintWriter out) {
    double[] s = new double[4];
    List<String> jobs = List.of(EnvironmentBronzeJob.NAME, EnvironmentSilverJob.NAME, EnvironmentMartsJob.NAME);
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
