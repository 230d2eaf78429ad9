package org.songhong.jobs.logistics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.songhong.contract.SchemaResources;
import org.songhong.domain.logistics.LogisticsCatalog;

class StatsConformerTest {
  private static final LogisticsCatalog CATALOG =
      LogisticsCatalog.load(
          SchemaResources.open(Path.of("..", "schemas").toAbsolutePath().toString()));
  private static final LocalDate P = LocalDate.of(2025, 4, 10);

  private static StatsConformer.In in(
      int line,
      String month,
      String area,
      String unit,
      String cargo,
      String measure,
      String flow,
      String value) {
    return new StatsConformer.In(
        "f.csv",
        "c",
        line,
        5,
        "raw",
        "port-" + P,
        P,
        month,
        area,
        unit,
        cargo,
        measure,
        flow,
        "H",
        value);
  }

  @Test
  void monthsAreReadAsReportsWriteThem() {
    assertThat(StatsConformer.month("03/2025")).contains(LocalDate.of(2025, 3, 1));
    assertThat(StatsConformer.month("3/2025")).contains(LocalDate.of(2025, 3, 1));
    assertThat(StatsConformer.month("Tháng 12/2024")).contains(LocalDate.of(2024, 12, 1));
    assertThat(StatsConformer.month("T3/2025")).contains(LocalDate.of(2025, 3, 1));
    assertThat(StatsConformer.month("2025-03")).contains(LocalDate.of(2025, 3, 1));
    assertThat(StatsConformer.month("13/2025")).isEmpty();
    assertThat(StatsConformer.month("Q1/2025")).isEmpty();
  }

  @Test
  void everyFigureIsAcceptedOrRejectedWithItsRuleAndWhere() {
    List<StatsConformer.Out> out =
        StatsConformer.conform(
            List.of(
                in(
                    6,
                    "03/2025",
                    "Lạch Huyện",
                    "HICT",
                    "Container",
                    "container_teu",
                    "all",
                    "61.234"),
                in(
                    7,
                    "03/2025",
                    "Đình Vũ",
                    "Cảng Xanh VIP",
                    "Container",
                    "container_teu",
                    "all",
                    "1.950"),
                in(
                    8,
                    "03/2025",
                    "Sông Cấm",
                    "Hoàng Diệu",
                    "Hàng rời khô",
                    "cargo_tonnes",
                    "import",
                    "-45.000"),
                in(
                    9,
                    "03/2025",
                    "Đình Vũ",
                    "Cảng Đình Vũ",
                    "Hàng lỏng",
                    "cargo_tonnes",
                    "import",
                    "-"),
                in(
                    10,
                    "03/2025",
                    "Đình Vũ",
                    "Cảng Đình Vũ",
                    "Hàng lỏng",
                    "cargo_tonnes",
                    "import",
                    "12.8"),
                in(11, "3/2025", "Sông Cấm", "HICT", "Container", "container_teu", "all", "5"),
                in(12, "03/2025", "Đình Vũ", "NDV", "Quặng", "cargo_tonnes", "import", "5"),
                in(
                    13,
                    "03/2025",
                    "Lạch Huyện",
                    "HICT",
                    "Container",
                    "container_teu",
                    "all",
                    "61.234"),
                in(14, "Q1", "Lạch Huyện", "HICT", "Container", "container_teu", "all", "1")),
            CATALOG);
    assertThat(out)
        .extracting(StatsConformer.Out::rule)
        .containsExactly(
            null,
            "unknown_terminal",
            "negative_value",
            "no_value",
            "not_a_number",
            "port_area_mismatch",
            "unknown_cargo_type",
            "duplicate",
            "bad_month");
    assertThat(out.get(0).value()).isEqualTo(61234);
    assertThat(out.get(0).unitId()).isEqualTo("HICT");
    assertThat(out.get(0).cargoType()).isEqualTo("container");
    assertThat(out.get(1).reason()).contains("f.csv line 7", "Cảng Xanh VIP", "logistics.yaml");
    assertThat(out.get(2).reason()).contains("line 8", "negative");
    assertThat(out.get(7).reason()).contains("duplicate of line 6");
  }

  @Test
  void twoDifferentFiguresForTheSameCellInOneReportAreBothRefused() {
    List<StatsConformer.Out> out =
        StatsConformer.conform(
            List.of(
                in(6, "03/2025", "", "HICT", "Container", "container_teu", "all", "100"),
                in(7, "03/2025", "", "HICT", "Container", "container_teu", "all", "101")),
            CATALOG);
    assertThat(out)
        .extracting(StatsConformer.Out::rule)
        .containsExactly("conflicting_duplicate", "conflicting_duplicate");
  }
}
