package org.songhong.jobs.marts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.songhong.contract.SchemaResources;
import org.songhong.domain.IndicatorCatalog;
import org.songhong.domain.geo.Geography;
import org.songhong.domain.targets.AttainmentCalculator;
import org.songhong.jobs.marts.VintageSnapshots.Obs;

class MartsBuilderTest {
  private final Geography geo = Geography.load(SchemaResources.open(""));

  @Test
  void aSeriesThatCrossesThe2025MergerIsFlaggedNotContinued() {
    LocalDate pub = LocalDate.of(2026, 6, 30);
    List<Obs> obs =
        List.of(
            Obs.observed(
                "population_avg",
                "VN-31",
                2024,
                2131,
                "thousand persons",
                "yb-2025",
                pub,
                "f.csv",
                2),
            Obs.observed(
                "population_avg",
                "VN-31-2025",
                2025,
                4102,
                "thousand persons",
                "yb-2025",
                pub,
                "f.csv",
                3),
            Obs.observed(
                "population_avg",
                "VN-31-2025",
                2026,
                4150,
                "thousand persons",
                "yb-2025",
                pub,
                "f.csv",
                4));
    List<Row> series =
        new MartsBuilder(
                List.of(),
                geo,
                IndicatorCatalog.load(SchemaResources.open("")),
                new AttainmentCalculator(),
                0.5,
                org.songhong.contract.ContractCatalog.load(SchemaResources.open("")))
            .build(new VintageSnapshots(obs))
            .indicatorSeries();
    assertThat(series)
        .extracting(
            r ->
                r.getAs("geo_id")
                    + "@"
                    + r.getAs("year")
                    + " yoy="
                    + r.getAs("yoy_change")
                    + " crosses="
                    + r.getAs("crosses_boundary_change"))
        .containsExactlyInAnyOrder(
            "VN-31@2024 yoy=null crosses=false",
            "VN-31-2025@2025 yoy=null crosses=true",
            "VN-31-2025@2026 yoy=48.0 crosses=false");
  }

  @Test
  void boundariesAreNamedFromTheUnitsValidity() {
    assertThat(MartsBuilder.boundary(geo, "VN-31")).isEqualTo("old");
    assertThat(MartsBuilder.boundary(geo, "VN-31-2025")).isEqualTo("new");
    assertThat(MartsBuilder.boundary(geo, "VN-01")).isEqualTo("unchanged");
  }
}
