package org.songhong.jobs.marts;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.songhong.domain.Indicator;
import org.songhong.domain.IndicatorCatalog;
import org.songhong.domain.geo.GeoUnit;
import org.songhong.domain.geo.Geography;
import org.songhong.jobs.marts.VintageSnapshots.Obs;

/**
 * The indicators the pipeline computes from published ones, within one release's snapshot, so that
 * every derived figure uses numerator and denominator of the same year and release (docs/METHODS.md
 * section 1, "derived rows"). Each step is a static method a test calls on a hand-built snapshot;
 * every derived figure carries its inputs, so it can be explained.
 */
public final class Derivations {
  public static final String GRDP = "grdp_current";
  public static final String MULTIPLE_2020 = "grdp_current_multiple_of_2020";
  public static final String POPULATION = "population_avg";
  public static final String PER_CAPITA = "grdp_per_capita";
  public static final String REGION_SHARE = "share_of_red_river_delta_grdp";
  public static final String GHG_INVENTORY = "ghg_emissions_inventory";
  public static final String GHG_BAU = "ghg_emissions_bau";
  public static final String GHG_REDUCTION = "ghg_reduction_vs_bau";

  /** Sector value (current prices) -> its share of GRDP. */
  public static final Map<String, String> SECTOR_SHARES =
      Map.of(
          "grdp_industry_construction_current", "grdp_share_industry_construction",
          "grdp_services_current", "grdp_share_services",
          "grdp_agriculture_current", "grdp_share_agriculture",
          "grdp_product_taxes_current", "grdp_share_product_taxes");

  static final List<String> REGIONS = List.of("RRD", "RRD-2025");

  private Derivations() {}

  /** A published regional subtotal compared with the sum of the region's members. */
  public record SubtotalCheck(
      String indicator,
      String regionId,
      int year,
      double published,
      double computed,
      List<String> members) {
    public double differencePct() {
      return computed == 0 ? 0 : 100.0 * (published - computed) / computed;
    }
  }

  /**
   * Adds every derived series to the snapshot; returns the checks of published regional subtotals.
   */
  public static List<SubtotalCheck> apply(
      Snapshot s, Geography geography, IndicatorCatalog indicators) {
    List<String> additive =
        indicators.all().stream().filter(Indicator::additive).map(Indicator::code).toList();
    backcast(s, geography, additive);
    List<SubtotalCheck> checks = regionTotals(s, geography, additive);
    perCapita(s);
    multipleOf2020(s);
    sectorShares(s);
    regionShare(s, geography);
    ghgReduction(s);
    return checks;
  }

  /**
   * The units the 2025 merger created, back-cast to earlier years by summing their parts, for
   * additive indicators only (GRDP, population): rates and per-capita values are recomputed from
   * the back-cast numerator and denominator by the later steps, never summed.
   */
  static void backcast(Snapshot s, Geography geography, List<String> additive) {
    Map<String, List<String>> parts = new java.util.TreeMap<>();
    for (var row : geography.crosswalk()) {
      parts.computeIfAbsent(row.to(), k -> new ArrayList<>()).add(row.from());
    }
    for (Map.Entry<String, List<String>> e : parts.entrySet()) {
      int firstYear = geography.unit(e.getKey()).orElseThrow().validFrom().getYear();
      for (String indicator : additive) {
        java.util.TreeSet<Integer> years = new java.util.TreeSet<>();
        e.getValue()
            .forEach(
                from -> years.addAll(s.series(indicator, from).headMap(firstYear, false).keySet()));
        for (int year : years) {
          if (s.get(indicator, e.getKey(), year).isPresent()) {
            continue;
          }
          List<Obs> in = new ArrayList<>();
          for (String from : e.getValue()) {
            s.get(indicator, from, year).ifPresent(in::add);
          }
          if (in.size() == e.getValue().size()) {
            s.put(
                Obs.derived(
                    indicator,
                    e.getKey(),
                    year,
                    in.stream().mapToDouble(Obs::value).sum(),
                    in.get(0).unit(),
                    "back-cast to the 2025 boundary: sum of " + String.join(" + ", e.getValue()),
                    in));
          }
        }
      }
    }
  }

  /**
   * Each region's total of every additive indicator, from its members, in every year all members
   * have a figure. Where the source published a subtotal row, the published figure stands and is
   * compared with the sum of the members.
   */
  static List<SubtotalCheck> regionTotals(Snapshot s, Geography geography, List<String> additive) {
    List<SubtotalCheck> checks = new ArrayList<>();
    for (String regionId : REGIONS) {
      Optional<GeoUnit> region = geography.unit(regionId);
      if (region.isEmpty()) {
        continue;
      }
      List<String> members = region.get().members();
      for (String indicator : additive) {
        // Every member must have the year, so the first member's years are the candidates.
        for (int year :
            members.isEmpty()
                ? List.<Integer>of()
                : new ArrayList<>(s.series(indicator, members.get(0)).keySet())) {
          List<Obs> in = new ArrayList<>();
          for (String m : members) {
            s.get(indicator, m, year).ifPresent(in::add);
          }
          if (in.size() != members.size()) {
            continue;
          }
          double total = in.stream().mapToDouble(Obs::value).sum();
          Optional<Obs> published = s.get(indicator, regionId, year);
          if (published.isPresent()) {
            checks.add(
                new SubtotalCheck(
                    indicator, regionId, year, published.get().value(), total, members));
          } else {
            s.put(
                Obs.derived(
                    indicator,
                    regionId,
                    year,
                    total,
                    in.get(0).unit(),
                    "sum of the " + members.size() + " members of " + regionId,
                    in));
          }
        }
      }
    }
    return checks;
  }

