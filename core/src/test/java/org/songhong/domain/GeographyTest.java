package org.songhong.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.songhong.contract.SchemaResources;
import org.songhong.domain.geo.GeoUnit;
import org.songhong.domain.geo.Geography;
import org.songhong.error.SonghongException;

class GeographyTest {
  private final Geography geo = Geography.load(SchemaResources.open(""));

  @Test
  void haiPhongIsTheOldCityBeforeTheMergerAndTheMergedCityAfter() {
    assertThat(geo.match("TP. Hải Phòng", LocalDate.of(2024, 12, 31)))
        .map(GeoUnit::geoId)
        .hasValue("VN-31");
    assertThat(geo.match("Hai Phong", LocalDate.of(2025, 12, 31)))
        .map(GeoUnit::geoId)
        .hasValue("VN-31-2025");
  }

  @Test
  void aMergedProvinceHasNoUnitAfterTheMerger() {
    assertThat(geo.match("Hải Dương", LocalDate.of(2024, 12, 31)))
        .map(GeoUnit::geoId)
        .hasValue("VN-30");
    assertThat(geo.match("Hải Dương", LocalDate.of(2025, 12, 31))).isEmpty();
  }

  @Test
  void unknownNamesAreNotGuessed() {
    assertThat(geo.match("Hà Tây", LocalDate.of(2007, 12, 31))).isEmpty();
    assertThat(geo.match("Hai Phongg", LocalDate.of(2020, 12, 31))).isEmpty();
  }

  @Test
  void theCrosswalkFoldsElevenProvincesIntoSevenUnits() {
    assertThat(geo.crosswalk())
        .filteredOn(r -> r.to().equals("VN-31-2025"))
        .extracting(r -> r.from())
        .containsExactlyInAnyOrder("VN-31", "VN-30");
    assertThat(geo.unit("RRD-2025").orElseThrow().members()).hasSize(7);
    assertThat(geo.unit("RRD").orElseThrow().members()).hasSize(11);
  }

  @Test
  void anAliasThatMatchesTwoUnitsAtOnceIsRefused() {
    GeoUnit a =
        new GeoUnit(
            "A",
            "Hà Nam",
            "Ha Nam",
            "province",
            LocalDate.of(2000, 1, 1),
            null,
            List.of(),
            List.of());
    GeoUnit b =
        new GeoUnit(
            "B",
            "Nam Hà",
            "Nam Ha",
            "province",
            LocalDate.of(2010, 1, 1),
            null,
            List.of("HA NAM"),
            List.of());
    assertThatThrownBy(() -> new Geography(List.of(a, b), List.of()))
        .isInstanceOf(SonghongException.class)
        .hasMessage(
            "Invalid reference file schemas/reference/geography.yaml: the name 'ha nam' matches both A and B "
                + "over the same dates (fix the file in schemas/)");
  }
}
