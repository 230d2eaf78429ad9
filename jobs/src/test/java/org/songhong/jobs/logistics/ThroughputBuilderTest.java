package org.songhong.jobs.logistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.songhong.contract.ContractCatalog;
import org.songhong.contract.SchemaResources;
import org.songhong.contract.Tables;
import org.songhong.domain.logistics.LogisticsCatalog;

/** The throughput marts and the reconciliation, with every expected figure worked by hand. */
class ThroughputBuilderTest {
  private static final SchemaResources SCHEMAS =
      SchemaResources.open(Path.of("..", "schemas").toAbsolutePath().toString());
  private static final LogisticsCatalog CATALOG = LogisticsCatalog.load(SCHEMAS);
  private static final ContractCatalog CONTRACTS = ContractCatalog.load(SCHEMAS);
  private static final LocalDate R0 = LocalDate.of(2025, 1, 10);
  private static final LocalDate R1 = LocalDate.of(2025, 2, 10);
  private static final LocalDate R2 = LocalDate.of(2025, 3, 10);

  private static ThroughputBuilder.Fig teu(
      String unit, String area, int y, int m, double v, LocalDate published) {
    return new ThroughputBuilder.Fig(
        unit,
        area,
        LocalDate.of(y, m, 1),
        "container_teu",
        "container",
        "all",
        v,
        "TEU",
        "port-" + published,
        published);
  }

  private static List<ThroughputBuilder.Fig> figures() {
    List<ThroughputBuilder.Fig> f = new ArrayList<>();
    for (int m = 1; m <= 12; m++) {
      f.add(teu("HICT", "lach_huyen", 2024, m, 100, R0));
      f.add(teu("NDV", "dinh_vu", 2024, m, 50, R0));
    }
    f.add(teu("HICT", "lach_huyen", 2025, 1, 120, R1));
    f.add(teu("NDV", "dinh_vu", 2025, 1, 60, R1));
    f.add(teu("HICT", "lach_huyen", 2025, 2, 110, R2));
    f.add(teu("NDV", "dinh_vu", 2025, 2, 55, R2));
    f.add(teu("HICT", "lach_huyen", 2025, 1, 130, R2)); // the March report restates January
    return f;
  }

  private static Row monthly(
      List<Row> rows, String level, String unit, int y, int m, LocalDate published) {
    return rows.stream()
        .filter(
            r ->
                r.<String>getAs("level").equals(level)
                    && r.<String>getAs("unit_id").equals(unit)
                    && r.<Date>getAs("month").toLocalDate().equals(LocalDate.of(y, m, 1))
                    && r.<Date>getAs("published_on").toLocalDate().equals(published))
        .findFirst()
        .orElse(null);
  }

