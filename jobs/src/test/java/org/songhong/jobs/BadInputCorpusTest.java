package org.songhong.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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
    org.songhong.TestFiles.copyTree(Path.of("..", "schemas"), schemas);
    try (Stream<Path> old = Files.list(schemas.resolve("sources"))) {
      for (Path p : old.toList()) {
        Files.delete(p);
      }
    }
    org.songhong.TestFiles.copyTree(
        Path.of("..", "jobs", "src/test/resources/corpus-sources"), schemas.resolve("sources"));
    Path corpus = dir.resolve("corpus");
    org.songhong.TestFiles.copyTree(Path.of("..", "jobs", "src/test/resources/corpus"), corpus);
    writeParquetDrops(corpus.resolve("provincial"), dir.resolve("tmp"));
    rt =
        new LakeRuntime(
            SparkTestSession.get(),
            SonghongConfig.of(
                Map.of(
                    "songhong.lake.path", dir.resolve("lake").toString(),
                    "songhong.input.dir", corpus.toString(),
                    "songhong.schemas.dir", schemas.toString()),
                Map.of()));
    rt.run(JobRegistry.get("provincial_stats_bronze"), LocalDate.of(2025, 1, 1));
    rt.run(JobRegistry.get("provincial_stats_silver"), LocalDate.of(2025, 1, 1));
  }

  /**
   * Two Parquet drops from "another system": one whose schema drifted from the contract (the year
   * column renamed), one cut off halfway through the copy (a file still being written when read).
   */
  private static void writeParquetDrops(Path provincial, Path tmp) throws Exception {
    var spark = SparkTestSession.get();
    spark
        .sql(
            "SELECT 'grdp_current_prices' AS indicator, 'Hải Phòng' AS province, 2024 AS yr, 100.0 AS value, "
                + "'tỷ đồng' AS unit")
        .coalesce(1)
        .write()
        .parquet(tmp.resolve("drifted").toString());
    Files.copy(single(tmp.resolve("drifted")), provincial.resolve("drifted.parquet"));
    spark
        .sql(
            "SELECT 'grdp_current_prices' AS indicator, 'Hải Phòng' AS province, 2024 AS year, 100.0 AS value, "
                + "'tỷ đồng' AS unit")
        .coalesce(1)
        .write()
        .parquet(tmp.resolve("whole").toString());
    byte[] whole = Files.readAllBytes(single(tmp.resolve("whole")));
    Files.write(
        provincial.resolve("truncated.parquet"), java.util.Arrays.copyOf(whole, whole.length / 2));
  }

  private static Path single(Path sparkOutput) throws Exception {
    try (Stream<Path> files = Files.list(sparkOutput)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .findFirst()
          .orElseThrow();
    }
  }

  @Test
  void aParquetFileWhoseSchemaDriftedOrThatWasCutOffIsQuarantinedWholeAndTheRunGoesOn() {
    assertThat(quarantined("drifted.parquet")).containsExactly("bad_header@0");
    assertThat(reason("drifted.parquet", "bad_header"))
        .isEqualTo(
            "Cannot ingest provincial/drifted.parquet: the Parquet "
                + "file lacks column(s) year (expected indicator,province,year,value,unit)");
    assertThat(quarantined("truncated.parquet")).containsExactly("not_parquet@0");
    assertThat(reason("truncated.parquet", "not_parquet"))
        .startsWith(
            "Cannot ingest provincial/truncated.parquet: it is not " + "a readable Parquet file (")
        .endsWith("); re-export it, or rename it to what it is");
  }

  private List<String> quarantined(String file) {
    return rt
        .spark()
        .sql(
            "SELECT rule, source_line, reason FROM ops.quarantine WHERE source_file LIKE '%/"
                + file
                + "' ORDER BY source_line, rule")
        .collectAsList()
        .stream()
        .map(r -> r.getString(0) + "@" + r.getInt(1))
        .toList();
  }

  private String reason(String file, String rule) {
    return rt.spark()
        .sql(
            "SELECT reason FROM ops.quarantine WHERE source_file LIKE '%/"
                + file
                + "' AND rule = '"
                + rule
                + "' ORDER BY source_line LIMIT 1")
        .first()
        .getString(0);
  }

  @Test
  void recordFaultsAreQuarantinedAndTheGoodLinesOfTheFileStillLoad() {
    assertThat(quarantined("faults_long.csv"))
        .containsExactly(
            "unknown_indicator@3",
            "not_a_number@4",
            "year_out_of_range@5",
            "conflicting_duplicate@6",
            "conflicting_duplicate@7");
    assertThat(reason("faults_long.csv", "unknown_indicator"))
        .endsWith(
            "faults_long.csv line 3: unknown indicator "
                + "'gdp_nominal' (use a code from schemas/reference/indicators.yaml, or add the indicator there)");
    assertThat(reason("faults_long.csv", "year_out_of_range"))
        .endsWith(
            "line 5: year 1899 is outside 1990..2100 "
                + "(check the year; the range is songhong.stats.year.min/max)");
    assertThat(reason("faults_long.csv", "conflicting_duplicate"))
        .endsWith(
            "line 6: poverty_rate for Hải Phòng in 2023 "
                + "appears 2 times with different values in release corpus (keep one line, or split the releases)");
    List<Row> loaded =
        rt.spark()
            .sql(
                """
        SELECT indicator_code, value FROM silver.provincial_observations
        WHERE source_file LIKE '%/faults_long.csv' ORDER BY indicator_code""")
            .collectAsList();
    assertThat(loaded)
        .extracting(Row::toString)
        .containsExactly("[grdp_current,400000.0]", "[population_avg,2100.0]");
  }

  @Test
  void wholeFileFaultsNameTheFileAndSayWhatToDo() {
    assertThat(quarantined("empty.csv")).containsExactly("empty_file@0");
    assertThat(quarantined("not_a_workbook.xlsx")).containsExactly("not_xlsx@0");
    assertThat(reason("not_a_workbook.xlsx", "not_xlsx"))
        .isEqualTo(
            "Cannot ingest provincial/not_a_workbook.xlsx: "
                + "it is not an .xlsx workbook (it is not a zip file; re-save it as Excel Workbook .xlsx, or rename it to what it is)");
    assertThat(quarantined("wrong_sheet.xlsx")).containsExactly("missing_sheet@0");
    assertThat(reason("wrong_sheet.xlsx", "missing_sheet"))
        .isEqualTo(
            "Cannot ingest provincial/wrong_sheet.xlsx: it has "
                + "no sheet 'GRDP' (its sheets are [GRDP 2025]; fix 'sheet' in the source descriptor)");
    assertThat(quarantined("unit_contradicts.csv"))
        .containsExactly("unit_contradicts_descriptor@2");
    assertThat(reason("unit_contradicts.csv", "unit_contradicts_descriptor"))
        .isEqualTo(
            "Cannot ingest "
                + "provincial/unit_contradicts.csv: row 2 says the unit is 'Triệu đồng' but the source descriptor says 'Tỷ đồng' "
                + "(fix unit_as_printed and multiplier in schemas/sources/, or check that this is the right file)");
  }

  @Test
  void aYearbookTableLoadsWithVietnameseNumbersAndItsPreliminaryColumn() {
    List<Row> rows =
        rt.spark()
            .sql(
                """
        SELECT geo_id, year, value, release_status, source_line, source_column FROM silver.provincial_observations
        WHERE source_file LIKE '%/wide_good.csv' ORDER BY geo_id, year""")
            .collectAsList();
    assertThat(rows)
        .extracting(Row::toString)
        .containsExactly(
            "[VN-30,2023,1950.0,official,5,2]",
            "[VN-31,2023,2100.5,official,4,2]",
            "[VN-31,2024,2131.4,preliminary,4,3]");
    assertThat(quarantined("wide_good.csv")).containsExactly("not_a_number@5");
    assertThat(reason("wide_good.csv", "not_a_number"))
        .endsWith(
            "wide_good.csv sheet '' row 5 column C: value '12.8' is not "
                + "a number as this source writes them (locale vi: vi writes 445.995 and 12,8, en writes 445,995 and 12.8; fix the "
                + "cell or the descriptor's locale)");
  }

  @Test
  void anSdmxFileLoadsWhatItCanPlaceAndQuarantinesEachObservationItCannotWithTheFix() {
    assertThat(quarantined("sdmx_faults.csv"))
        .containsExactly(
            "not_a_number@3",
            "unit_mismatch@4",
            "csv_field_count@5",
            "unknown_code@6",
            "not_selected@7",
            "no_value@8",
            "csv_field_count@9");
    assertThat(reason("sdmx_faults.csv", "unit_mismatch"))
        .endsWith(
            "sdmx_faults.csv line 4: unit 'PC' (read as '%') does not "
                + "match grdp_current's unit 'billion VND' (convert the value, or fix the unit)");
    assertThat(reason("sdmx_faults.csv", "csv_field_count"))
        .endsWith(
            "sdmx_faults.csv line 5 has 10 fields, the header 9 (a key "
                + "with more or fewer dimensions than the header, or a cut-off line: export the file again)");
    assertThat(reason("sdmx_faults.csv", "unknown_code"))
        .endsWith(
            "line 6: INDICATOR code 'NGDP_FOO' is neither in the "
                + "descriptor corpus_sdmx's codes.indicator.map nor a catalog indicator (map it: NGDP_FOO: <code from "
                + "schemas/reference/indicators.yaml>)");
    assertThat(reason("sdmx_faults.csv", "not_selected"))
        .endsWith(
            "line 7: FREQ is 'Q' and the descriptor corpus_sdmx loads "
                + "FREQ=A only (counted here, not loaded)");
    assertThat(reason("sdmx_faults.csv", "not_a_number"))
        .contains("line 3: value 'abc' is not a number");
    // UNIT_MULT applied: 445995 at 10^9 and 400000000 at 10^6 are both billions; OBS_STATUS P is a
    // preliminary figure.
    List<Row> loaded =
        rt.spark()
            .sql(
                """
        SELECT indicator_code, year, value, release_status, vintage FROM silver.provincial_observations
        WHERE source_file LIKE '%/sdmx_faults.csv' ORDER BY indicator_code, year""")
            .collectAsList();
    assertThat(loaded)
        .extracting(Row::toString)
        .containsExactly(
            "[grdp_current,2023,400000.0,preliminary,corpus-sdmx]",
            "[grdp_current,2024,445995.0,official,corpus-sdmx]",
            "[grdp_growth_real,2023,10.34,official,corpus-sdmx]");
    assertThat(quarantined("sdmx_extra_dimension.csv")).containsExactly("unknown_dimension@1");
    assertThat(reason("sdmx_extra_dimension.csv", "unknown_dimension"))
        .isEqualTo(
            "Cannot ingest "
                + "provincial/sdmx_extra_dimension.csv: column(s) SECTOR are not placed by the descriptor corpus_sdmx: a dimension must "
                + "be selected (codes.select: {SECTOR: <the one value to load>}) or, if it is an attribute, ignored (codes.ignore), so "
                + "that observations of different series are not merged");
  }

  @Test
  void aPcAxisFileIsReadByItsCodePageAndACutOffOrMisdeclaredOneIsRefusedWhole() {
    List<Row> loaded =
        rt.spark()
            .sql(
                """
        SELECT geo_id, year, value, published_on, name_as_published FROM silver.provincial_observations
        WHERE source_file LIKE '%/px_good.px' ORDER BY geo_id, year""")
            .collectAsList();
    assertThat(loaded)
        .extracting(Row::toString)
        .containsExactly(
            "[VN-30,2023,1950.0,2025-03-01,Hải Dương]",
            "[VN-30,2024,1961.2,2025-03-01,Hải Dương]",
            "[VN-31,2023,2100.5,2025-03-01,Hải Phòng]");
    assertThat(quarantined("px_good.px")).containsExactly("no_value@12");
    assertThat(reason("px_good.px", "no_value"))
        .isEqualTo(
            "provincial/px_good.px line 12 value 2 (Tỉnh/thành phố=Hải Phòng, "
                + "Năm=2024): the cell is '..', PX's mark for a missing figure (nothing to load; kept here so every cell is accounted for)");
    assertThat(quarantined("px_truncated.px")).containsExactly("px_syntax@0");
    assertThat(reason("px_truncated.px", "px_syntax"))
        .isEqualTo(
            "Cannot ingest provincial/px_truncated.px: DATA (line 9) does "
                + "not end with ';' (is the file complete? download it again)");
    assertThat(quarantined("px_keys.px")).containsExactly("px_keys@0");
    assertThat(reason("px_keys.px", "px_keys"))
        .isEqualTo(
            "Cannot ingest provincial/px_keys.px: it stores its DATA sparsely "
                + "(KEYS(\"Tỉnh/thành phố\")), a PX form this reader does not read; export the table with every cell (no KEYS keyword)");
    assertThat(quarantined("px_wrong_codepage.px")).containsExactly("wrong_codepage@0");
    assertThat(reason("px_wrong_codepage.px", "wrong_codepage"))
        .isEqualTo(
            "Cannot ingest provincial/px_wrong_codepage.px: it "
                + "declares CODEPAGE \"windows-1258\" but its bytes are UTF-8, so its Vietnamese letters would be read garbled (write "
                + "CODEPAGE=\"utf-8\", or save the file in windows-1258)");
  }

  @Test
  void everyRecordIsAccountedFor() {
    List<Row> metrics =
        rt.spark()
            .sql(
                """
        SELECT t.rows_read, t.rows_written, t.rows_quarantined FROM ops.job_runs r LATERAL VIEW explode(r.tables) x AS t
        WHERE t.table IN ('bronze.provincial_stats_long', 'silver.provincial_observations')""")
            .collectAsList();
    assertThat(metrics)
        .hasSize(2)
        .allSatisfy(m -> assertThat(m.getLong(0)).isEqualTo(m.getLong(1) + m.getLong(2)));
    // Bronze reads 7 + 4 records and 6 whole-file rejects, then the exchange formats' 10 SDMX
    // lines, 4 whole-file rejects
    // and 4 PX cells; silver reads what bronze landed: 7 + 4, then 5 SDMX observations and 3 PX
    // cells.
    assertThat(metrics.get(0).getLong(0) + metrics.get(1).getLong(0))
        .isEqualTo(17 + 11 + (10 + 4 + 4) + (5 + 3));
  }
}
