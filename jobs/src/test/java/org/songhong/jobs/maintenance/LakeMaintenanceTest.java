package org.songhong.jobs.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.songhong.SparkTestSession;
import org.songhong.config.SonghongConfig;
import org.songhong.error.SonghongException;
import org.songhong.job.JobRegistry;
import org.songhong.job.LakeRuntime;
import org.songhong.ops.Pins;

class LakeMaintenanceTest {
  private static final String T = "ops.quality_daily";
  private static final LocalDate DAY = LocalDate.of(2026, 1, 5);

  @TempDir Path dir;

  private LakeRuntime lake(String minRetentionHours) {
    return lake(minRetentionHours, T + ", ops.pinned_versions");
  }

  private LakeRuntime lake(String minRetentionHours, String tables) {
    return new LakeRuntime(
        SparkTestSession.get(),
        SonghongConfig.of(
            Map.of(
                "songhong.lake.path",
                dir.resolve("lake").toString(),
                "songhong.input.dir",
                dir.resolve("in").toString(),
                "songhong.maintenance.vacuum.retention.hours",
                minRetentionHours,
                "songhong.maintenance.optimize.min.files",
                "3",
                "songhong.maintenance.tables",
                tables),
            Map.of()));
  }

  /**
   * Replaces the table's rows with one row of the given value (one new version; the old files
   * become history).
   */
  private static void version(LakeRuntime rt, long value) {
    List<Row> rows = List.of(RowFactory.create(Date.valueOf(DAY), "job", "t", "m", value));
    rt.writer().replace(T, rt.spark().createDataFrame(rows, rt.lake().contract(T).writeSchema()));
  }

  private static List<Long> valuesAt(LakeRuntime rt, long version) {
    return rt
        .spark()
        .sql("SELECT value FROM " + T + " VERSION AS OF " + version)
        .collectAsList()
        .stream()
        .map(r -> r.getLong(0))
        .toList();
  }

  private static Row logRow(LakeRuntime rt, String table) {
    return rt.spark()
        .sql(
            "SELECT files_before, files_after, optimized, files_vacuumed, retention_hours, oldest_pinned_version "
                + "FROM ops.maintenance_log WHERE table_name = '"
                + table
                + "' ORDER BY maintained_at DESC LIMIT 1")
        .collectAsList()
        .get(0);
  }

  /** Sets the modification time of the table's data files (not its log's) hours back. */
  private static void ageDataFiles(Path table, int hours) throws java.io.IOException {
    java.nio.file.attribute.FileTime then =
        java.nio.file.attribute.FileTime.from(Instant.now().minus(hours, ChronoUnit.HOURS));
    try (var files = java.nio.file.Files.walk(table)) {
      for (Path f : files.filter(java.nio.file.Files::isRegularFile).toList()) {
        if (!table.relativize(f).toString().startsWith("_")) {
          java.nio.file.Files.setLastModifiedTime(f, then);
        }
      }
    }
  }

  private static org.apache.hadoop.fs.FileStatus file(String path, Instant written) {
    return new org.apache.hadoop.fs.FileStatus(
        1, false, 1, 1, written.toEpochMilli(), new org.apache.hadoop.fs.Path("file:" + path));
  }

  @Test
  void vacuumIsDueOnlyForAFileNoVersionUsesWrittenBeforeTheRetention() {
    Instant now = Instant.parse("2026-12-06T12:00:00Z");
    java.util.Set<String> used = java.util.Set.of("/lake/t/a.parquet");
    var inUse = file("/lake/t/a.parquet", now.minus(30, ChronoUnit.DAYS));
    var replacedToday = file("/lake/t/b.parquet", now.minus(5, ChronoUnit.HOURS));
    var replacedLastMonth = file("/lake/t/c.parquet", now.minus(30, ChronoUnit.DAYS));
    assertThat(LakeMaintenanceJob.vacuumDue(List.of(inUse), used, 168, now)).isFalse();
    assertThat(LakeMaintenanceJob.vacuumDue(List.of(inUse, replacedToday), used, 168, now))
        .isFalse();
    assertThat(LakeMaintenanceJob.vacuumDue(List.of(inUse, replacedToday), used, 4, now)).isTrue();
    assertThat(LakeMaintenanceJob.vacuumDue(List.of(inUse, replacedToday), used, 0, now)).isTrue();
    assertThat(LakeMaintenanceJob.vacuumDue(List.of(inUse, replacedLastMonth), used, 168, now))
        .isTrue();
  }