  @Test
  void monthlyGrowthYearToDateRollingAndSharesOnWhatWasKnownAtEachRelease() {
    List<Row> rows = new ThroughputBuilder(CATALOG, CONTRACTS).build(figures()).monthly();
    Row feb = monthly(rows, "terminal", "HICT", 2025, 2, R2);
    assertThat(feb.<Double>getAs("value")).isEqualTo(110);
    assertThat(feb.<Double>getAs("yoy_pct")).isCloseTo(10.0, within(1e-9)); // 110 / 100
    assertThat(feb.<Double>getAs("ytd_value")).isEqualTo(240); // 130 (restated Jan) + 110
    assertThat(feb.<Double>getAs("ytd_yoy_pct")).isCloseTo(20.0, within(1e-9)); // 240 / 200
    assertThat(feb.<Double>getAs("rolling_12m_value"))
        .isEqualTo(1240); // Mar 2024..Feb 2025: 10 x 100 + 130 + 110
    assertThat(feb.<Object>getAs("rolling_12m_yoy_pct")).isNull(); // Mar 2023..Feb 2024 unknown
    assertThat(feb.<Double>getAs("share_of_city_pct")).isCloseTo(110.0 / 165 * 100, within(1e-9));
    assertThat(feb.<String>getAs("port_area_id")).isEqualTo("lach_huyen");

    Row janFirst = monthly(rows, "terminal", "HICT", 2025, 1, R1);
    assertThat(janFirst.<Double>getAs("value")).isEqualTo(120);
    assertThat(janFirst.<Boolean>getAs("restated")).isFalse();
    Row janRestated = monthly(rows, "terminal", "HICT", 2025, 1, R2);
    assertThat(janRestated.<Double>getAs("value")).isEqualTo(130);
    assertThat(janRestated.<Boolean>getAs("restated")).isTrue();
    assertThat(janRestated.<Double>getAs("previous_value")).isEqualTo(120);
    assertThat(janRestated.<Double>getAs("yoy_pct")).isCloseTo(30.0, within(1e-9));
    // The city's January changes with the restatement; Nam Dinh Vu's January was not republished.
    assertThat(monthly(rows, "city", "VN-31", 2025, 1, R1).<Double>getAs("value")).isEqualTo(180);
    assertThat(monthly(rows, "city", "VN-31", 2025, 1, R2).<Double>getAs("value")).isEqualTo(190);
    assertThat(monthly(rows, "city", "VN-31", 2025, 1, R2).<Object>getAs("share_of_city_pct"))
        .isNull();
    assertThat(monthly(rows, "terminal", "NDV", 2025, 1, R2)).isNull();
    assertThat(monthly(rows, "port_area", "lach_huyen", 2025, 2, R2).<Double>getAs("value"))
        .isEqualTo(110);
    // Every (level, unit, measure, month, vintage) once: the table's key.
    assertThat(
            rows.stream()
                .map(
                    r ->
                        r.<String>getAs("level")
                            + r.<String>getAs("unit_id")
                            + r.<String>getAs("measure")
                            + r.<Date>getAs("month")
                            + r.<String>getAs("vintage"))
                .distinct())
        .hasSize(rows.size());
  }

  @Test
  void yearlyTotalsSayHowManyMonthsTheyHoldAndOnlyCompleteCityYearsFeedTargets() {
    List<Row> rows = new ThroughputBuilder(CATALOG, CONTRACTS).build(figures()).yearly();
    Row city2024 =
        rows.stream()
            .filter(
                r -> r.<String>getAs("level").equals("city") && r.<Integer>getAs("year") == 2024)
            .findFirst()
            .orElseThrow();
    assertThat(city2024.<Double>getAs("value")).isEqualTo(1800);
    assertThat(city2024.<Integer>getAs("months_reported")).isEqualTo(12);
    assertThat(city2024.<String>getAs("indicator_code")).isEqualTo("port_container_throughput");
    Row city2025 =
        rows.stream()
            .filter(
                r ->
                    r.<String>getAs("level").equals("city")
                        && r.<Integer>getAs("year") == 2025
                        && r.<Date>getAs("published_on").toLocalDate().equals(R2))
            .findFirst()
            .orElseThrow();
    assertThat(city2025.<Double>getAs("value")).isEqualTo(355); // 130 + 60 + 110 + 55
    assertThat(city2025.<Integer>getAs("months_reported")).isEqualTo(2);
    assertThat(city2025.<Double>getAs("yoy_pct"))
        .isCloseTo((355.0 / 300 - 1) * 100, within(1e-9)); // on Jan+Feb 2024
    assertThat(city2025.<Object>getAs("indicator_code"))
        .isNull(); // incomplete year: no target input
    Row hict2025 =
        rows.stream()
            .filter(
                r ->
                    r.<String>getAs("unit_id").equals("HICT")
                        && r.<Integer>getAs("year") == 2025
                        && r.<Date>getAs("published_on").toLocalDate().equals(R2))
            .findFirst()
            .orElseThrow();
    assertThat(hict2025.<Double>getAs("share_of_city_pct"))
        .isCloseTo(240.0 / 355 * 100, within(1e-9));
  }

