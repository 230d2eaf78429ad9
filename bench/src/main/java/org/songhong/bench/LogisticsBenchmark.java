package org.songhong.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.songhong.config.SonghongConfig;
import org.songhong.contract.SchemaResources;
import org.songhong.job.JobRegistry;
import org.songhong.job.LakeRuntime;
import org.songhong.jobs.logistics.LogisticsEventsBronzeJob;
import org.songhong.jobs.logistics.LogisticsEventsSilverJob;
import org.songhong.lake.SparkSessions;
import org.songhong.sample.LogisticsEventGenerator;

/**
 * Gate events, full load against incremental day, in one process. Generates DAYS days of event
 * files ending on the last day, loads all but the last day into an empty lake (the full load), then
 * loads the last day into it (the incremental day), and the same last day into a lake holding only
 * the month before it: the incremental day must cost the same whatever the history. Last, the full
 * load again into a new lake in the same, now warm, JVM: what a process that stays (the runner, a
 * cluster's executors) pays once its code is compiled, against the fresh JVM's first load.
 */
public final class LogisticsBenchmark {
  private LogisticsBenchmark() {}

  public static List<Results.Measure> run(
      Path work, LocalDate last, int days, double scale, long seed, int duckdbRuns, PrintWriter out)
      throws Exception {
    Path events = work.resolve("events");
    Path held = work.resolve("held-back");
    LocalDate first = last.minusDays(days - 1);
    long t = System.nanoTime();
    out.printf(
        "Generating %d days (%s..%s) at scale %.2f, seed %d...%n", days, first, last, scale, seed);
    out.flush();
    long lines =
        LogisticsEventGenerator.generate(
            events,
            first,
            last,
            new LogisticsEventGenerator.Settings(seed, scale, 0.002, true),
            n -> {});
    long lastDayLines = countLines(events, last);
    out.printf(
        "  %,d lines (%,d on the last day) in %.1f s%n",
        lines, lastDayLines, (System.nanoTime() - t) / 1e9);
    // Hold the last day back: it arrives after the full load.
    moveDay(events, held, last);
    long historyLines = lines - lastDayLines;
    // The same files through the same rules in DuckDB (a process of its own, before Spark starts).
    DuckDbPipeline.Run duckRun =
        DuckDbPipeline.runInChild(
            "logistics",
            SchemaResources.open(
                    SonghongConfig.of(java.util.Map.of()).get(SonghongConfig.SCHEMAS_DIR))
                .root(),
            events,
            work,
            duckdbRuns,
            out);

    Load fullLoad =
        load(
            work.resolve("lake-year"),
            events,
            last.minusDays(1),
            days,
            "full load of " + (days - 1) + " days",
            out);
    double full = fullLoad.total();
    long sparkRss = DuckDbPipeline.peakRssKib();
    DuckDbPipeline.Result duck =
        DuckDbPipeline.compareInChild("logistics", duckRun, fullLoad.rt(), work, out);
    moveDay(held, events, last);
    double incYear =
        load(
                work.resolve("lake-year"),
                events,
                last,
                7,
                "incremental day, " + (days - 1) + " days of history",
                out)
            .total();
    // The same day into a lake with one month of history: load the month, then the day.
    Path monthEvents = work.resolve("events-month");
    for (String feed : LogisticsEventsBronzeJob.FEEDS) {
      for (LocalDate d = last.minusDays(30); !d.isAfter(last); d = d.plusDays(1)) {
        Path from = events.resolve(feed).resolve(d.toString());
        Path to = monthEvents.resolve(feed).resolve(d.toString());
        Files.createDirectories(to.getParent());
        if (!d.equals(last)) {
          copyDir(from, to);
        }
      }
    }
    load(work.resolve("lake-month"), monthEvents, last.minusDays(1), 31, "load of 30 days", out);
    for (String feed : LogisticsEventsBronzeJob.FEEDS) {
      copyDir(
          events.resolve(feed).resolve(last.toString()),
          monthEvents.resolve(feed).resolve(last.toString()));
    }
    double incMonth =
        load(
                work.resolve("lake-month"),
                monthEvents,
                last,
                7,
                "incremental day, 30 days of history",
                out)
            .total();

    // The same full load again, into a new lake, in this JVM whose code is compiled by now.
    moveDay(events, held, last);
    Load warm =
        load(
            work.resolve("lake-year-warm"),
            events,
            last.minusDays(1),
            days,
            "full load again, in the warm JVM",
            out);

    double duckTotal = duck.totalSeconds();
    out.printf("%n  %-28s %10s %10s %8s%n", "stage", "Spark", "DuckDB", "ratio");
    double duckSilver =
        duck.seconds().getOrDefault("silver", 0.0) + duck.seconds().getOrDefault("write", 0.0);
    out.printf(
        "  %-28s %8.1f s %8.1f s %7.1fx%n",
        "bronze",
        fullLoad.bronze(),
        duck.seconds().get("bronze"),
        fullLoad.bronze() / duck.seconds().get("bronze"));
    out.printf(
        "  %-28s %8.1f s %8.1f s %7.1fx%n",
        "silver (DuckDB: + its writes)",
        fullLoad.silver(),
        duckSilver,
        fullLoad.silver() / duckSilver);
    out.printf("  %-28s %8.1f s %8.1f s %7.1fx%n", "whole path", full, duckTotal, full / duckTotal);
    DuckDbPipeline.printCpu(fullLoad.cpuSeconds(), fullLoad.stealShare(), duck, out);
    fullLoad.cpu().print(out);
    out.printf(
        Locale.ROOT,
        "  the same full load in the warm JVM: %.1f s, %.1f CPU s = %.1fx DuckDB's CPU seconds%n",
        warm.total(),
        warm.cpuSeconds(),
        warm.cpuSeconds() / duck.cpuSeconds());
    warm.cpu().print(out);
    out.printf(
        "  peak resident memory: Spark's JVM %,d MiB, DuckDB's process %,d MiB%n",
        sparkRss / 1024, duck.peakRssKib() / 1024);
    DuckDbPipeline.printTables(duck, out);

    List<Results.Measure> m = new ArrayList<>();
    m.add(new Results.Measure("full_load_seconds", full, "s"));
    m.add(new Results.Measure("full_load_events_per_second", historyLines / full, "events/s"));
    m.add(new Results.Measure("full_load_bronze_seconds", fullLoad.bronze(), "s"));
    m.add(new Results.Measure("full_load_silver_seconds", fullLoad.silver(), "s"));
    m.addAll(
        DuckDbPipeline.measures(
            duck,
            full,
            historyLines,
            "events/s",
            sparkRss,
            fullLoad.cpuSeconds(),
            fullLoad.stealShare()));
    m.addAll(fullLoad.cpu().measures());
    m.add(new Results.Measure("warm_full_load_seconds", warm.total(), "s"));
    m.add(new Results.Measure("warm_spark_cpu_seconds", warm.cpuSeconds(), "s"));
    m.add(
        new Results.Measure(
            "ratio_warm_spark_to_duckdb_cpu", warm.cpuSeconds() / duck.cpuSeconds(), "ratio"));
    m.add(new Results.Measure("warm_spark_task_cpu_seconds", warm.cpu().tasks(), "s"));
    m.add(new Results.Measure("warm_spark_jit_compiler_cpu_seconds", warm.cpu().jitCpu(), "s"));
    m.add(new Results.Measure("incremental_day_seconds", incYear, "s"));
    m.add(
        new Results.Measure(
            "incremental_day_events_per_second", lastDayLines / incYear, "events/s"));
    m.add(new Results.Measure("incremental_day_seconds_month_history", incMonth, "s"));
    m.add(new Results.Measure("ratio_incremental_to_full", incYear / full, "ratio"));
    m.add(
        new Results.Measure(
            "ratio_incremental_year_to_month_history", incYear / incMonth, "ratio"));
    return m;
  }

