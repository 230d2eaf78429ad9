package org.songhong.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.PrintWriter;
import java.io.StringWriter;
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
import org.songhong.cli.Main;
import org.songhong.config.SonghongConfig;
import org.songhong.job.JobRegistry;
import org.songhong.job.LakeRuntime;

/**
 * Issue #22 end to end: the SDMX-CSV and PC-Axis samples (data/sample/exchange, written by
 * tools/exchange-samples.py from published figures) are new releases with no code, through silver
 * to the attainment marts; and an SDMX-CSV export of that lake loads back, with the descriptor the
 * export writes, into an empty lake with the same figures and releases.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExchangeFormatsTest {
  private static final Path SAMPLES =
      Path.of("..", "data", "sample", "exchange").toAbsolutePath().normalize();
  private LakeRuntime rt;
  private Path dir;

  @BeforeAll
  void loadTheSamples(@TempDir Path dir) throws Exception {
    this.dir = dir;
    Path input = dir.resolve("input");
    org.songhong.TestFiles.copyTree(SAMPLES.resolve("sdmx"), input.resolve("provincial/sdmx"));
    org.songhong.TestFiles.copyTree(SAMPLES.resolve("px"), input.resolve("provincial/px"));
    rt =
        new LakeRuntime(
            SparkTestSession.get(),
            SonghongConfig.of(
                Map.of(
                    "songhong.lake.path",
                    dir.resolve("lake").toString(),
                    "songhong.input.dir",
                    input.toString()),
                Map.of()));
    for (String j :
        List.of("provincial_stats_bronze", "provincial_stats_silver", "provincial_marts")) {
      rt.run(JobRegistry.get(j), LocalDate.of(2025, 10, 1));
    }
  }

  private List<Row> sql(String q) {
    return rt.spark().sql(q).collectAsList();
  }

  @Test
  void eachFileIsAReleaseWithTheStatusDateAndSourcesItCarries() {
    assertThat(
            sql(
                """
        SELECT source_id, vintage, CAST(published_on AS STRING), release_status, count(*) FROM silver.provincial_observations
        GROUP BY ALL ORDER BY ALL"""))
        .extracting(Row::toString)
        .containsExactly(
            // LAST-UPDATED of the PX file, not a date in its descriptor
            "[exchange_px,px-sample-2025,2025-09-15,official,11]",
            "[exchange_sdmx_provisional,sdmx-sample-provisional,2025-01-15,preliminary,3]",
            // OBS_STATUS R marks the three figures that revise a provisional one
            "[exchange_sdmx_revised,sdmx-sample-revised,2025-09-15,official,13]",
            "[exchange_sdmx_revised,sdmx-sample-revised,2025-09-15,revised,3]");
    assertThat(
            sql(
                "SELECT vintage, value FROM silver.provincial_observations WHERE indicator_code = 'grdp_growth_real' "
                    + "AND geo_id = 'VN-31' AND year = 2021 ORDER BY vintage"))
        .extracting(Row::toString)
        .containsExactly("[sdmx-sample-provisional,12.5]", "[sdmx-sample-revised,12.38]");
    // GRDP written in VND with UNIT_MULT 9 is in billion VND; the PX file's Vietnamese names,
    // decoded from windows-1258,
    // are found in the geography.
    assertThat(
            sql(
                "SELECT value FROM silver.provincial_observations WHERE indicator_code = 'grdp_current' AND geo_id = 'VN-31'"))
        .extracting(r -> r.getDouble(0))
        .containsExactly(445995.0);
    assertThat(
            sql(
                "SELECT geo_id, name_as_published, value, unit FROM silver.provincial_observations "
                    + "WHERE source_id = 'exchange_px' AND indicator_code = 'grdp_per_capita' AND year = 2024 ORDER BY geo_id"))
        .extracting(Row::toString)
        .containsExactly(
            "[VN-01,Hà Nội,163.5,million VND]",
            "[VN-30,Hải Dương,107.4,million VND]",
            "[VN-35,Hà Nam,109.8,million VND]",
            "[VN-37,Ninh Bình,96.0,million VND]");
    assertThat(
            sql("SELECT count(*) FROM silver.provincial_observations WHERE provenance <> 'published' "
                    + "OR provenance_source NOT LIKE 'http%'")
                .get(0)
                .getLong(0))
        .isZero();
    // What is not loaded is accounted for: the half-year figure (FREQ S) and the PX file's empty
    // cells.
    assertThat(sql("SELECT rule, count(*) FROM ops.quarantine GROUP BY rule ORDER BY rule"))
        .extracting(Row::toString)
        .containsExactly("[no_value," + (3 * 7 * 4 - 11) + "]", "[not_selected,1]");
  }

  @Test
  void theRevisedSdmxReleaseAndThePxReleaseCarryTheirFiguresToTheTargets() {
    List<Row> r =
        sql(
            "SELECT measured_value, status, rests_on_illustrative, published_sources FROM gold.target_attainment "
                + "WHERE target_id = 'HP30-01' AND geo_id = 'VN-31' AND vintage = 'sdmx-sample-revised' AND as_of_year = 2024");
    assertThat(r).hasSize(1);
    // The average yearly growth since 2020, compounded, from the four published rates of 2021-2024.
    double average = (Math.pow(1.1238 * 1.1232 * 1.1034 * 1.1101, 1.0 / 4) - 1) * 100;
    assertThat(r.get(0).getDouble(0)).isCloseTo(average, within(1e-9));
    assertThat(r.get(0).getString(1)).isNotEqualTo("insufficient_data");
    assertThat(r.get(0).getBoolean(2)).isFalse();
    assertThat(r.get(0).getList(3).toString())
        .contains("https://vneconomy.vn/", "https://congly.vn/");
    // The PX release reaches the marts too: Hai Phong's per-capita GRDP of 2021 is HP30-05's figure
    // in that release
    // (one year only, so its status says there is not enough data yet), resting on its one
    // publication.
    List<Row> px =
        sql(
            "SELECT latest_value, status, illustrative_figures, published_sources FROM gold.target_attainment "
                + "WHERE target_id = 'HP30-05' AND geo_id = 'VN-31' AND vintage = 'px-sample-2025' AND as_of_year = 2021");
    assertThat(px).hasSize(1);
    assertThat(px.get(0).getDouble(0)).isEqualTo(152.3);
    assertThat(px.get(0).getString(1)).isEqualTo("insufficient_data");
    assertThat(px.get(0).getInt(2)).isZero();
    assertThat(px.get(0).getList(3).toString()).contains("https://soha.vn/");
  }

  @Test
  void anSdmxExportLoadsBackIntoAnEmptyLakeWithTheSameFiguresAndReleases() throws Exception {
    Path out = dir.resolve("export");
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int code =
        Main.execute(
            new String[] {
              "export",
              "--lake",
              dir.resolve("lake").toString(),
              "--out",
              out.toString(),
              "--format",
              "sdmx-csv,open-sdg"
            },
            new PrintWriter(o, true),
            new PrintWriter(e, true));
    assertThat(code).as(o + "\n" + e).isZero();
    List<String> obs = Files.readAllLines(out.resolve("sdmx/DF_OBSERVATIONS.csv"));
    assertThat(obs.get(0))
        .isEqualTo(
            "STRUCTURE,STRUCTURE_ID,ACTION,INDICATOR,REF_AREA,TIME_PERIOD,RELEASE,OBS_VALUE,"
                + "UNIT_MEASURE,UNIT_MULT,OBS_STATUS,RELEASE_DATE,PROVENANCE,SOURCE");
    assertThat(obs).hasSize(1 + 11 + 3 + 16);
    assertThat(obs)
        .anyMatch(
            l ->
                l.startsWith(
                    "dataflow,SONGHONG:DF_OBSERVATIONS(1.0),I,grdp_current,VN-31,2024,"
                        + "sdmx-sample-revised,445995,BILLION_VND,0,A,2025-09-15,published,https://cafef.vn/"));
    assertThat(Files.readAllLines(out.resolve("sdmx/DF_TARGET_ATTAINMENT.csv")))
        .anyMatch(
            l ->
                l.startsWith(
                    "dataflow,SONGHONG:DF_TARGET_ATTAINMENT(1.0),I,HP30-01,VN-31,2024,sdmx-sample-revised,"));

    // Open SDG: HP30-01 is indicator 30-1-1; its headline is Hai Phong's published growth in the
    // scorecard's release, the
    // other units of the release are the Geography disaggregation.
    assertThat(Files.readAllLines(out.resolve("open-sdg/data/indicator_30-1-1.csv")))
        .containsExactly(
            "Year,Geography,Units,Value",
            "2020,,%,11.22",
            "2021,,%,12.38",
            "2022,,%,12.32",
            "2023,,%,10.34",
            "2024,,%,11.01",
            "2020,Hà Nội,%,4.18",
            "2021,Hà Nội,%,2.92",
            "2023,Hà Nội,%,6.27",
            "2024,Hà Nội,%,6.52",
            "2021,Quảng Ninh,%,10.28",
            "2023,Quảng Ninh,%,11.03",
            "2024,Quảng Ninh,%,8.42");
    assertThat(Files.readString(out.resolve("open-sdg/meta/30-1-1.md")))
        .startsWith("---\nindicator_number: \"30.1.1\"\n")
        .contains(
            "reporting_status: \"complete\"",
            "songhong_target: \"HP30-01\"",
            "songhong_release: \"sdmx-sample-revised\"",
            "source_url_1: \"https://congly.vn/");

    // Another office: only the exported descriptor in its schemas, the CSV in its landing folder.
    Path schemas = dir.resolve("other/schemas");
    org.songhong.TestFiles.copyTree(Path.of("..", "schemas"), schemas);
    try (Stream<Path> s = Files.list(schemas.resolve("sources"))) {
      for (Path p : s.toList()) {
        Files.delete(p);
      }
    }
    Files.copy(
        out.resolve("sdmx/DF_OBSERVATIONS.source.yaml"),
        schemas.resolve("sources/from_export.yaml"));
    Path input = dir.resolve("other/input/provincial/sdmx");
    Files.createDirectories(input);
    Files.copy(out.resolve("sdmx/DF_OBSERVATIONS.csv"), input.resolve("DF_OBSERVATIONS.csv"));
    LakeRuntime other =
        new LakeRuntime(
            SparkTestSession.get(),
            SonghongConfig.of(
                Map.of(
                    "songhong.lake.path",
                    dir.resolve("other/lake").toString(),
                    "songhong.input.dir",
                    dir.resolve("other/input").toString(),
                    "songhong.schemas.dir",
                    schemas.toString()),
                Map.of()));
    for (String j : List.of("provincial_stats_bronze", "provincial_stats_silver")) {
      other.run(JobRegistry.get(j), LocalDate.of(2025, 10, 1));
    }
    String figures =
        "SELECT indicator_code, geo_id, year, vintage, CAST(published_on AS STRING), release_status, value, unit, "
            + "provenance, provenance_source FROM silver.provincial_observations ORDER BY ALL";
    List<String> here =
        rt.spark().sql(figures).collectAsList().stream().map(Row::toString).toList();
    List<String> there =
        other
            .spark()
            .read()
            .format("delta")
            .load(dir.resolve("other/lake/silver/provincial_observations").toString())
            .selectExpr(
                "indicator_code",
                "geo_id",
                "year",
                "vintage",
                "CAST(published_on AS STRING)",
                "release_status",
                "value",
                "unit",
                "provenance",
                "provenance_source")
            .orderBy("indicator_code", "geo_id", "year", "vintage")
            .collectAsList()
            .stream()
            .map(Row::toString)
            .toList();
    assertThat(there).hasSize(30).containsExactlyElementsOf(here);
    assertThat(
            other
                .spark()
                .read()
                .format("delta")
                .load(dir.resolve("other/lake/ops/quarantine").toString())
                .count())
        .isZero();
  }
}