  @Test
  void retentionIsTheMinimumOrLongEnoughToReachThePinnedCommit() {
    Instant now = Instant.parse("2026-11-27T12:00:00Z");
    assertThat(LakeMaintenanceJob.retentionHours(168, null, now)).isEqualTo(168);
    assertThat(LakeMaintenanceJob.retentionHours(0, null, now)).isZero();
    // 30 minutes old: round up to 1 hour, plus 1 hour of margin
    assertThat(LakeMaintenanceJob.retentionHours(0, now.minus(30, ChronoUnit.MINUTES), now))
        .isEqualTo(2);
    // 10 days old: 240 hours, plus the margin, beats the 7-day minimum
    assertThat(LakeMaintenanceJob.retentionHours(168, now.minus(10, ChronoUnit.DAYS), now))
        .isEqualTo(241);
    // a young pin never lowers the minimum
    assertThat(LakeMaintenanceJob.retentionHours(168, now.minus(1, ChronoUnit.HOURS), now))
        .isEqualTo(168);
  }

  @Test
  void vacuumRemovesUnpinnedHistoryButAPinnedVersionStaysReadable() throws Exception {
    LakeRuntime rt = lake("0");
    version(rt, 1);
    long v1 = rt.lake().version(rt.lake().contract(T));
    version(rt, 2);
    long v2 = rt.lake().version(rt.lake().contract(T));
    List<Pins.Pin> pins =
        new Pins(rt.lake(), rt.writer()).create("report-2026-01", List.of(T), "January bulletin");
    assertThat(pins).singleElement().satisfies(p -> assertThat(p.version()).isEqualTo(v2));
    version(rt, 3);
    assertThat(valuesAt(rt, v1)).containsExactly(1L);
    // A later pin of the same table: the retention follows the oldest, which maintenance reads
    // from the pins' log with Delta Kernel (no Spark job: a fresh JVM's first query cost 10 s)
    new Pins(rt.lake(), rt.writer()).create("report-2026-02", List.of(T), "February bulletin");
    java.util.Map<String, Pins.Pin> oldest = new java.util.HashMap<>();
    assertThat(
            SparkTestSession.jobsDuring(
                rt.spark(), () -> oldest.putAll(new Pins(rt.lake(), rt.writer()).oldestPerTable())))
        .as("Spark jobs to read the pins")
        .isZero();
    assertThat(oldest.get(T))
        .satisfies(
            p -> {
              assertThat(p.pin()).isEqualTo("report-2026-01");
              assertThat(p.version()).isEqualTo(v2);
            });
    // A file no version uses, as a killed write leaves: the folder no longer matches the version,
    // so VACUUM runs.
    java.nio.file.Path stray =
        dir.resolve("lake/ops/pinned_versions/part-00000-left-by-a-killed-write.snappy.parquet");
    java.nio.file.Files.writeString(stray, "not a parquet file");
    // T's files written three hours ago: older than the retention the pin needs (1-2 h), so VACUUM
    // is due (files younger than the retention could not be deleted: it would be skipped)
    ageDataFiles(dir.resolve("lake/ops/quality_daily"), 3);

    rt.run(JobRegistry.get(LakeMaintenanceJob.NAME), DAY);
    assertThat(stray).doesNotExist();
    assertThat(logRow(rt, "ops.pinned_versions").getLong(3))
        .as("files vacuumed from ops.pinned_versions")
        .isEqualTo(1);

    // the pinned version still reads, and the table is whole
    assertThat(valuesAt(rt, v2)).containsExactly(2L);
    assertThat(rt.spark().table(T).collectAsList())
        .extracting(r -> r.getLong(4))
        .containsExactly(3L);
    Row log = logRow(rt, T);
    // the pin is seconds old: one whole hour (its age rounded up) and the hour of margin; never 0
    assertThat(log.getLong(4)).as("retention hours").isBetween(1L, 2L);
    assertThat(log.getLong(5)).as("oldest pinned version").isEqualTo(v2);
    // Delta 4 takes the retention from the table property (it ignores RETAIN n HOURS other than 0)
    assertThat(
            rt.spark()
                .sql("SHOW TBLPROPERTIES " + T + " ('delta.deletedFileRetentionDuration')")
                .first()
                .getString(1))
        .isEqualTo("interval " + log.getLong(4) + " hours");

    // the same history without the pin, and a minimum of 0: VACUUM removes what only old versions
    // read
    new Pins(rt.lake(), rt.writer()).drop("report-2026-01");
    new Pins(rt.lake(), rt.writer()).drop("report-2026-02");
    rt.run(JobRegistry.get(LakeMaintenanceJob.NAME), DAY);
    assertThat(logRow(rt, T).getLong(3)).as("files vacuumed").isGreaterThanOrEqualTo(2);
    assertThat(logRow(rt, T).isNullAt(5)).isTrue();
    assertThatThrownBy(() -> valuesAt(rt, v2)).hasMessageContaining("does not exist");
    assertThat(rt.spark().table(T).collectAsList())
        .extracting(r -> r.getLong(4))
        .containsExactly(3L);
  }

