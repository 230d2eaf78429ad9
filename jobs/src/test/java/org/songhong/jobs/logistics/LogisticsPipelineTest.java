package org.songhong.jobs.logistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.songhong.SparkTestSession;
import org.songhong.config.SonghongConfig;
import org.songhong.job.Job;
import org.songhong.job.JobRegistry;
import org.songhong.job.LakeRuntime;
import org.songhong.jobs.SampleLake;
import org.songhong.sample.LogisticsEventGenerator;

/**
 * The logistics slice on real Delta tables: the bundled port and airport reports, generated event
 * feeds, and a hand-made file with one of each fault. The tests run in order, as days go by: day 2
 * is loaded, then a late file for day 1 and day 3's files arrive.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LogisticsPipelineTest {
  private static final LocalDate D1 = LocalDate.of(2025, 12, 1);
  private static final LocalDate D2 = LocalDate.of(2025, 12, 2);
  private static final LocalDate D3 = LocalDate.of(2025, 12, 3);
  private LakeRuntime rt;
  private Path events;

  // Hoang Dieu has no generated events, so its figures below come from these lines only.
  static final String HAND_MADE =
      String.join(
              "\n",
              "{\"container_id\":\"CSQU3054383\",\"iso_code\":\"22G1\",\"full_empty\":\"F\",\"direction\":\"IN\",\"event_time\":\"2025-12-02T10:00:00+07:00\",\"terminal\":\"HOANGDIEU\"}",
              "{\"container_id\":\"CSQU3054383\",\"iso_code\":\"22G1\",\"full_empty\":\"F\",\"direction\":\"IN\",\"event_time\":\"2025-12-02T10:00:00+07:00\",\"terminal\":\"HOANGDIEU\"}",
              "{\"container_id\":\"MSCU1234565\",\"iso_code\":\"42G1\",\"full_empty\":\"F\",\"direction\":\"IN\",\"event_time\":\"2025-12-02 10:00:00\",\"terminal\":\"HOANGDIEU\"}",
              "{\"container_id\":\"MSCU1234565\",\"iso_code\":\"42G1\",\"full_empty\":\"F\",\"direction\":\"IN\",\"event_time\":\"2025-12-02T11:00:00+07:00\",\"terminal\":\"ZZZ\"}",
              "{\"container_id\":\"MSCU1234565\",\"iso_code\":\"M5G1\",\"full_empty\":\"F\",\"direction\":\"IN\",\"event_time\":\"2025-12-02T12:00:00+07:00\",\"terminal\":\"HOANGDIEU\"}",
              "{\"container_id\":\"MSCU7654321\",\"iso_code\":\"L5G1\",\"full_empty\":\"E\",\"direction\":\"OUT\",\"event_time\":\"2025-12-01T23:30:00Z\",\"terminal\":\"Hoàng Diệu\"}",
              "not json at all",
              "{\"container_id\":\"MSCU0000001\"}",
              "{\"container_id\":\"MSCU0000002\",\"iso_code\":\"45G1\",\"full_empty\":\"F\",\"direction\":\"OUT\",\"event_time\":\"2025-12-02T12:00:00+07:00\",\"terminal\":\"HD\"}",
              "{\"container_id\":\"MSCU0000003\",\"iso_code\":\"42G1\",\"full_empty\":\"F\",\"direction\":\"OUT\",\"event_time\":\"2025-12-02T17:30:00Z\",\"terminal\":\"HOANGDIEU\"}",
              "{\"container_id\":\"MSCU0000004\",\"iso_code\":\"22G1\",\"full_empty\":\"F\",\"direction\":\"IN\",\"event_time\":\"2025-12-02T13:00:00+07:00\",\"terminal\":\"HOAN")
          + "\n";

  static final String HAND_MADE_CALLS =
      String.join(
              "\n",
              "{\"vessel_imo\":\"9074729\",\"terminal\":\"HOANGDIEU\",\"arrival\":\"2025-12-02T06:00:00+07:00\",\"departure\":\"2025-12-02T20:00:00+07:00\",\"moves\":420}",
              "{\"vessel_imo\":\"9074728\",\"terminal\":\"HOANGDIEU\",\"arrival\":\"2025-12-02T06:00:00+07:00\",\"moves\":10}",
              "{\"vessel_imo\":\"IMO 9074729\",\"terminal\":\"HOANGDIEU\",\"arrival\":\"2025-12-02T21:00:00+07:00\",\"departure\":\"2025-12-02T20:00:00+07:00\",\"moves\":1}",
              "{\"vessel_imo\":\"9074729\",\"terminal\":\"HOANGDIEU\",\"arrival\":\"2025-12-02T22:00:00+07:00\",\"moves\":-5}")
          + "\n";

  @BeforeAll
  void setUp(@TempDir Path dir) throws IOException {
    Path input = dir.resolve("input");
    Files.createDirectories(input.resolve("logistics"));
    copyTree(SampleLake.SAMPLE.resolve("logistics/reports"), input.resolve("logistics/reports"));
    events = dir.resolve("events");
    LogisticsEventGenerator.generate(
        events, D1, D3, new LogisticsEventGenerator.Settings(7, 0.02, 0.05, true), null);
    // Day 1's file of Hoang Dieu arrives late (after day 2 was loaded); day 3 arrives on day 3.
    Path late = dir.resolve("held-back");
    Files.createDirectories(late);
    Files.move(
        events.resolve("gate_moves/" + D1 + "/HICT.jsonl.gz"), late.resolve("HICT.jsonl.gz"));
    Files.move(events.resolve("gate_moves/" + D3), late.resolve("day3"));
    write(events.resolve("gate_moves/" + D2 + "/HOANGDIEU.jsonl"), HAND_MADE);
    write(events.resolve("vessel_calls/" + D2 + "/HOANGDIEU.jsonl"), HAND_MADE_CALLS);
    write(events.resolve("gate_moves/" + D2 + "/EMPTY.jsonl"), "");
    write(events.resolve("gate_moves/" + D2 + "/.HICT.jsonl.tmp"), "{\"being\": \"written\"");
    this.heldBack = late;
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("songhong.lake.path", dir.resolve("lake").toString());
    conf.put("songhong.input.dir", input.toString());
    conf.put("songhong.logistics.events.dir", events.toString());
    conf.put("songhong.logistics.lookback.days", "2");
    rt = new LakeRuntime(SparkTestSession.get(), SonghongConfig.of(conf, Map.of()));
  }

  private Path heldBack;

  private static void write(Path p, String text) throws IOException {
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> s = Files.list(from)) {
      for (Path p : s.toList()) {
        Files.copy(p, to.resolve(p.getFileName()));
      }
    }
  }

  private void runDay(LocalDate d) {
    for (String job :
        List.of(
            LogisticsStatsJob.NAME,
            LogisticsEventsBronzeJob.NAME,
            LogisticsEventsSilverJob.NAME,
            LogisticsMartsJob.NAME)) {
      rt.run(JobRegistry.get(job), d);
    }
  }

  private List<Row> sql(String q) {
    return rt.spark().sql(q).collectAsList();
  }

  private long count(String q) {
    return sql(q).get(0).getLong(0);
  }

  private long version(String table) {
    return rt.lake().version(rt.lake().contract(table));
  }

  @Test
  @Order(1)
  void dayTwoLoadsItsFilesAndEveryFaultEndsInQuarantineWithItsRule() {
    runDay(D2);
    List<Row> q =
        sql(
            "SELECT source_line, rule, reason FROM ops.quarantine WHERE source_file LIKE '%HOANGDIEU.jsonl' "
                + "AND source_file LIKE '%gate_moves%' ORDER BY source_line");
    assertThat(q)
        .extracting(r -> r.getInt(0) + ":" + r.getString(1))
        .containsExactly(
            "2:duplicate_event",
            "3:bad_timestamp",
            "4:unknown_terminal",
            "5:unknown_size_code",
            "7:bad_json",
            "8:missing_field",
            "11:bad_json");
    assertThat(q.get(0).getString(2)).contains("HOANGDIEU.jsonl line 2", "duplicate of", "line 1");
    assertThat(q.get(1).getString(2)).contains("2025-12-02 10:00:00", "offset");
    assertThat(q.get(3).getString(2)).contains("M5G1", "not guessed");
    assertThat(q.get(5).getString(2)).contains("iso_code", "event_time", "terminal");
    // Each rejected line keeps its text as it came (fetched back from bronze for the rejects only).
    Row raw =
        sql("SELECT count(*), count_if(q.raw_record IS DISTINCT FROM b.raw_line) FROM ops.quarantine q "
                + "LEFT JOIN bronze.logistics_events b ON b.source_checksum = q.source_checksum "
                + "AND b.source_line = q.source_line "
                + "WHERE q.target_table IN ('silver.gate_moves', 'silver.vessel_calls')")
            .get(0);
    assertThat(raw.getLong(0)).isPositive();
    assertThat(raw.getLong(1)).isZero();
    List<Row> calls =
        sql(
            "SELECT source_line, rule FROM ops.quarantine WHERE source_file LIKE '%vessel_calls%HOANGDIEU%' ORDER BY 1");
    assertThat(calls)
        .extracting(r -> r.getInt(0) + ":" + r.getString(1))
        .containsExactly("2:bad_imo", "3:departure_before_arrival", "4:bad_moves");
    assertThat(sql("SELECT rule, reason FROM ops.quarantine WHERE source_file LIKE '%EMPTY.jsonl'"))
        .singleElement()
        .satisfies(r -> assertThat(r.getString(0)).isEqualTo("empty_file"));
    // The file still being written (.tmp) was not read.
    assertThat(count("SELECT count(*) FROM bronze.logistics_events WHERE source_file LIKE '%.tmp'"))
        .isZero();
  }

  @Test
  @Order(2)
  void teuFollowsTheIsoSizeAndEventsFallOnTheirLocalDay() {
    // Lines 1 (20 ft), 6 (45 ft, 23:30 UTC on the 1st = 06:30 on the 2nd in Hai Phong) and 9 (40
    // ft) on the 2nd;
    // line 10 (17:30 UTC on the 2nd = 00:30 on the 3rd) on the 3rd.
    Row d2 =
        sql("SELECT gate_moves, gate_teu, gate_in, gate_out, full_moves, vessel_calls, vessel_moves "
                + "FROM silver.terminal_activity_daily WHERE terminal_id = 'HOANGDIEU' AND activity_date = DATE'2025-12-02'")
            .get(0);
    assertThat(d2.getLong(0)).isEqualTo(3);
    assertThat(d2.getDouble(1)).isEqualTo(1 + 2.25 + 2);
    assertThat(d2.getLong(2)).isEqualTo(1);
    assertThat(d2.getLong(3)).isEqualTo(2);
    assertThat(d2.getLong(4)).isEqualTo(2);
    assertThat(d2.getLong(5)).isEqualTo(1);
    assertThat(d2.getLong(6)).isEqualTo(420);
    Row d3 =
        sql("SELECT gate_moves, gate_teu FROM silver.terminal_activity_daily "
                + "WHERE terminal_id = 'HOANGDIEU' AND activity_date = DATE'2025-12-03'")
            .get(0);
    assertThat(d3.getLong(0)).isEqualTo(1);
    assertThat(d3.getDouble(1)).isEqualTo(2.0);
    assertThat(
            sql(
                "SELECT container_id_valid FROM silver.gate_moves WHERE container_id = 'CSQU3054383'"))
        .singleElement()
        .satisfies(r -> assertThat(r.getBoolean(0)).isTrue());
  }

  @Test
  @Order(3)
  void everyLineOfEveryFileEndsInATableOrInQuarantineAndTheCountsAddUp() throws IOException {
    long lines = 0;
    try (Stream<Path> files = Files.walk(events)) {
      // Day 3's files are not loaded yet (its vessel calls are already there); names starting "."
      // or "_" (the
      // generator's _provenance.yaml) are not data, as for the ingest jobs.
      for (Path f :
          files
              .filter(Files::isRegularFile)
              .filter(
                  p ->
                      !p.getFileName().toString().startsWith(".")
                          && !p.getFileName().toString().startsWith("_"))
              .filter(p -> !p.toString().contains("/" + D3 + "/"))
              .toList()) {
        byte[] b = Files.readAllBytes(f);
        if (f.toString().endsWith(".gz")) {
          b = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(b)).readAllBytes();
        }
        lines +=
            b.length == 0
                ? 1
                : new String(b, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).count();
      }
    }
    long bronze = count("SELECT count(*) FROM bronze.logistics_events");
    long bronzeRejects =
        count("SELECT count(*) FROM ops.quarantine WHERE target_table = 'bronze.logistics_events'");
    assertThat(bronze + bronzeRejects).isEqualTo(lines);
    long silver =
        count("SELECT count(*) FROM silver.gate_moves")
            + count("SELECT count(*) FROM silver.vessel_calls");
    long silverRejects =
        count(
            "SELECT count(*) FROM ops.quarantine WHERE target_table IN ('silver.gate_moves', 'silver.vessel_calls')");
    assertThat(silver + silverRejects).isEqualTo(bronze);
    assertThat(silverRejects)
        .isGreaterThan(10); // the generator's faults at a 5% rate, and the hand-made ones
    assertThat(
            sql(
                """
        SELECT t.table, t.rows_read, t.rows_written, t.rows_quarantined FROM ops.job_runs r
        LATERAL VIEW explode(r.tables) x AS t WHERE r.status = 'succeeded' AND r.job LIKE 'logistics%'"""))
        .allSatisfy(
            m -> assertThat(m.getLong(1)).as(m.toString()).isEqualTo(m.getLong(2) + m.getLong(3)));
  }

  @Test
  @Order(4)
  void aRerunOfTheSameDayChangesNothing() {
    Map<String, Long> before = new LinkedHashMap<>();
    for (String t :
        List.of(
            "bronze.logistics_events",
            "silver.gate_moves",
            "silver.vessel_calls",
            "silver.terminal_activity_daily",
            "ops.quarantine",
            "gold.logistics_throughput_monthly",
            "gold.teu_reconciliation_monthly",
            "silver.logistics_stats_monthly",
            "gold.dash_port_throughput")) {
      before.put(t, version(t));
    }
    runDay(D2);
    before.forEach((t, v) -> assertThat(version(t)).as(t).isEqualTo(v));
  }

  @Test
  @Order(5)
  void aLateFileAndTheNextDayAreLoadedWithoutRereadingWhatWasLoaded() throws IOException {
    long hictDay1Before =
        count(
            "SELECT count(*) FROM silver.gate_moves WHERE terminal_id = 'HICT' AND event_date = DATE'2025-12-01'");
    Files.move(
        heldBack.resolve("HICT.jsonl.gz"), events.resolve("gate_moves/" + D1 + "/HICT.jsonl.gz"));
    Files.move(heldBack.resolve("day3"), events.resolve("gate_moves/" + D3));
    // A copy of a move stored yesterday, sent again in today's file.
    write(
        events.resolve("gate_moves/" + D3 + "/HOANGDIEU.jsonl"),
        HAND_MADE.lines().findFirst().orElseThrow() + "\n");
    runDay(D3);
    List<String> inputs =
        sql(
                """
        SELECT f.path FROM ops.job_runs r LATERAL VIEW explode(r.input_files) x AS f
        WHERE r.job = 'logistics_events_bronze' AND r.status = 'succeeded' AND r.logical_date = DATE'2025-12-03'""")
            .stream()
            .map(r -> r.getString(0))
            .toList();
    // Only new files: day 3's and day 1's late file; nothing already loaded is read into the lake
    // again.
    assertThat(inputs)
        .isNotEmpty()
        .allMatch(p -> p.contains("/" + D3 + "/") || p.endsWith(D1 + "/HICT.jsonl.gz"));
    assertThat(inputs).anyMatch(p -> p.endsWith(D1 + "/HICT.jsonl.gz"));
    assertThat(
            sql(
                "SELECT rule, reason FROM ops.quarantine WHERE source_file LIKE '%"
                    + D3
                    + "/HOANGDIEU.jsonl'"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getString(0)).isEqualTo("duplicate_event");
              assertThat(r.getString(1)).contains("stored earlier");
            });
    long hictDay1After =
        count(
            "SELECT count(*) FROM silver.gate_moves WHERE terminal_id = 'HICT' AND event_date = DATE'2025-12-01'");
    assertThat(hictDay1After).isGreaterThan(hictDay1Before);
    // The daily totals of the late day were rebuilt.
    assertThat(
            sql("SELECT gate_moves FROM silver.terminal_activity_daily WHERE terminal_id = 'HICT' AND activity_date = DATE'2025-12-01'")
                .get(0)
                .getLong(0))
        .isEqualTo(hictDay1After);
  }

  @Test
  @Order(6)
  void restatedMonthsKeepBothReleasesAndTheLatestViewShowsTheRestatement() {
    List<Row> march =
        sql(
            """
        SELECT value, restated, previous_value, vintage FROM gold.logistics_throughput_monthly
        WHERE level = 'terminal' AND unit_id = 'HICT' AND measure = 'container_teu' AND month = DATE'2025-03-01'
        ORDER BY published_on""");
    assertThat(march).hasSize(2);
    assertThat(march.get(0).getBoolean(1)).isFalse();
    assertThat(march.get(1).getBoolean(1)).isTrue();
    assertThat(march.get(1).getDouble(0))
        .isCloseTo(march.get(0).getDouble(0) * 1.02, within(march.get(0).getDouble(0) * 0.016));
    assertThat(march.get(1).getDouble(2)).isEqualTo(march.get(0).getDouble(0));
    assertThat(march.get(1).getString(3)).contains("2025-05-10");
    assertThat(
            sql(
                "SELECT value FROM gold.logistics_throughput_monthly_latest WHERE level = 'terminal' AND unit_id = 'HICT' "
                    + "AND measure = 'container_teu' AND month = DATE'2025-03-01'"))
        .singleElement()
        .satisfies(r -> assertThat(r.getDouble(0)).isEqualTo(march.get(1).getDouble(0)));
    // What was known on 1 May 2025: the first publication.
    assertThat(
            sql(
                """
        SELECT value FROM (SELECT value, row_number() OVER (ORDER BY published_on DESC) rn
        FROM gold.logistics_throughput_monthly WHERE level = 'terminal' AND unit_id = 'HICT' AND measure = 'container_teu'
        AND month = DATE'2025-03-01' AND published_on <= DATE'2025-05-01') WHERE rn = 1"""))
        .singleElement()
        .satisfies(r -> assertThat(r.getDouble(0)).isEqualTo(march.get(0).getDouble(0)));
  }

  @Test
  @Order(7)
  void theEconomistsQuestionsHaveAnswers() {
    Row teu2025 =
        sql("SELECT value, months_reported FROM gold.logistics_throughput_yearly_latest "
                + "WHERE level = 'city' AND measure = 'container_teu' AND year = 2025")
            .get(0);
    assertThat(teu2025.getInt(1)).isEqualTo(12);
    // The city total equals the sum of its terminals' latest months.
    double sum =
        sql("SELECT sum(value) FROM gold.logistics_throughput_monthly_latest WHERE level = 'terminal' "
                + "AND measure = 'container_teu' AND year = 2025")
            .get(0)
            .getDouble(0);
    assertThat(teu2025.getDouble(0)).isCloseTo(sum, within(1e-6));
    double share =
        sql("SELECT share_of_city_pct FROM gold.logistics_throughput_yearly_latest WHERE level = 'port_area' "
                + "AND unit_id = 'lach_huyen' AND measure = 'container_teu' AND year = 2025")
            .get(0)
            .getDouble(0);
    double hict =
        sql("SELECT value FROM gold.logistics_throughput_yearly_latest WHERE unit_id IN ('HICT') "
                + "AND measure = 'container_teu' AND year = 2025")
            .get(0)
            .getDouble(0);
    double hhit =
        sql("SELECT value FROM gold.logistics_throughput_yearly_latest WHERE unit_id IN ('HHIT') "
                + "AND measure = 'container_teu' AND year = 2025")
            .get(0)
            .getDouble(0);
    assertThat(share).isCloseTo((hict + hhit) / teu2025.getDouble(0) * 100, within(1e-9));
    // December has events on three days only: no gap is claimed for an incomplete month.
    assertThat(
            sql(
                "SELECT DISTINCT status FROM gold.teu_reconciliation_monthly WHERE month = DATE'2025-12-01' "
                    + "AND event_teu IS NOT NULL AND reported_teu IS NOT NULL"))
        .extracting(r -> r.getString(0))
        .containsOnly("incomplete_events");
    // Hoang Dieu reports no TEU (bulk and general cargo), but sent gate moves.
    assertThat(
            sql(
                "SELECT status FROM gold.teu_reconciliation_monthly WHERE terminal_id = 'HOANGDIEU' AND month = DATE'2025-12-01'"))
        .singleElement()
        .satisfies(r -> assertThat(r.getString(0)).isEqualTo("no_report"));
  }

  @Test
  @Order(8)
  void aLogisticsTargetAddedToTheCatalogIsMeasuredWithNoNewCode(@TempDir Path schemasCopy)
      throws IOException {
    Path schemas = Path.of("..", "schemas").toAbsolutePath().normalize();
    try (Stream<Path> all = Files.walk(schemas)) {
      for (Path p : all.toList()) {
        Path to = schemasCopy.resolve(schemas.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    Files.writeString(
        schemasCopy.resolve("catalog/targets.yaml"),
        """
          - id: PORT-TEU-2030
            indicator: port_container_throughput
            geo_id: VN-31
            measure: level
            comparison: at_least
            value: 10000000
            baseline_year: 2024
            target_year: 2030
            unit: TEU
            wording_vi: "Sản lượng container qua cảng đạt 10 triệu TEU"
            wording_en: "Container throughput of 10 million TEU"
            source: a user's own target
        """,
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("songhong.lake.path", rt.lake().root());
    conf.put("songhong.input.dir", rt.config().get(SonghongConfig.INPUT_DIR));
    conf.put("songhong.schemas.dir", schemasCopy.toString());
    LakeRuntime custom = new LakeRuntime(SparkTestSession.get(), SonghongConfig.of(conf, Map.of()));
    Job marts = JobRegistry.get("provincial_marts");
    custom.run(marts, D3);
    double teu2025 =
        sql("SELECT value FROM gold.logistics_throughput_yearly_latest "
                + "WHERE level = 'city' AND measure = 'container_teu' AND year = 2025")
            .get(0)
            .getDouble(0);
    Row a =
        sql("SELECT status, latest_value, as_of_year FROM gold.target_attainment_latest WHERE target_id = 'PORT-TEU-2030' "
                + "AND geo_id = 'VN-31'")
            .get(0);
    assertThat(a.getInt(2)).isEqualTo(2025);
    assertThat(a.getDouble(1)).isEqualTo(teu2025);
    assertThat(a.getString(0))
        .isIn("on_track", "moderate_progress", "insufficient_progress", "moving_away");
  }
}
