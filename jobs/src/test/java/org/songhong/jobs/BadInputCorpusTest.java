package org.songhong.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.songhong.SparkTestSession;
import org.songhong.config.SonghongConfig;
import org.songhong.job.JobRegistry;
import org.songhong.job.LakeRuntime;

/**
 * The corpus of bad statistics files (src/test/resources/corpus): each fault ends in quarantine
 * with a rule and a reason naming the file, sheet, row and column, and the rest still loads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputCorpusTest {
  private LakeRuntime rt;

  @BeforeAll
  void load(@TempDir Path dir) throws Exception {
    Path schemas = dir.resolve("schemas");
    copy(Path.of("..", "schemas"), schemas);
    try (Stream<Path> old = Files.list(schemas.resolve("sources"))) {
      for (Path p : old.toList()) {
        Files.delete(p);
      }
    }
    copy(Path.of("..", "jobs", "src/test/resources/corpus-sources"), schemas.resolve("sources"));
    Path corpus = dir.resolve("corpus");
    copy(Path.of("..", "jobs", "src/test/resources/corpus"), corpus);
    writeParquetDrops(corpus.resolve("provincial"), dir.resolve("tmp"));
    rt = new LakeRuntime(SparkTestSession.get(), SonghongConfig.of(Map.of(
        "songhong.lake.path", dir.resolve("lake").toString(),
        "songhong.input.dir", corpus.toString(),
        "songhong.schemas.dir", schemas.toString()), Map.of()));
    rt.run(JobRegistry.get("provincial_stats_bronze"), LocalDate.of(2025, 1, 1));
    rt.run(JobRegistry.get("provincial_stats_silver"), LocalDate.of(2025, 1, 1));
  }

  /**
   * Two Parquet drops from "another system": one whose schema drifted from the contract (the year
   * column renamed), one cut off halfway through the copy (a file still being written when read).
   */
  private static void writeParquetDrops(Path provincial, Path tmp) throws Exception {
    var spark = SparkTestSession.get();
    spark.sql("SELECT 'grdp_current_prices' AS indicator, 'Hải Phòng' AS province, 2024 AS yr, 100.0 AS value, "
        + "'tỷ đồng' AS unit").coalesce(1).write().parquet(tmp.resolve("drifted").toString());
    Files.copy(single(tmp.resolve("drifted")), provincial.resolve("drifted.parquet"));
    spark.sql("SELECT 'grdp_current_prices' AS indicator, 'Hải Phòng' AS province, 2024 AS year, 100.0 AS value, "
        + "'tỷ đồng' AS unit").coalesce(1).write().parquet(tmp.resolve("whole").toString());
    byte[] whole = Files.readAllBytes(single(tmp.resolve("whole")));
    Files.write(provincial.resolve("truncated.parquet"), java.util.Arrays.copyOf(whole, whole.length / 2));
  }

  private static Path single(Path sparkOutput) throws Exception {
    try (Stream<Path> files = Files.list(sparkOutput)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
  }

  @Test
  void aParquetFileWhoseSchemaDriftedOrThatWasCutOffIsQuarantinedWholeAndTheRunGoesOn() {
    assertThat(quarantined("drifted.parquet")).containsExactly("bad_header@0");
    assertThat(reason("drifted.parquet", "bad_header")).isEqualTo("Cannot ingest provincial/drifted.parquet: the Parquet "
        + "file lacks column(s) year (expected indicator,province,year,value,unit)");
    assertThat(quarantined("truncated.parquet")).containsExactly("not_parquet@0");
    assertThat(reason("truncated.parquet", "not_parquet")).startsWith("Cannot ingest provincial/truncated.parquet: it is not "
        + "a readable Parquet file (").endsWith("); re-export it, or rename it to what it is");
  }

  private static void copy(Path from, Path to) throws Exception {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private List<String> quarantined(String file) {
    return rt.spark().sql("SELECT rule, source_line, reason FROM ops.quarantine WHERE source_file LIKE '%/" + file
        + "' ORDER BY source_line, rule").collectAsList().stream().map(r -> r.getString(0) + "@" + r.getInt(1)).toList();
  }

  private String reason(String file, String rule) {
    return rt.spark().sql("SELECT reason FROM ops.quarantine WHERE source_file LIKE '%/" + file + "' AND rule = '" + rule
        + "' ORDER BY source_line LIMIT 1").first().getString(0);
  }

  @Test
  void recordFaultsAreQuarantinedAndTheGoodLinesOfTheFileStillLoad() {
    assertThat(quarantined("faults_long.csv")).containsExactly("unknown_indicator@3", "not_a_number@4",
        "year_out_of_range@5", "conflicting_duplicate@6", "conflicting_duplicate@7");
    assertThat(reason("faults_long.csv", "unknown_indicator")).endsWith("faults_long.csv line 3: unknown indicator "
        + "'gdp_nominal' (use a code from schemas/reference/indicators.yaml, or add the indicator there)");
    assertThat(reason("faults_long.csv", "year_out_of_range")).endsWith("line 5: year 1899 is outside 1990..2100 "
        + "(check the year; the range is songhong.stats.year.min/max)");
    assertThat(reason("faults_long.csv", "conflicting_duplicate")).endsWith("line 6: poverty_rate for Hải Phòng in 2023 "
        + "appears 2 times with different values in release corpus (keep one line, or split the releases)");
    List<Row> loaded = rt.spark().sql("""
        SELECT indicator_code, value FROM silver.provincial_observations
        WHERE source_file LIKE '%/faults_long.csv' ORDER BY indicator_code""").collectAsList();
    assertThat(loaded).extracting(Row::toString).containsExactly("[grdp_current,400000.0]", "[population_avg,2100.0]");
  }

  @Test
  void wholeFileFaultsNameTheFileAndSayWhatToDo() {
    assertThat(quarantined("empty.csv")).containsExactly("empty_file@0");
    assertThat(quarantined("not_a_workbook.xlsx")).containsExactly("not_xlsx@0");
    assertThat(reason("not_a_workbook.xlsx", "not_xlsx")).isEqualTo("Cannot ingest provincial/not_a_workbook.xlsx: "
        + "it is not an .xlsx workbook (it is not a zip file; re-save it as Excel Workbook .xlsx, or rename it to what it is)");
    assertThat(quarantined("wrong_sheet.xlsx")).containsExactly("missing_sheet@0");
    assertThat(reason("wrong_sheet.xlsx", "missing_sheet")).isEqualTo("Cannot ingest provincial/wrong_sheet.xlsx: it has "
        + "no sheet 'GRDP' (its sheets are [GRDP 2025]; fix 'sheet' in the source descriptor)");
    assertThat(quarantined("unit_contradicts.csv")).containsExactly("unit_contradicts_descriptor@2");
    assertThat(reason("unit_contradicts.csv", "unit_contradicts_descriptor")).isEqualTo("Cannot ingest "
        + "provincial/unit_contradicts.csv: row 2 says the unit is 'Triệu đồng' but the source descriptor says 'Tỷ đồng' "
        + "(fix unit_as_printed and multiplier in schemas/sources/, or check that this is the right file)");
  }

  @Test
  void aYearbookTableLoadsWithVietnameseNumbersAndItsPreliminaryColumn() {
    List<Row> rows = rt.spark().sql("""
        SELECT geo_id, year, value, release_status, source_line, source_column FROM silver.provincial_observations
        WHERE source_file LIKE '%/wide_good.csv' ORDER BY geo_id, year""").collectAsList();
    assertThat(rows).extracting(Row::toString).containsExactly(
        "[VN-30,2023,1950.0,official,5,2]",
        "[VN-31,2023,2100.5,official,4,2]",
        "[VN-31,2024,2131.4,preliminary,4,3]");
    assertThat(quarantined("wide_good.csv")).containsExactly("not_a_number@5");
    assertThat(reason("wide_good.csv", "not_a_number")).endsWith("wide_good.csv sheet '' row 5 column C: value '12.8' is not "
        + "a number as this source writes them (locale vi: vi writes 445.995 and 12,8, en writes 445,995 and 12.8; fix the "
        + "cell or the descriptor's locale)");
  }

  @Test
  void everyRecordIsAccountedFor() {
    List<Row> metrics = rt.spark().sql("""
        SELECT t.rows_read, t.rows_written, t.rows_quarantined FROM ops.job_runs r LATERAL VIEW explode(r.tables) x AS t
        WHERE t.table IN ('bronze.provincial_stats_long', 'silver.provincial_observations')""").collectAsList();
    assertThat(metrics).hasSize(2).allSatisfy(m -> assertThat(m.getLong(0)).isEqualTo(m.getLong(1) + m.getLong(2)));
    // 7 + 4 records, 6 whole-file rejects; silver keeps 2 + 3.
    assertThat(metrics.get(0).getLong(0) + metrics.get(1).getLong(0)).isEqualTo(17 + 11);
  }
}