  @Test
  void theDefaultMinimumKeepsAWeekOfHistoryAndOptimizeCompactsSmallFiles() {
    LakeRuntime rt = lake("168");
    for (int i = 1; i <= 4; i++) {
      List<Row> rows =
          List.of(RowFactory.create(Date.valueOf(DAY.plusDays(i)), "job", "t", "m", (long) i));
      rt.writer().append(T, rt.spark().createDataFrame(rows, rt.lake().contract(T).writeSchema()));
    }
    long beforeMaintenance = rt.lake().version(rt.lake().contract(T));
    rt.run(JobRegistry.get(LakeMaintenanceJob.NAME), DAY);

    Row log = logRow(rt, T);
    assertThat(log.getLong(0)).as("files before").isEqualTo(4);
    assertThat(log.getBoolean(2)).as("optimized").isTrue();
    assertThat(log.getLong(1)).as("files after").isEqualTo(1);
    assertThat(log.getLong(3)).as("files vacuumed").isZero();
    assertThat(log.getLong(4)).isEqualTo(168);
    assertThat(rt.spark().sql("SELECT sum(value) FROM " + T).first().getLong(0)).isEqualTo(10);
    assertThat(valuesAt(rt, beforeMaintenance)).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
    // the four files OPTIMIZE replaced are minutes old, younger than the week VACUUM keeps: no
    // VACUUM could delete them, so none ran (nor the retention property's commit before one)
    assertThat(rt.spark().sql("DESCRIBE HISTORY " + T).selectExpr("operation").collectAsList())
        .extracting(r -> r.getString(0))
        .noneMatch(op -> op.startsWith("VACUUM") || op.equals("SET TBLPROPERTIES"));
    // A table whose folder holds only the current version's files has nothing to vacuum: no VACUUM,
    // and no retention property set for one (each a commit and seconds of Spark jobs a table).
    assertThat(logRow(rt, "ops.pinned_versions").getLong(3)).as("files vacuumed").isZero();
    assertThat(
            rt.spark()
                .sql("DESCRIBE HISTORY ops.pinned_versions")
                .selectExpr("operation")
                .collectAsList())
        .extracting(r -> r.getString(0))
        .containsOnly("CREATE TABLE");
  }

  /** One vessel call on {@code day}: a file of its own in that day's partition. */
  private static void call(LakeRuntime rt, int day, int hour) {
    rt.writer()
        .append(
            "silver.vessel_calls",
            rt.spark()
                .sql(
                    String.format(
                        "SELECT DATE'2025-03-%02d' AS arrival_date,"
                            + " TIMESTAMP'2025-03-%02d %02d:00:00' AS arrival_time,"
                            + " CAST(NULL AS TIMESTAMP) AS departure_time, 'T1' AS terminal_id,"
                            + " '9074729' AS vessel_imo, 10 AS moves, 'f.jsonl' AS source_file,"
                            + " 'abc' AS source_checksum, %d AS source_line, 'r' AS run_id",
                        day, day, hour, day * 100 + hour)));
  }