  @Test
  void cargoFiguresRollUpByTypeAndFlow() {
    LocalDate p = R1;
    List<ThroughputBuilder.Fig> f =
        List.of(
            new ThroughputBuilder.Fig(
                "HOANGDIEU",
                "song_cam",
                LocalDate.of(2025, 1, 1),
                "cargo_tonnes",
                "dry_bulk",
                "import",
                70,
                "tonnes",
                "v",
                p),
            new ThroughputBuilder.Fig(
                "HOANGDIEU",
                "song_cam",
                LocalDate.of(2025, 1, 1),
                "cargo_tonnes",
                "dry_bulk",
                "export",
                30,
                "tonnes",
                "v",
                p),
            new ThroughputBuilder.Fig(
                "HICT",
                "lach_huyen",
                LocalDate.of(2025, 1, 1),
                "cargo_tonnes",
                "container",
                "import",
                200,
                "tonnes",
                "v",
                p));
    List<Row> rows = new ThroughputBuilder(CATALOG, CONTRACTS).build(f).monthly();
    java.util.function.BiFunction<String, String, Double> v =
        (unit, measure) ->
            rows.stream()
                .filter(
                    r ->
                        r.<String>getAs("unit_id").equals(unit)
                            && r.<String>getAs("measure").equals(measure))
                .findFirst()
                .map(r -> r.<Double>getAs("value"))
                .orElse(null);
    assertThat(v.apply("VN-31", "cargo_tonnes")).isEqualTo(300);
    assertThat(v.apply("VN-31", "cargo_tonnes_import")).isEqualTo(270);
    assertThat(v.apply("VN-31", "cargo_tonnes_dry_bulk")).isEqualTo(100);
    assertThat(v.apply("song_cam", "cargo_tonnes_export")).isEqualTo(30);
    assertThat(v.apply("HICT", "cargo_tonnes_container")).isEqualTo(200);
  }

  @Test
  void reconciliationComparesGateTeuWithTheLatestReportAndFlagsGapsAboveTolerance() {
    LocalDate dec = LocalDate.of(2025, 12, 1);
    List<ThroughputBuilder.Fig> figs =
        List.of(
            teu("HICT", "lach_huyen", 2025, 12, 1000, LocalDate.of(2026, 1, 10)),
            teu("HICT", "lach_huyen", 2025, 12, 1100, LocalDate.of(2026, 2, 10)),
            teu("TANVU", "dinh_vu", 2025, 12, 1000, LocalDate.of(2026, 1, 10)),
            teu("NDV", "dinh_vu", 2025, 12, 1000, LocalDate.of(2026, 1, 10)));
    List<Row> daily = new ArrayList<>();
    for (int d = 1; d <= 31; d++) {
      Date day = Date.valueOf(dec.withDayOfMonth(d));
      daily.add(RowFactory.create(day, "HICT", 20L, 36.0));
      daily.add(RowFactory.create(day, "TANVU", 20L, 30.0));
      daily.add(RowFactory.create(day, "DVP", 5L, 8.0));
      if (d < 31) {
        daily.add(RowFactory.create(day, "NDV", 20L, 33.0));
      }
    }
    List<Row> rows =
        LogisticsMartsJob.reconcile(
            CONTRACTS.get(Tables.GOLD_TEU_RECONCILIATION_MONTHLY).schema(),
            CATALOG,
            figs,
            daily,
            5.0);
    java.util.Map<String, Row> by = new java.util.HashMap<>();
    rows.forEach(r -> by.put(r.<String>getAs("terminal_id"), r));
    Row hict = by.get("HICT");
    assertThat(hict.<Double>getAs("reported_teu")).isEqualTo(1100); // the latest report
    assertThat(hict.<Double>getAs("event_teu")).isEqualTo(1116); // 31 x 36
    assertThat(hict.<Long>getAs("event_moves")).isEqualTo(620);
    assertThat(hict.<Double>getAs("difference_teu")).isEqualTo(16);
    assertThat(hict.<Double>getAs("difference_pct")).isCloseTo(16.0 / 1100 * 100, within(1e-9));
    assertThat(hict.<String>getAs("status")).isEqualTo("ok");
    assertThat(by.get("TANVU").<Double>getAs("difference_pct"))
        .isCloseTo(-7.0, within(1e-9)); // 930 vs 1000
    assertThat(by.get("TANVU").<String>getAs("status")).isEqualTo("gap_above_tolerance");
    assertThat(by.get("NDV").<Integer>getAs("days_with_events")).isEqualTo(30);
    assertThat(by.get("NDV").<String>getAs("status")).isEqualTo("incomplete_events");
    assertThat(by.get("DVP").<String>getAs("status")).isEqualTo("no_report");
  }
}
