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
import org.songhong.contract.SchemaResources;
import org.songhong.domain.logistics.LogisticsCatalog;

/** The throughput marts and the reconciliation, with every expected figure worked by hand. */
class ThroughputBuilderTest {
  private static final LogisticsCatalog CATALOG =
      LogisticsCatalog.load(
          SchemaResources.open(Path.of("..", "schemas").toAbsolutePath().toString()));
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
                r.getString(0).equals(level)
                    && r.getString(1).equals(unit)
                    && r.getDate(4).toLocalDate().equals(LocalDate.of(y, m, 1))
                    && r.getDate(16).toLocalDate().equals(published))
        .findFirst()
        .orElse(null);
  }

  @Test
  void monthlyGrowthYearToDateRollingAndSharesOnWhatWasKnownAtEachRelease() {
    List<Row> rows = new ThroughputBuilder(CATALOG).build(figures()).monthly();
    Row feb = monthly(rows, "terminal", "HICT", 2025, 2, R2);
    assertThat(feb.getDouble(8)).isEqualTo(110);
    assertThat(feb.getDouble(9)).isCloseTo(10.0, within(1e-9)); // 110 / 100
    assertThat(feb.getDouble(10)).isEqualTo(240); // 130 (restated Jan) + 110
    assertThat(feb.getDouble(11)).isCloseTo(20.0, within(1e-9)); // 240 / 200
    assertThat(feb.getDouble(12)).isEqualTo(1240); // Mar 2024..Feb 2025: 10 x 100 + 130 + 110
    assertThat(feb.get(13)).isNull(); // Mar 2023..Feb 2024 unknown
    assertThat(feb.getDouble(14)).isCloseTo(110.0 / 165 * 100, within(1e-9));
    assertThat(feb.getString(3)).isEqualTo("lach_huyen");

    Row janFirst = monthly(rows, "terminal", "HICT", 2025, 1, R1);
    assertThat(janFirst.getDouble(8)).isEqualTo(120);
    assertThat(janFirst.getBoolean(17)).isFalse();
    Row janRestated = monthly(rows, "terminal", "HICT", 2025, 1, R2);
    assertThat(janRestated.getDouble(8)).isEqualTo(130);
    assertThat(janRestated.getBoolean(17)).isTrue();
    assertThat(janRestated.getDouble(18)).isEqualTo(120);
    assertThat(janRestated.getDouble(9)).isCloseTo(30.0, within(1e-9));
    // The city's January changes with the restatement; Nam Dinh Vu's January was not republished.
    assertThat(monthly(rows, "city", "VN-31", 2025, 1, R1).getDouble(8)).isEqualTo(180);
    assertThat(monthly(rows, "city", "VN-31", 2025, 1, R2).getDouble(8)).isEqualTo(190);
    assertThat(monthly(rows, "city", "VN-31", 2025, 1, R2).get(14)).isNull();
    assertThat(monthly(rows, "terminal", "NDV", 2025, 1, R2)).isNull();
    assertThat(monthly(rows, "port_area", "lach_huyen", 2025, 2, R2).getDouble(8)).isEqualTo(110);
    // Every (level, unit, measure, month, vintage) once: the table's key.
    assertThat(
            rows.stream()
                .map(
                    r ->
                        r.getString(0)
                            + r.getString(1)
                            + r.getString(6)
                            + r.getDate(4)
                            + r.getString(15))
                .distinct())
        .hasSize(rows.size());
  }

  @Test
  void yearlyTotalsSayHowManyMonthsTheyHoldAndOnlyCompleteCityYearsFeedTargets() {
    List<Row> rows = new ThroughputBuilder(CATALOG).build(figures()).yearly();
    Row city2024 =
        rows.stream()
            .filter(r -> r.getString(0).equals("city") && r.getInt(4) == 2024)
            .findFirst()
            .orElseThrow();
    assertThat(city2024.getDouble(7)).isEqualTo(1800);
    assertThat(city2024.getInt(8)).isEqualTo(12);
    assertThat(city2024.getString(11)).isEqualTo("port_container_throughput");
    Row city2025 =
        rows.stream()
            .filter(
                r ->
                    r.getString(0).equals("city")
                        && r.getInt(4) == 2025
                        && r.getDate(13).toLocalDate().equals(R2))
            .findFirst()
            .orElseThrow();
    assertThat(city2025.getDouble(7)).isEqualTo(355); // 130 + 60 + 110 + 55
    assertThat(city2025.getInt(8)).isEqualTo(2);
    assertThat(city2025.getDouble(9))
        .isCloseTo((355.0 / 300 - 1) * 100, within(1e-9)); // on Jan+Feb 2024
    assertThat(city2025.get(11)).isNull(); // incomplete year: no target input
    Row hict2025 =
        rows.stream()
            .filter(
                r ->
                    r.getString(1).equals("HICT")
                        && r.getInt(4) == 2025
                        && r.getDate(13).toLocalDate().equals(R2))
            .findFirst()
            .orElseThrow();
    assertThat(hict2025.getDouble(10)).isCloseTo(240.0 / 355 * 100, within(1e-9));
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
    List<Row> rows = new ThroughputBuilder(CATALOG).build(f).monthly();
    java.util.function.BiFunction<String, String, Double> v =
        (unit, measure) ->
            rows.stream()
                .filter(r -> r.getString(1).equals(unit) && r.getString(6).equals(measure))
                .findFirst()
                .map(r -> r.getDouble(8))
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
    List<Row> rows = LogisticsMartsJob.reconcile(CATALOG, figs, daily, 5.0);
    java.util.Map<String, Row> by = new java.util.HashMap<>();
    rows.forEach(r -> by.put(r.getString(0), r));
    Row hict = by.get("HICT");
    assertThat(hict.getDouble(3)).isEqualTo(1100); // the latest report
    assertThat(hict.getDouble(5)).isEqualTo(1116); // 31 x 36
    assertThat(hict.getLong(6)).isEqualTo(620);
    assertThat(hict.getDouble(9)).isEqualTo(16);
    assertThat(hict.getDouble(10)).isCloseTo(16.0 / 1100 * 100, within(1e-9));
    assertThat(hict.getString(12)).isEqualTo("ok");
    assertThat(by.get("TANVU").getDouble(10)).isCloseTo(-7.0, within(1e-9)); // 930 vs 1000
    assertThat(by.get("TANVU").getString(12)).isEqualTo("gap_above_tolerance");
    assertThat(by.get("NDV").getInt(7)).isEqualTo(30);
    assertThat(by.get("NDV").getString(12)).isEqualTo("incomplete_events");
    assertThat(by.get("DVP").getString(12)).isEqualTo("no_report");
  }
}
