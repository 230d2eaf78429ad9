package org.songhong.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.songhong.SparkTestSession;
import org.songhong.config.SonghongConfig;
import org.songhong.error.SonghongException;
import org.songhong.job.JobRegistry;
import org.songhong.job.LakeRuntime;
import org.songhong.sample.EnvironmentGenerator;
import org.songhong.sample.LogisticsEventGenerator;
import org.songhong.testing.BrokenInput;
import org.songhong.testing.BrokenInput.Fault;
import org.songhong.testing.LakeAccounting;

/**
 * No input stops a job: for each family, valid files are copied with every {@link Fault} of a
 * seeded generator (truncated lines and files, wrong encodings, random bytes, numbers out of range,
 * dates in the future, duplicated and conflicting lines, a column missing or added, an empty file)
 * and the family's jobs run on them. Every job succeeds; each broken file is in the ledger and its
 * records are all in bronze or in quarantine; for every run rows read = written + quarantined; a
 * rerun changes no table. Reference data that refers to nothing (a discharge point in an unknown
 * industrial zone) stops the run with one line naming the file, the line and the fix, and writes
 * nothing.
 */
class BrokenInputTest {
  private static final long SEED = 20251231L;
  private static final Fault[] ALL = Fault.values();

  private static LakeRuntime runtime(Path dir, Map<String, String> extra) {
    Map<String, String> conf = new LinkedHashMap<>(extra);
    conf.put("songhong.lake.path", dir.resolve("lake").toString());
    return new LakeRuntime(SparkTestSession.get(), SonghongConfig.of(conf, Map.of()));
  }

  private static void runJobs(LakeRuntime rt, List<String> jobs, LocalDate date) {
    for (String j : jobs) {
      rt.run(JobRegistry.get(j), date);
    }
  }

  /** Runs {@code jobs} again and checks that no table but the ledger moved. */
  private static void rerunChangesNothing(LakeRuntime rt, List<String> jobs, LocalDate date) {
    Map<String, Long> before = LakeAccounting.versions(rt);
    runJobs(rt, jobs, date);
    Map<String, Long> after = LakeAccounting.versions(rt);
    before.remove("ops.job_run_log");
    after.remove("ops.job_run_log");
    assertThat(after).isEqualTo(before);
  }

  @Test
  void provincialStatisticsSurviveEveryFault(@TempDir Path dir) throws IOException {
    Path schemas = dir.resolve("schemas");
    org.songhong.TestFiles.copyTree(Path.of("..", "schemas"), schemas);
    Files.writeString(
        schemas.resolve("sources/broken_long.yaml"),
        """
        source_id: broken_long
        family: provincial_stats
        layout: long_csv
        files: "provincial/broken/long_*.csv"
        vintage: broken-long
        published_on: 2025-03-01
        release_status: preliminary
        """,
        StandardCharsets.UTF_8);
    Files.writeString(
        schemas.resolve("sources/broken_wide.yaml"),
        """
        source_id: broken_wide
        family: provincial_stats
        layout: yearbook_wide
        files: "provincial/broken/wide_*.csv"
        vintage: broken-wide
        published_on: 2025-03-01
        release_status: official
        locale: vi
        sheets:
          - {indicator: population_avg, unit_as_printed: "Nghìn người"}
        """,
        StandardCharsets.UTF_8);
    Path broken = dir.resolve("input/provincial/broken");
    List<Path> files = new ArrayList<>();
    files.addAll(
        BrokenInput.write(
                SampleLake.SAMPLE.resolve("provincial/rrd_estimate_2024_long.csv"),
                broken,
                "long_",
                ".csv",
                SEED,
                ALL)
            .values());
    files.addAll(
        BrokenInput.write(
                Path.of("..", "jobs", "src/test/resources/corpus/provincial/wide_good.csv"),
                broken,
                "wide_",
                ".csv",
                SEED,
                ALL)
            .values());
    LakeRuntime rt =
        runtime(
            dir,
            Map.of(
                "songhong.input.dir",
                dir.resolve("input").toString(),
                "songhong.schemas.dir",
                schemas.toString()));
    List<String> jobs = List.of("provincial_stats_bronze", "provincial_stats_silver");
    LocalDate date = LocalDate.of(2025, 7, 1);

    runJobs(rt, jobs, date);

    LakeAccounting.everyRunAccounts(rt, jobs);
    LakeAccounting.filesLandedWhole(
        rt, "provincial_stats_bronze", "bronze.provincial_stats_long", files);
    // what bronze kept, silver conformed or quarantined
    assertThat(
            LakeAccounting.count(rt, "SELECT count(*) FROM silver.provincial_observations")
                + LakeAccounting.count(
                    rt,
                    "SELECT count(*) FROM ops.quarantine WHERE target_table = 'silver.provincial_observations'"))
        .isEqualTo(LakeAccounting.count(rt, "SELECT count(*) FROM bronze.provincial_stats_long"));
    assertThat(LakeAccounting.count(rt, "SELECT count(*) FROM silver.provincial_observations"))
        .isPositive();
    rerunChangesNothing(rt, jobs, date);
  }

