package org.songhong.jobs.marts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.songhong.contract.SchemaResources;
import org.songhong.domain.geo.Geography;
import org.songhong.jobs.marts.VintageSnapshots.Obs;

/** Each derivation on a hand-built release; expected values worked in the comments. */
class DerivationsTest {
  private static final LocalDate PUB = LocalDate.of(2025, 6, 30);
  private final Geography geo = Geography.load(SchemaResources.open(""));

  private static Obs obs(String ind, String geoId, int year, double v) {
    return Obs.observed(ind, geoId, year, v, "u", "yb-2024", PUB, "f.csv", 1);
  }

  private static Snapshot snapshot(List<Obs> obs) {
    VintageSnapshots vs = new VintageSnapshots(obs);
    return vs.at(vs.vintages().get(0));
  }

  @Test
  void perCapitaIsGrdpOverPopulationWhereNotPublished() {
    // 445,995 billion VND / 2,131 thousand persons = 209.29 million VND per person.
    Snapshot s =
        snapshot(
            List.of(
                obs("grdp_current", "VN-31", 2024, 445_995),
                obs("population_avg", "VN-31", 2024, 2_131),
                obs("grdp_current", "VN-31", 2023, 400_000),
                obs("population_avg", "VN-31", 2023, 2_100),
                obs("grdp_per_capita", "VN-31", 2023, 190.0)));
    Derivations.perCapita(s);
    Obs d = s.get("grdp_per_capita", "VN-31", 2024).orElseThrow();
    assertThat(d.value()).isCloseTo(209.289, within(1e-3));
    assertThat(d.isDerived()).isTrue();
    assertThat(d.inputs())
        .extracting(Obs::indicator)
        .containsExactly("grdp_current", "population_avg");
    // The published 2023 figure (190.0) stands; 400,000 / 2,100 = 190.48 is not computed over it.
    assertThat(s.get("grdp_per_capita", "VN-31", 2023).orElseThrow().value()).isEqualTo(190.0);
  }

  @Test
  void multipleOf2020() {
    Snapshot s =
        snapshot(
            List.of(
                obs("grdp_current", "VN-31", 2020, 277_000),
                obs("grdp_current", "VN-31", 2024, 445_995)));
    Derivations.multipleOf2020(s);
    // 445,995 / 277,000 = 1.6101
    assertThat(s.get("grdp_current_multiple_of_2020", "VN-31", 2024).orElseThrow().value())
        .isCloseTo(1.6101, within(1e-4));
    assertThat(s.get("grdp_current_multiple_of_2020", "VN-31", 2020).orElseThrow().value())
        .isEqualTo(1.0);
  }

  @Test
  void sectorSharesAreOfTheSumOfTheFourSectors() {
    // 250 + 150 + 75 + 25 = 500 -> 50%, 30%, 15%, 5%.
    Snapshot s =
        snapshot(
            List.of(
                obs("grdp_industry_construction_current", "VN-31", 2024, 250),
                obs("grdp_services_current", "VN-31", 2024, 150),
                obs("grdp_agriculture_current", "VN-31", 2024, 75),
                obs("grdp_product_taxes_current", "VN-31", 2024, 25),
                obs("grdp_services_current", "VN-31", 2023, 140)));
    Derivations.sectorShares(s);
    assertThat(s.get("grdp_share_industry_construction", "VN-31", 2024).orElseThrow().value())
        .isCloseTo(50.0, within(1e-9));
    assertThat(s.get("grdp_share_services", "VN-31", 2024).orElseThrow().value())
        .isCloseTo(30.0, within(1e-9));
    assertThat(s.get("grdp_share_agriculture", "VN-31", 2024).orElseThrow().value())
        .isCloseTo(15.0, within(1e-9));
    assertThat(s.get("grdp_share_product_taxes", "VN-31", 2024).orElseThrow().value())
        .isCloseTo(5.0, within(1e-9));
    // 2023 has only one sector: no share is made up from a partial total.
    assertThat(s.get("grdp_share_services", "VN-31", 2023)).isEmpty();
  }