  /**
   * GRDP per capita = GRDP (billion VND) / mid-year population (thousand) = million VND, where not
   * published.
   */
  static void perCapita(Snapshot s) {
    for (TreeMap<Integer, Obs> grdp : seriesOf(s, GRDP)) {
      for (Obs g : grdp.values()) {
        if (s.get(PER_CAPITA, g.geoId(), g.year()).isPresent()) {
          continue;
        }
        s.get(POPULATION, g.geoId(), g.year())
            .filter(p -> p.value() > 0)
            .ifPresent(
                p ->
                    s.put(
                        Obs.derived(
                            PER_CAPITA,
                            g.geoId(),
                            g.year(),
                            g.value() / p.value(),
                            "million VND",
                            "grdp_current / population_avg (billion VND / thousand persons = million VND per person)",
                            List.of(g, p))));
      }
    }
  }

  /** GRDP at current prices as a multiple of its 2020 value. */
  static void multipleOf2020(Snapshot s) {
    for (TreeMap<Integer, Obs> grdp : seriesOf(s, GRDP)) {
      Obs base = grdp.get(2020);
      if (base == null || base.value() <= 0) {
        continue;
      }
      for (Obs g : grdp.values()) {
        s.put(
            Obs.derived(
                MULTIPLE_2020,
                g.geoId(),
                g.year(),
                g.value() / base.value(),
                "x 2020",
                "grdp_current[" + g.year() + "] / grdp_current[2020]",
                List.of(g, base)));
      }
    }
  }

  /**
   * Each sector's share of GRDP: its value over the sum of the four sectors, same year and release.
   */
  static void sectorShares(Snapshot s) {
    String first = SECTOR_SHARES.keySet().stream().sorted().findFirst().orElseThrow();
    for (TreeMap<Integer, Obs> anySector : seriesOf(s, first)) {
      for (Obs o : anySector.values()) {
        List<Obs> parts = new ArrayList<>();
        for (String sector : SECTOR_SHARES.keySet().stream().sorted().toList()) {
          s.get(sector, o.geoId(), o.year()).ifPresent(parts::add);
        }
        if (parts.size() != SECTOR_SHARES.size()) {
          continue;
        }
        double total = parts.stream().mapToDouble(Obs::value).sum();
        for (Obs part : parts) {
          s.put(
              Obs.derived(
                  SECTOR_SHARES.get(part.indicator()),
                  o.geoId(),
                  o.year(),
                  100.0 * part.value() / total,
                  "% of GRDP",
                  part.indicator() + " / sum of the four sectors x 100",
                  parts));
        }
      }
    }
  }

  /**
   * A province's share of its region's GRDP: its GRDP over the sum of the GRDP of every member of
   * the region as it was that year (11 provinces before the 2025 merger, 7 units after). Not
   * computed when a member's figure is missing: a partial sum would overstate the share.
   */
  static void regionShare(Snapshot s, Geography geography) {
    for (String regionId : REGIONS) {
      Optional<GeoUnit> region = geography.unit(regionId);
      if (region.isEmpty()) {
        continue;
      }
      List<String> members = region.get().members();
      for (int year :
          members.isEmpty()
              ? List.<Integer>of()
              : new ArrayList<>(s.series(GRDP, members.get(0)).keySet())) {
        if (!region.get().validOn(LocalDate.of(year, 12, 31))) {
          continue;
        }
        List<Obs> parts = new ArrayList<>();
        for (String m : members) {
          s.get(GRDP, m, year).ifPresent(parts::add);
        }
        if (parts.size() != members.size()) {
          continue;
        }
        double total = parts.stream().mapToDouble(Obs::value).sum();
        for (Obs p : parts) {
          s.put(
              Obs.derived(
                  REGION_SHARE,
                  p.geoId(),
                  year,
                  100.0 * p.value() / total,
                  "% of the region's GRDP",
                  "grdp_current / sum of grdp_current of the "
                      + members.size()
                      + " members of "
                      + regionId,
                  parts));
        }
      }
    }
  }

  /** Reduction of greenhouse-gas emissions against the business-as-usual scenario, %. */
  static void ghgReduction(Snapshot s) {
    for (TreeMap<Integer, Obs> inventory : seriesOf(s, GHG_INVENTORY)) {
      for (Obs inv : inventory.values()) {
        s.get(GHG_BAU, inv.geoId(), inv.year())
            .filter(b -> b.value() > 0)
            .ifPresent(
                bau ->
                    s.put(
                        Obs.derived(
                            GHG_REDUCTION,
                            inv.geoId(),
                            inv.year(),
                            100.0 * (bau.value() - inv.value()) / bau.value(),
                            "% below BAU",
                            "(ghg_emissions_bau - ghg_emissions_inventory) / ghg_emissions_bau x 100",
                            List.of(inv, bau))));
      }
    }
  }

  private static List<TreeMap<Integer, Obs>> seriesOf(Snapshot s, String indicator) {
    return s.allSeries().stream()
        .filter(m -> !m.isEmpty() && m.firstEntry().getValue().indicator().equals(indicator))
        .map(TreeMap::new)
        .toList();
  }
}