  @Test
  void portReportsAndTerminalFeedsSurviveEveryFault(@TempDir Path dir) throws IOException {
    LocalDate day = LocalDate.of(2025, 12, 2);
    Path reports = dir.resolve("input/logistics/reports");
    List<Path> reportFiles = new ArrayList<>();
    reportFiles.addAll(
        BrokenInput.write(
                SampleLake.SAMPLE.resolve("logistics/reports/cang-vu-hai-phong_2024-01.csv"),
                reports,
                "cang-vu-hai-phong_2024-01.",
                ".csv",
                SEED,
                ALL)
            .values());
    reportFiles.addAll(
        BrokenInput.write(
                SampleLake.SAMPLE.resolve("logistics/reports/cang-hang-khong-cat-bi_2024-01.csv"),
                reports,
                "cang-hang-khong-cat-bi_2024-01.",
                ".csv",
                SEED,
                ALL)
            .values());
    Path events = dir.resolve("events");
    LogisticsEventGenerator.generate(
        events, day, day, new LogisticsEventGenerator.Settings(3, 0.01, 0.0, false), null);
    List<Path> eventFiles = new ArrayList<>();
    for (String feed : List.of("gate_moves", "vessel_calls")) {
      Path folder = events.resolve(feed + "/" + day);
      Path valid;
      try (Stream<Path> s = Files.list(folder)) {
        valid = s.sorted().findFirst().orElseThrow();
      }
      eventFiles.addAll(BrokenInput.write(valid, folder, "XBROKEN-", ".jsonl", SEED, ALL).values());
    }
    LakeRuntime rt =
        runtime(
            dir,
            Map.of(
                "songhong.input.dir",
                dir.resolve("input").toString(),
                "songhong.logistics.events.dir",
                events.toString(),
                "songhong.logistics.lookback.days",
                "0"));
    List<String> jobs =
        List.of("logistics_stats", "logistics_events_bronze", "logistics_events_silver");

    runJobs(rt, jobs, day);

    LakeAccounting.everyRunAccounts(rt, jobs);
    LakeAccounting.filesLandedWhole(
        rt, "logistics_stats", "bronze.logistics_stats_long", reportFiles);
    LakeAccounting.filesLandedWhole(
        rt, "logistics_events_bronze", "bronze.logistics_events", eventFiles);
    assertThat(LakeAccounting.count(rt, "SELECT count(*) FROM silver.gate_moves")).isPositive();
    rerunChangesNothing(rt, jobs, day);
  }

  @Test
  void monitorReadingsSurviveEveryFaultAndABrokenRegistryStopsWithOneLine(@TempDir Path dir)
      throws IOException {
    LocalDate day = LocalDate.of(2025, 6, 2);
    Path env = dir.resolve("environment");
    EnvironmentGenerator.Settings settings =
        new EnvironmentGenerator.Settings(2, 1, SEED, 0.0, false);
    EnvironmentGenerator.registry(env, settings);
    EnvironmentGenerator.readings(env, day.minusDays(1), day, settings, null);
    Path folder = env.resolve("readings/" + day);
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(folder)) {
      for (Path valid : s.sorted().toList()) {
        String name = valid.getFileName().toString();
        String stem = name.substring(0, name.indexOf('.'));
        String ext = name.contains(".csv") ? ".csv" : ".jsonl";
        files.addAll(BrokenInput.write(valid, folder, stem + ".", ext, SEED, ALL).values());
      }
    }
    LakeRuntime rt =
        runtime(
            dir,
            Map.of(
                "songhong.environment.dir",
                env.toString(),
                "songhong.environment.lookback.days",
                "1"));
    List<String> jobs = List.of("environment_bronze", "environment_silver", "environment_marts");

    // A discharge point in an industrial zone the registry does not have: reference data that
    // refers to nothing.
    Path stations = env.resolve("registry/stations.csv");
    String valid = Files.readString(stations, StandardCharsets.UTF_8);
    String dangling = valid.replaceFirst("(HP-WW-001,[^\\n]*?,)IZ-[A-Z]+,", "$1IZ-NOWHERE,");
    assertThat(dangling).isNotEqualTo(valid);
    Files.writeString(stations, dangling, StandardCharsets.UTF_8);
    Map<String, Long> before = LakeAccounting.versions(rt);
    assertThatThrownBy(() -> rt.run(JobRegistry.get("environment_bronze"), day))
        .isInstanceOf(SonghongException.class)
        .hasMessageContaining("stations.csv")
        .hasMessageContaining("line 4")
        .hasMessageContaining("IZ-NOWHERE")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    Map<String, Long> after = LakeAccounting.versions(rt);
    before.remove("ops.job_run_log");
    after.remove("ops.job_run_log");
    assertThat(after).as("a failed run writes nothing but its ledger row").isEqualTo(before);

    Files.writeString(stations, valid, StandardCharsets.UTF_8);
    runJobs(rt, jobs, day);

    LakeAccounting.everyRunAccounts(rt, List.of("environment_bronze", "environment_silver"));
    LakeAccounting.filesLandedWhole(rt, "environment_bronze", "bronze.env_readings", files);
    assertThat(
            LakeAccounting.count(rt, "SELECT count(*) FROM silver.env_readings")
                + LakeAccounting.count(
                    rt,
                    "SELECT count(*) FROM ops.quarantine WHERE target_table = 'silver.env_readings'"))
        .isEqualTo(LakeAccounting.count(rt, "SELECT count(*) FROM bronze.env_readings"));
    assertThat(
            LakeAccounting.count(
                rt, "SELECT count(*) FROM gold.aqi_daily WHERE date = DATE'" + day + "'"))
        .isPositive();
    // the marts read no file: their reruns are EnvironmentPipelineTest's
    rerunChangesNothing(rt, List.of("environment_bronze", "environment_silver"), day);
  }
}