  /**
   * A load's seconds per job, and the CPU seconds it used and the host's stolen share meanwhile.
   */
  record Load(LakeRuntime rt, double bronze, double silver, SparkCpu.Breakdown cpu) {
    double cpuSeconds() {
      return cpu.cpu();
    }

    double stealShare() {
      return cpu.stealShare();
    }

    double total() {
      return bronze + silver;
    }
  }

  /** Runs bronze then silver for {@code date} with the given lookback. */
  private static Load load(
      Path lake, Path events, LocalDate date, int lookback, String what, PrintWriter out) {
    SonghongConfig config =
        SonghongConfig.of(
            java.util.Map.of(
                SonghongConfig.LAKE_PATH.key(), lake.toString(),
                SonghongConfig.EVENTS_DIR.key(), events.toString(),
                SonghongConfig.EVENTS_LOOKBACK_DAYS.key(), String.valueOf(lookback)));
    LakeRuntime rt = new LakeRuntime(SparkSessions.create(config, "songhong-bench"), config);
    SparkCpu cpu = SparkCpu.start(rt.spark());
    long t = System.nanoTime();
    rt.run(JobRegistry.get(LogisticsEventsBronzeJob.NAME), date);
    double bronze = (System.nanoTime() - t) / 1e9;
    rt.run(JobRegistry.get(LogisticsEventsSilverJob.NAME), date);
    double silver = (System.nanoTime() - t) / 1e9 - bronze;
    Load l = new Load(rt, bronze, silver, cpu.stop());
    out.printf("  %-40s %8.1f s%n", what, l.total());
    out.flush();
    return l;
  }

  private static long countLines(Path events, LocalDate d) throws Exception {
    long n = 0;
    for (String feed : LogisticsEventsBronzeJob.FEEDS) {
      try (var files = Files.list(events.resolve(feed).resolve(d.toString()))) {
        for (Path f : files.toList()) {
          byte[] b = Files.readAllBytes(f);
          if (f.toString().endsWith(".gz")) {
            b =
                new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(b))
                    .readAllBytes();
          }
          n +=
              new String(b, java.nio.charset.StandardCharsets.UTF_8)
                  .lines()
                  .filter(l -> !l.isBlank())
                  .count();
        }
      }
    }
    return n;
  }

  /** Moves each feed's folder of {@code day} from one events folder to the other. */
  private static void moveDay(Path from, Path to, LocalDate day) throws Exception {
    for (String feed : LogisticsEventsBronzeJob.FEEDS) {
      Files.createDirectories(to.resolve(feed));
      Files.move(
          from.resolve(feed).resolve(day.toString()), to.resolve(feed).resolve(day.toString()));
    }
  }

  private static void copyDir(Path from, Path to) throws Exception {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }
}
