package org.songhong.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.songhong.jobs.SampleLake;

/** The songhong command line, run in-process on a lake built from the sample. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliTest {
  private String lake;

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  /**
   * The shared sample lake (the demo's, which run-tests builds once with the launcher): every
   * command here only reads it. Its own demo run cost this class a minute.
   */
  @BeforeAll
  void sampleLake(@TempDir Path dir) throws Exception {
    lake = SampleLake.shared(dir).toString();
  }

  @Test
  void theDemoPrintedEachJobAndTheScorecard() throws Exception {
    // What `songhong demo` printed when it built the sample lake (tools/sample-lake.sh keeps it).
    Path printed = Path.of(lake).getParent().resolve("demo.out");
    assertThat(printed)
        .as(
            "the demo's output (a sample lake built before tools/sample-lake.sh kept it: remove "
                + Path.of(lake).getParent()
                + " and run again)")
        .exists();
    String out = java.nio.file.Files.readString(printed);
    assertThat(out)
        .contains(
            "Generating the sample terminal event feeds",
            "231,564 events",
            "488,272 readings",
            "[1/10] provincial_stats_bronze",
            "[10/10] provincial_marts",
            "| HP30-01   | 2024 | moderate_progress     | 11.51 | ~ 12.8 (+/- 0.5)      |          13.7 | Needs 13.7%/yr",
            "| HP30-21   |",
            "28 rows",
            "Quarantined records: 1061",
            "Explore with: songhong sql");
  }

  @Test
  void sqlPrintsAnAlignedTableCsvAndJson() {
    Result table =
        run(
            "sql",
            "--lake",
            lake,
            "SELECT target_id, status FROM gold.target_attainment_latest WHERE target_id IN ('HP30-01','HP30-13') AND boundary = 'old' ORDER BY 1");
    assertThat(table.code()).as(table.err()).isZero();
    assertThat(table.out())
        .isEqualTo(
            """
        +-----------+-------------------+
        | target_id | status            |
        +-----------+-------------------+
        | HP30-01   | moderate_progress |
        | HP30-13   | on_track          |
        +-----------+-------------------+
        2 rows
        """);
    Result csv =
        run(
            "sql",
            "--lake",
            lake,
            "--format",
            "csv",
            "SELECT target_id, round(measured_value, 3) AS v FROM gold.target_attainment_latest WHERE target_id = 'HP30-01' AND geo_id = 'VN-31'");
    assertThat(csv.out()).isEqualTo("target_id,v\nHP30-01,11.509\n");
    // Hai Phong rows: 29 indicators x 9 years (yearbook 2023) + 29 x 10 (yearbook 2024) + 4
    // estimates
    // + 4 indicators x 2020-2024 in the 2025 yearbook (its 2025 figures are the merged city's) =
    // 575.
    Result json =
        run(
            "sql",
            "--lake",
            lake,
            "--format",
            "json",
            "SELECT geo_id, count(*) AS n FROM silver.provincial_observations WHERE geo_id = 'VN-31' GROUP BY geo_id");
    assertThat(json.out()).isEqualTo("{\"geo_id\":\"VN-31\",\"n\":575}\n");
  }

  @Test
  void tablesListsEveryTableWithRowsAndVersion() {
    Result r = run("tables", "--lake", lake, "--format", "csv");
    assertThat(r.code()).as(r.err()).isZero();
    // Bronze: 2,871 + 3,194 + 44 + 196 lines of the long CSVs, 330 cells of the 2025 yearbook, 30
    // Parquet
    // rows = 6,665; silver: all but the 30 quarantined. Port reports: 1,218 figures, 10 refused.
    // The
    // generated feeds: 231,564 event lines and 488,272 readings (their refusals make the rest of
    // the
    // quarantine's 1,061).
    assertThat(r.out())
        .contains(
            "gold.scorecard,28,",
            "silver.provincial_observations,6635,",
            "ops.quarantine,1061,",
            "bronze.provincial_stats_long,6665,",
            "bronze.logistics_stats_long,1218,",
            "silver.logistics_stats_monthly,1208,",
            "bronze.logistics_events,231564,",
            "bronze.env_readings,488272,");
  }

  @Test
  void errorsAreOneLineWithAMeaningfulExitCode() {
    Result unknownJob = run("run", "no_such_job", "--lake", lake);
    assertThat(unknownJob.code()).isEqualTo(2);
    assertThat(unknownJob.err())
        .isEqualTo(
            "songhong: Unknown job 'no_such_job': run 'songhong jobs' to list them "
                + "(known: provincial_stats_bronze, provincial_stats_silver, logistics_stats, logistics_events_bronze, "
                + "logistics_events_silver, logistics_marts, environment_bronze, environment_silver, environment_marts, provincial_marts, quality_summary, lake_maintenance)\n");
    Result badDate = run("run", "provincial_marts", "--date", "2025-13-01", "--lake", lake);
    assertThat(badDate.code()).isEqualTo(2);
    assertThat(badDate.err())
        .isEqualTo(
            "songhong: Invalid value '2025-13-01' for --date: expected a date such as 2025-01-31\n");
    Result badOption = run("sql", "--formt", "csv");
    assertThat(badOption.code()).isEqualTo(2);
    assertThat(badOption.err()).startsWith("songhong: Unknown option: '--formt'");
    Result badSql = run("sql", "--lake", lake, "SELECT * FROM gold.nope");
    assertThat(badSql.code()).isEqualTo(1);
    assertThat(badSql.err())
        .startsWith("songhong: Query failed: [TABLE_OR_VIEW_NOT_FOUND]")
        .doesNotContain("\tat ");
  }

  @Test
  void explainShowsTheFiguresTheirSourcesAndTheFormulas() {
    Result r = run("explain", "HP30-15a", "--lake", lake);
    assertThat(r.code()).as(r.err()).isZero();
    // Beds per 10,000 in 2020 and 2024 from the 2024 yearbook, with file and line.
    assertThat(r.out())
        .contains(
            "HP30-15a on VN-31 (old boundary), release yearbook-2025",
            "as of 2024",
            "hospital_beds_per_10k",
            "rrd_yearbook_2024_long.csv:",
            "x0 = ",
            "TV = 45 (2030)",
            "cs                           = (xt - x0) / (TV - x0)",
            "status = ");
    Result growth = run("explain", "HP30-01", "--vintage", "estimate-2024", "--lake", lake);
    assertThat(growth.out()).contains("release estimate-2024", "prod(1 + g_i)", "geometric mean");
    // The odds with their method and numbers: the changes drawn from, the draws, the seed, the
    // intervals.
    assertThat(r.out())
        .contains(
            "Odds of meeting the target in 2030",
            "bootstrapped from the 9 yearly changes known as of 2024",
            "2,000 draws, seed "
                + org.songhong.domain.targets.Odds.seed("HP30-15a|VN-31|yearbook-2025|2024"),
            "P(target met in 2030) = ",
            "80% interval",
            "95% interval");
    assertThat(growth.out())
        .contains("yearly rates known as of 2024", "(% a year over the period)");
    // Beds per 10,000 are invented for the sample: explain marks the status; HP30-01 in the 2024
    // estimate rests on
    // published rates only and names where they were published.
    assertThat(r.out())
        .contains("※ ", "illustrative (invented for the bundled sample): do not quote this status");
    assertThat(growth.out()).contains("published in: ").doesNotContain("※ ");
    // HP30-18's 2025 figure is computed from the demo's generated readings, whose folder says they
    // are illustrative
    // (_provenance.yaml): with the sample yearbooks' figures, every figure it rests on is
    // illustrative.
    Result zones = run("explain", "HP30-18", "--lake", lake);
    String used =
        zones
            .out()
            .substring(zones.out().indexOf("Figures used:"), zones.out().indexOf("Formulas"));
    long figures =
        used.lines().filter(l -> l.startsWith("  industrial_zones_wastewater_compliant")).count();
    assertThat(used)
        .contains("monitoring-", "gold.wastewater_compliance_yearly")
        .contains("※ " + figures + " of these figures are illustrative");
    // On the merged city in 2025 the odds are refused, and explain says why.
    Result merged = run("explain", "HP30-02", "--geo", "VN-31-2025", "--lake", lake);
    assertThat(merged.out()).contains("  none: the series crosses the boundary change of 2025");
    // A figure from a yearbook sheet names its cell: Hai Phong's 2020 GRDP in the 2025 edition.
    Result cell = run("explain", "HP30-02", "--lake", lake);
    assertThat(cell.out()).contains("rrd_yearbook_2025.xlsx GRDP!B6");
    // What if: HP30-01 at 11% a year from 2025 lands below the target, at 15% above its range (the
    // status the
    // marts would give in 2030 is in ProvincialPipelineTest); the path form; an unknown target.
    Result slow = run("scenario", "HP30-01", "--growth", "11", "--format", "json", "--lake", lake);
    assertThat(slow.code()).as(slow.err()).isZero();
    assertThat(slow.out())
        .contains(
            "\"target_id\":\"HP30-01\"",
            "\"geo_id\":\"VN-31\"",
            "\"target_met\":false",
            "\"status_if\":\"moderate_progress\"");
    Result path = run("scenario", "HP30-01", "--path", "12.8,13", "--lake", lake);
    assertThat(path.code()).as(path.err()).isZero();
    assertThat(path.out()).contains("HP30-01", "VN-31", "achieved");
    Result unknown = run("scenario", "HP30-99", "--growth", "5", "--lake", lake);
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).startsWith("songhong: Invalid value 'HP30-99' for TARGET_ID");
    Result missing = run("explain", "HP30-99", "--lake", lake);
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).startsWith("songhong: Invalid value 'HP30-99' for TARGET_ID");
  }

  @Test
  void reportWritesHtmlMarkdownAndCsv(@TempDir Path out) throws Exception {
    Result r = run("report", "--lake", lake, "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("| HP30-21", "Wrote ");
    String html = java.nio.file.Files.readString(out.resolve("scorecard.html"));
    assertThat(html.split("<tr><td><b>", -1)).hasSize(29);
    assertThat(html)
        .contains("Cần tăng 13,7%/năm từ nay để đạt mục tiêu", "<svg", "</html>")
        .doesNotContain("<script");
    // HP30-01's status in words, both languages, on its colour
    // (schemas/reference/presentation.yaml)
    assertThat(html)
        .contains("background:#f0b400\">Tiến triển vừa phải</span><div class=en>Moderate progress");
    assertThat(java.nio.file.Files.readAllLines(out.resolve("scorecard.csv"))).hasSize(29);
    assertThat(java.nio.file.Files.readString(out.resolve("scorecard.md")))
        .startsWith("# Hai Phong's 2030 targets");
  }

  @Test
  void sqlReadsStatementsFromStandardInputAndReportsFailures() {
    java.io.InputStream stdin = System.in;
    System.setIn(
        new java.io.ByteArrayInputStream(
            "SELECT 1 AS a;\nSELECT 'x'\n  AS b;\nSELECT * FROM gold.nope;\n"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    try {
      Result r = run("sql", "--lake", lake, "--format", "csv");
      assertThat(r.out()).isEqualTo("a\n1\nb\nx\n");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).startsWith("songhong: Query failed: [TABLE_OR_VIEW_NOT_FOUND]");
    } finally {
      System.setIn(stdin);
    }
  }

  @Test
  void helpAndJobs() {
    Result help = run("--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("demo", "run", "sql", "tables", "Exit codes:");
    Result jobs = run("jobs");
    assertThat(jobs.out()).startsWith("provincial_stats_bronze  Land provincial statistics files");
    assertThat(run("run", "--help").out())
        .contains("--date=YYYY-MM-DD", "--lake=PATH", "--conf=KEY=VALUE");
  }

  @Test
  void exportWritesTheWorkbookCsvAndParquetOfTheSameVersions(@TempDir Path out) throws Exception {
    Result r = run("export", "--lake", lake, "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("songhong-targets.xlsx", "scorecard.csv (28 rows", "dash_target_trends.parquet");
    java.util.Map<String, java.util.List<org.dhatim.fastexcel.reader.Row>> sheets =
        new java.util.LinkedHashMap<>();
    try (var wb =
        new org.dhatim.fastexcel.reader.ReadableWorkbook(
            out.resolve("songhong-targets.xlsx").toFile(),
            new org.dhatim.fastexcel.reader.ReadingOptions(true, false))) {
      for (var sheet : wb.getSheets().toList()) {
        sheets.put(sheet.getName(), sheet.read());
      }
    }
    assertThat(sheets).containsOnlyKeys("Scorecard", "Series", "About");
    var scorecard = sheets.get("Scorecard");
    assertThat(scorecard).hasSize(1 + 28);
    assertThat(scorecard.get(0).getCellAsString(4)).hasValue("Unit of measure");
    assertThat(scorecard.get(1).getCellAsString(0)).hasValue("HP30-01");
    assertThat(scorecard.get(1).getCellAsString(3))
        .hasValue("Average real GRDP growth of about 12.8% a year over 2021-2030");
    assertThat(scorecard.get(1).getCellAsString(4)).hasValue("% per year");
    // Statuses as words in both languages; figures as numbers with their unit's decimals.
    assertThat(scorecard.get(0).getCellAsString(5)).hasValue("Trạng thái");
    assertThat(scorecard.get(1).getCellAsString(5)).hasValue("Tiến triển vừa phải");
    assertThat(scorecard.get(1).getCellAsString(6)).hasValue("Moderate progress");
    var value = scorecard.get(1).getCell(7);
    assertThat(value.getType()).isEqualTo(org.dhatim.fastexcel.reader.CellType.NUMBER);
    assertThat(value.asNumber().doubleValue())
        .isCloseTo(11.509, org.assertj.core.data.Offset.offset(0.001));
    assertThat(value.getDataFormatString()).isEqualTo("#,##0.0");
    assertThat(scorecard.get(1).getCell(10).getDataFormatString())
        .as("growth still needed, %/yr")
        .isEqualTo("#,##0.0");
    // The mark on a status resting on illustrative figures (beds per 10,000, HP30-15a), and where
    // published ones were published.
    assertThat(scorecard.get(0).getCellAsString(20)).hasValue("Số liệu / Figures");
    var beds =
        scorecard.stream()
            .filter(row -> row.getCellAsString(0).orElse("").equals("HP30-15a"))
            .findFirst()
            .orElseThrow();
    assertThat(beds.getCellAsString(20))
        .hasValueSatisfying(v -> assertThat(v).startsWith("※ minh hoạ / illustrative"));
    // The chance of meeting HP30-01 as a percentage cell, its interval in the unit's decimals.
    assertThat(scorecard.get(0).getCellAsString(11)).hasValue("Chance of meeting it");
    var chance = scorecard.get(1).getCell(11);
    assertThat(chance.asNumber().doubleValue()).isStrictlyBetween(0.0, 1.0);
    assertThat(chance.getDataFormatString()).isEqualTo("0%");
    assertThat(scorecard.get(1).getCell(13).getDataFormatString())
        .as("80% interval, low")
        .isEqualTo("#,##0.0");
    assertThat(scorecard.get(1).getCell(13).asNumber().doubleValue())
        .isLessThan(scorecard.get(1).getCell(14).asNumber().doubleValue());
    var series = sheets.get("Series");
    java.util.List<String> csv =
        java.nio.file.Files.readAllLines(out.resolve("dash_target_trends.csv"));
    assertThat(series.size()).isEqualTo(csv.size()).isGreaterThan(28);
    assertThat(csv.get(0)).startsWith("target_id,geo_id,indicator_code,year,value,unit");
    assertThat(java.nio.file.Files.readAllLines(out.resolve("scorecard.csv"))).hasSize(1 + 28);
    var spark = org.songhong.SparkTestSession.get();
    assertThat(spark.read().parquet(out.resolve("scorecard.parquet").toString()).count())
        .isEqualTo(28);
    assertThat(spark.read().parquet(out.resolve("dash_target_trends.parquet").toString()).count())
        .isEqualTo(csv.size() - 1);
    assertThat(sheets.get("About").get(3).getCellAsString(1))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Delta version "));
    try (var files = java.nio.file.Files.list(out)) {
      assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("."));
    }
    Result bad = run("export", "--lake", lake, "--out", out.toString(), "--format", "pdf");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err())
        .contains(
            "Invalid value 'pdf' for --format: expected xlsx, csv, parquet, sdmx-csv or open-sdg");
  }
}