  @Test
  void regionShareUsesEveryMemberOfTheRegionThatYear() {
    // Ten members at 100 and Hai Phong at 200: 200 / 1,200 = 16.667%.
    List<Obs> all = new ArrayList<>();
    for (String m : geo.unit("RRD").orElseThrow().members()) {
      all.add(obs("grdp_current", m, 2024, m.equals("VN-31") ? 200 : 100));
      if (!m.equals("VN-35")) {
        all.add(obs("grdp_current", m, 2023, 100));
      }
    }
    Snapshot s = snapshot(all);
    Derivations.regionShare(s, geo);
    Obs share = s.get("share_of_red_river_delta_grdp", "VN-31", 2024).orElseThrow();
    assertThat(share.value()).isCloseTo(16.6667, within(1e-4));
    assertThat(share.inputs()).hasSize(11);
    // Hà Nam (VN-35) is missing in 2023: no share rather than an overstated one.
    assertThat(s.get("share_of_red_river_delta_grdp", "VN-31", 2023)).isEmpty();
  }

  @Test
  void ghgReductionAgainstBusinessAsUsual() {
    // (1,000 - 800) / 1,000 = 20% below BAU.
    Snapshot s =
        snapshot(
            List.of(
                obs("ghg_emissions_inventory", "VN-31", 2024, 800),
                obs("ghg_emissions_bau", "VN-31", 2024, 1000)));
    Derivations.ghgReduction(s);
    assertThat(s.get("ghg_reduction_vs_bau", "VN-31", 2024).orElseThrow().value())
        .isCloseTo(20.0, within(1e-9));
  }

  @Test
  void mergedUnitsAreBackCastFromTheirPartsForAdditiveIndicatorsOnly() {
    // Hai Phong 2,050 + Hai Duong 1,876 = 3,926 thousand people in 2020 on the 2025 boundary.
    Snapshot s =
        snapshot(
            List.of(
                obs("population_avg", "VN-31", 2020, 2050),
                obs("population_avg", "VN-30", 2020, 1876),
                obs("urban_unemployment_rate", "VN-31", 2020, 3.2),
                obs("urban_unemployment_rate", "VN-30", 2020, 2.5)));
    Derivations.backcast(s, geo, List.of("population_avg", "grdp_current"));
    assertThat(s.get("population_avg", "VN-31-2025", 2020).orElseThrow().value()).isEqualTo(3926.0);
    assertThat(s.get("urban_unemployment_rate", "VN-31-2025", 2020)).isEmpty();
  }

  @Test
  void aPublishedSubtotalIsComparedWithItsMembers() {
    List<Obs> all = new ArrayList<>();
    for (String m : geo.unit("RRD").orElseThrow().members()) {
      all.add(obs("grdp_current", m, 2024, 100));
    }
    all.add(obs("grdp_current", "RRD", 2024, 1111));
    Snapshot s = snapshot(all);
    List<Derivations.SubtotalCheck> checks =
        Derivations.regionTotals(s, geo, List.of("grdp_current"));
    // Published 1,111 against 11 x 100 = 1,100: 1% too high; the published figure stands.
    assertThat(checks)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.computed()).isEqualTo(1100.0);
              assertThat(c.differencePct()).isCloseTo(1.0, within(1e-9));
            });
    assertThat(s.get("grdp_current", "RRD", 2024).orElseThrow().isDerived()).isFalse();
  }

  @Test
  void aLaterReleaseRevisesWhatWasKnown() {
    Obs prelim =
        Obs.observed(
            "x",
            "VN-31",
            2024,
            10.55,
            "%",
            "estimate-2024",
            LocalDate.of(2024, 12, 30),
            "a.csv",
            3);
    Obs yearbook =
        Obs.observed(
            "x", "VN-31", 2024, 11.01, "%", "yearbook-2024", LocalDate.of(2025, 6, 30), "b.csv", 9);
    VintageSnapshots vs = new VintageSnapshots(List.of(yearbook, prelim));
    assertThat(vs.vintages())
        .extracting(VintageSnapshots.Vintage::label)
        .containsExactly("estimate-2024", "yearbook-2024");
    assertThat(vs.at(vs.vintages().get(0)).get("x", "VN-31", 2024).orElseThrow().value())
        .isEqualTo(10.55);
    assertThat(vs.at(vs.vintages().get(1)).get("x", "VN-31", 2024).orElseThrow().value())
        .isEqualTo(11.01);
  }
}