  @Test
  void aTableWithOneFilePerPartitionIsNotRewrittenAndTwoInOnePartitionAreCompacted() {
    LakeRuntime rt = lake("168", "silver.vessel_calls");
    for (int day = 1; day <= 4; day++) {
      call(rt, day, 8);
    }
    rt.run(JobRegistry.get(LakeMaintenanceJob.NAME), DAY);
    Row log = logRow(rt, "silver.vessel_calls");
    assertThat(log.getLong(0)).as("files before").isEqualTo(4);
    assertThat(log.getBoolean(2)).as("optimized").isFalse();
    assertThat(log.getLong(1)).as("files after").isEqualTo(4);

    call(rt, 2, 17); // a second file in one partition
    rt.run(JobRegistry.get(LakeMaintenanceJob.NAME), DAY);
    log = logRow(rt, "silver.vessel_calls");
    assertThat(log.getLong(0)).as("files before").isEqualTo(5);
    assertThat(log.getBoolean(2)).as("optimized").isTrue();
    assertThat(log.getLong(1)).as("files after").isEqualTo(4);
    assertThat(
            rt.spark()
                .sql("DESCRIBE HISTORY silver.vessel_calls")
                .selectExpr("operation")
                .collectAsList())
        .extracting(r -> r.getString(0))
        .containsOnlyOnce("OPTIMIZE");
    assertThat(rt.spark().sql("SELECT count(*) FROM silver.vessel_calls").first().getLong(0))
        .isEqualTo(5);
  }

  @Test
  void pinsRefuseDuplicateNamesAndUnknownTables() {
    LakeRuntime rt = lake("168");
    Pins pins = new Pins(rt.lake(), rt.writer());
    assertThatThrownBy(() -> pins.create("x", List.of("gold.nope"), null))
        .isInstanceOf(SonghongException.class)
        .hasMessageContaining("Unknown table 'gold.nope'");
    assertThatThrownBy(() -> pins.create("bad name!", List.of(T), null))
        .hasMessageContaining("Invalid value 'bad name!'");
    version(rt, 1);
    pins.create("a", List.of(T), null);
    assertThatThrownBy(() -> pins.create("a", List.of(T), null))
        .hasMessageContaining("Pin 'a' exists");
    assertThatThrownBy(() -> pins.drop("b")).hasMessageContaining("Unknown pin 'b'");
    assertThat(
            rt.spark()
                .sql("SHOW TBLPROPERTIES " + T + " ('delta.logRetentionDuration')")
                .first()
                .getString(1))
        .isEqualTo("interval 3650 days");
  }

  @Test
  void theQualitySummaryCountsTheDaysQuarantineByRuleAndRunsByStateAndARerunChangesNothing() {
    LakeRuntime rt = lake("168");
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    List<Row> rejects = new ArrayList<>();
    for (int line = 1; line <= 3; line++) {
      rejects.add(
          RowFactory.create(
              "silver.gate_moves",
              "logistics_events_silver",
              "r1",
              "f.jsonl",
              "abc",
              "",
              line,
              0,
              "{}",
              line < 3 ? "duplicate_event" : "bad_json",
              "why",
              java.sql.Timestamp.from(Instant.now())));
    }
    rt.writer()
        .append(
            "ops.quarantine",
            rt.spark()
                .createDataFrame(rejects, rt.lake().contract("ops.quarantine").writeSchema()));
    rt.run(JobRegistry.get(QualitySummaryJob.NAME), today);
    Map<String, Long> measures = new java.util.TreeMap<>();
    rt.spark()
        .sql("SELECT job, measure, value FROM " + T + " WHERE summary_date = current_date()")
        .collectAsList()
        .forEach(r -> measures.put(r.getString(0) + " " + r.getString(1), r.getLong(2)));
    assertThat(measures)
        .containsEntry("logistics_events_silver quarantined:duplicate_event", 2L)
        .containsEntry("logistics_events_silver quarantined:bad_json", 1L)
        .containsEntry("quality_summary runs:running", 1L);

    long v = rt.lake().version(rt.lake().contract(T));
    rt.run(JobRegistry.get(QualitySummaryJob.NAME), today.minusDays(1));
    assertThat(rt.lake().version(rt.lake().contract(T)))
        .as("an empty day writes nothing")
        .isEqualTo(v);
  }
}
