package org.songhong.jobs.marts;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.songhong.contract.ContractCatalog;
import org.songhong.contract.NamedRow;
import org.songhong.contract.Tables;
import org.songhong.domain.IndicatorCatalog;
import org.songhong.domain.geo.GeoUnit;
import org.songhong.domain.geo.Geography;
import org.songhong.domain.targets.Attainment;
import org.songhong.domain.targets.AttainmentCalculator;
import org.songhong.domain.targets.Odds;
import org.songhong.domain.targets.Target;
import org.songhong.jobs.marts.VintageSnapshots.Obs;
import org.songhong.jobs.marts.VintageSnapshots.Vintage;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Builds the rows of the provincial marts from the figures of every release: for each release, the
 * snapshot of what was known then, the derived indicators, then {@code gold.indicator_series},
 * {@code gold.target_attainment} and (for the latest release) {@code gold.scorecard}. Pure: no
 * Spark session; each row built by column name ({@link NamedRow}) and laid out as its contract
 * says.
 */
public final class MartsBuilder {
  static final LocalDate REFORM_2025 = LocalDate.of(2025, 7, 1);

  /** The rows of the three marts. */
  public record Marts(
      List<Row> attainment,
      List<Row> indicatorSeries,
      List<Row> scorecard,
      List<Row> subtotalChecks) {}

  private final List<Target> targets;
  private final Geography geography;
  private final IndicatorCatalog indicators;
  private final AttainmentCalculator calculator;
  private final Odds odds = new Odds();
  private final double subtotalTolerancePct;
  // Each schema built once: a contract builds a new StructType per call, and a row by name looks
  // its columns up in the type's own index, built once per StructType.
  private final StructType attainmentTable;
  private final StructType seriesTable;
  private final StructType scorecardTable;
  private final StructType checksTable;
  private final StructType inputType;
  private final StructType sparklineType;
  private final StructType fanType;

  public MartsBuilder(
      List<Target> targets,
      Geography geography,
      IndicatorCatalog indicators,
      AttainmentCalculator calculator,
      double subtotalTolerancePct,
      ContractCatalog contracts) {
    this.attainmentTable = contracts.get(Tables.GOLD_TARGET_ATTAINMENT).schema();
    this.seriesTable = contracts.get(Tables.GOLD_INDICATOR_SERIES).schema();
    this.scorecardTable = contracts.get(ProvincialMartsJob.SCORECARD).schema();
    this.checksTable = contracts.get(Tables.GOLD_REGION_SUBTOTAL_CHECKS).schema();
    this.inputType = NamedRow.element(contracts.get(Tables.GOLD_TARGET_ATTAINMENT), "inputs");
    this.sparklineType = NamedRow.element(contracts.get(ProvincialMartsJob.SCORECARD), "sparkline");
    this.fanType = NamedRow.element(contracts.get(ProvincialMartsJob.SCORECARD), "fan");
    this.targets = targets;
    this.geography = geography;
    this.indicators = indicators;
    this.calculator = calculator;
    this.subtotalTolerancePct = subtotalTolerancePct;
  }

  public Marts build(VintageSnapshots snapshots) {
    List<Row> attainment = new ArrayList<>();
    List<Row> series = new ArrayList<>();
    Map<String, Row> scorecard = new LinkedHashMap<>();
    List<Row> checks = new ArrayList<>();
    List<Vintage> vintages = snapshots.vintages();
    for (int vi = 0; vi < vintages.size(); vi++) {
      Vintage v = vintages.get(vi);
      Snapshot s = snapshots.at(v);
      for (Derivations.SubtotalCheck c : Derivations.apply(s, geography, indicators)) {
        checks.add(
            NamedRow.of(checksTable)
                .set("indicator_code", c.indicator())
                .set("region_id", c.regionId())
                .set("year", c.year())
                .set("vintage", v.label())
                .set("published_value", c.published())
                .set("computed_value", c.computed())
                .set("difference_pct", c.differencePct())
                .set("within_tolerance", Math.abs(c.differencePct()) <= subtotalTolerancePct)
                .set("members", CollectionConverters.asScala(c.members()).toSeq())
                .row());
      }
      series.addAll(seriesRows(s));
      for (Target catalogTarget : targets) {
        for (Target t : onBothBoundaries(catalogTarget)) {
          TreeMap<Integer, Double> values = s.values(t.indicator(), t.geoId());
          List<Integer> asOf =
              values.keySet().stream()
                  .filter(y -> y > t.baselineYear() && y <= t.targetYear())
                  .toList();
          if (asOf.isEmpty()) {
            asOf = List.of(Math.min(Math.max(s.latestYear(), t.baselineYear()), t.targetYear()));
          }
          for (int year : asOf) {
            Attainment a = calculator.compute(t, values, year);
            boolean catalogUnit = t.geoId().equals(catalogTarget.geoId());
            boolean onScorecard =
                catalogUnit && vi == vintages.size() - 1 && year == asOf.get(asOf.size() - 1);
            String key = Odds.key(t.id(), t.geoId(), v.label(), year);
            Odds.Result o =
                Attainment.INSUFFICIENT_DATA.equals(a.status())
                    ? odds.refuse(key, "no odds without a status (" + a.note() + ")")
                    : onScorecard
                        ? odds.computeWithFan(t, values, year, key, breakYear(t.geoId()))
                        : odds.compute(t, values, year, key, breakYear(t.geoId()));
            List<Obs> in = inputs(s, t, a);
            Provenance pv = provenance(in);
            attainment.add(attainmentRow(t, v, year, a, o, pv, in));
            if (onScorecard) {
              scorecard.put(t.id() + "|" + t.geoId(), scorecardRow(t, v, year, a, o, pv, values));
            }
          }
        }
      }
    }
    return new Marts(attainment, series, new ArrayList<>(scorecard.values()), checks);
  }

  /**
   * The target on its own unit and, where a merger made that unit part of a new one, on the new
   * unit too (docs/METHODS.md section 6: attainment says which geography it used, and offers both).
   */
  private List<Target> onBothBoundaries(Target t) {
    List<Target> out = new ArrayList<>();
    out.add(t);
    geography.crosswalk().stream()
        .filter(r -> r.from().equals(t.geoId()))
        .map(r -> r.to())
        .distinct()
        .forEach(to -> out.add(t.onUnit(to)));
    return out;
  }

  /** "old" (a unit that ended with the 2025 merger), "new" (one it created) or "unchanged". */
  public static String boundary(Geography geography, String geoId) {
    GeoUnit u = geography.unit(geoId).orElseThrow();
    if (u.validTo() != null && u.validTo().isBefore(REFORM_2025)) {
      return "old";
    }
    if (!u.validFrom().isBefore(REFORM_2025)) {
      return "new";
    }
    return "unchanged";
  }

  private List<Row> seriesRows(Snapshot s) {
    List<Row> rows = new ArrayList<>();
    for (TreeMap<Integer, Obs> ser : s.allSeries()) {
      for (Obs o : ser.values()) {
        Obs prev = ser.get(o.year() - 1);
        Double yoy = prev == null ? null : o.value() - prev.value();
        Double yoyPct =
            prev == null || prev.value() == 0 ? null : 100.0 * (o.value() / prev.value() - 1);
        boolean crosses = crossesBoundary(o.geoId(), o.year());
        rows.add(
            NamedRow.of(seriesTable)
                .set("indicator_code", o.indicator())
                .set("geo_id", o.geoId())
                .set("year", o.year())
                .set("vintage", s.vintage().label())
                .set("vintage_published_on", Date.valueOf(s.vintage().publishedOn()))
                .set("value", o.value())
                .set("unit", o.unit())
                .set("yoy_change", yoy)
                .set("yoy_change_pct", yoyPct)
                .set("crosses_boundary_change", crosses)
                .set("is_derived", o.isDerived())
                .set("derivation", o.derivation())
                .set("value_vintage", o.vintage())
                .set("source_file", o.sourceFile())
                .set("source_line", o.isDerived() ? null : o.sourceLine())
                .set("source_cell", o.sourceCell())
                .row());
      }
    }
    return rows;
  }

  /** The first year of a unit a merger created: its series does not continue its parts' series. */
  private boolean crossesBoundary(String geoId, int year) {
    return geography
        .unit(geoId)
        .filter(u -> u.validFrom().getYear() == year)
        .map(u -> geography.crosswalk().stream().anyMatch(r -> r.to().equals(geoId)))
        .orElse(false);
  }

  /** The first year of a unit a merger created (its series breaks there), or null. */
  private Integer breakYear(String geoId) {
    return geography
        .unit(geoId)
        .filter(u -> geography.crosswalk().stream().anyMatch(r -> r.to().equals(geoId)))
        .map(u -> u.validFrom().getYear())
        .orElse(null);
  }

  /**
   * Of the figures behind a row, each once: how many are illustrative, and where the published ones
   * were published.
   */
  record Provenance(int illustrative, List<String> sources) {}

  static Provenance provenance(List<Obs> inputs) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    java.util.TreeSet<String> sources = new java.util.TreeSet<>();
    int illustrative = 0;
    for (Obs o : inputs) {
      for (Obs leaf : o.leaves()) {
        if (!seen.add(
            leaf.indicator() + "|" + leaf.geoId() + "|" + leaf.year() + "|" + leaf.vintage())) {
          continue;
        }
        if (Obs.ILLUSTRATIVE.equals(leaf.provenance())) {
          illustrative++;
        } else if (leaf.provenanceSource() != null && !Obs.COMPUTED.equals(leaf.provenance())) {
          sources.add(leaf.provenanceSource());
        }
      }
    }
    return new Provenance(illustrative, List.copyOf(sources));
  }

  /** Every figure an attainment row used, derived ones with their own inputs. */
  private static List<Obs> inputs(Snapshot s, Target t, Attainment a) {
    List<Obs> out = new ArrayList<>();
    for (int y : a.observationYears()) {
      s.get(t.indicator(), t.geoId(), y)
          .ifPresent(
              o -> {
                out.add(o);
                out.addAll(o.inputs());
              });
    }
    if (t.measure() != Target.Measure.AVERAGE_GROWTH
        && !a.observationYears().contains(t.baselineYear())) {
      s.get(t.indicator(), t.geoId(), t.baselineYear()).ifPresent(out::add);
    }
    return out;
  }

  private Row inputRow(Obs o) {
    return NamedRow.of(inputType)
        .set("indicator", o.indicator())
        .set("geo_id", o.geoId())
        .set("year", o.year())
        .set("value", o.value())
        .set("unit", o.unit())
        .set("vintage", o.vintage())
        .set("source_file", o.sourceFile())
        .set("source_line", o.isDerived() ? null : o.sourceLine())
        .set("source_cell", o.sourceCell())
        .set("derivation", o.derivation())
        .row();
  }

  private Row attainmentRow(
      Target t,
      Vintage v,
      int asOfYear,
      Attainment a,
      Odds.Result o,
      Provenance pv,
      List<Obs> inputs) {
    return NamedRow.of(attainmentTable)
        .set("target_id", t.id())
        .set("indicator_code", t.indicator())
        .set("geo_id", t.geoId())
        .set("boundary", boundary(geography, t.geoId()))
        .set("vintage", v.label())
        .set("vintage_published_on", Date.valueOf(v.publishedOn()))
        .set("as_of_year", asOfYear)
        .set("method", t.methodName())
        .set("measure", t.measure().name().toLowerCase())
        .set("comparison", t.comparison().name().toLowerCase())
        .set("strict", t.isStrict())
        .set("unit", t.unit())
        .set("baseline_year", t.baselineYear())
        .set("baseline_value", a.baselineValue())
        .set("latest_value", a.latestValue())
        .set("measured_value", a.measuredValue())
        .set("target_year", t.targetYear())
        .set("target_value", t.value())
        .set("target_lo", t.lo())
        .set("target_hi", t.hi())
        .set("tolerance", t.tolerance())
        .set("target_level", a.targetLevel())
        .set("cs", a.cs())
        .set("cagr_actual_pct", a.cagrActualPct())
        .set("cagr_required_pct", a.cagrRequiredPct())
        .set("rog", a.rog())
        .set("cagr_needed_from_now_pct", a.cagrNeededFromNowPct())
        .set("projected_target_year", a.projectedT())
        .set("projected_target_year_linear", a.projectedTLinear())
        .set("ap", a.ap())
        .set("status", a.status())
        .set("p_meet_target", o.pMeet())
        .set("projected_central", o.central())
        .set("projected_lo_80", o.lo80())
        .set("projected_hi_80", o.hi80())
        .set("projected_lo_95", o.lo95())
        .set("projected_hi_95", o.hi95())
        .set("odds_changes", o.changes())
        .set("odds_draws", o.draws())
        .set("odds_seed", o.seed())
        .set("odds_note", o.note())
        .set("illustrative_figures", pv.illustrative())
        .set("rests_on_illustrative", pv.illustrative() > 0)
        .set("published_sources", CollectionConverters.asScala(pv.sources()).toSeq())
        .set("observation_years", CollectionConverters.asScala(a.observationYears()).toSeq())
        .set("note", a.note())
        .set(
            "inputs",
            CollectionConverters.asScala(inputs.stream().map(this::inputRow).toList()).toSeq())
        .row();
  }

  private Row scorecardRow(
      Target t,
      Vintage v,
      int asOfYear,
      Attainment a,
      Odds.Result o,
      Provenance pv,
      TreeMap<Integer, Double> values) {
    List<Row> spark = new ArrayList<>();
    values.forEach(
        (y, x) -> spark.add(NamedRow.of(sparklineType).set("year", y).set("value", x).row()));
    String target =
        switch (t.comparison()) {
          case AT_LEAST -> (t.isStrict() ? "> " : ">= ") + num(t.value());
          case AT_MOST -> (t.isStrict() ? "< " : "<= ") + num(t.value());
          case RANGE -> num(t.lo()) + "-" + num(t.hi());
          case ABOUT -> "~ " + num(t.value()) + " (+/- " + num(t.tolerance()) + ")";
        };
    if (t.measure() == Target.Measure.MULTIPLE_OF_BASE) {
      target = target + " x " + t.baselineYear();
    }
    return NamedRow.of(scorecardTable)
        .set("target_id", t.id())
        .set("geo_id", t.geoId())
        .set("indicator_code", t.indicator())
        .set("unit", t.unit())
        .set("wording_vi", t.wordingVi())
        .set("wording_en", t.wordingEn())
        .set("vintage", v.label())
        .set("as_of_year", asOfYear)
        .set("status", a.status())
        .set("value", a.measuredValue())
        .set("target", target)
        .set("target_year", t.targetYear())
        .set("cagr_needed_from_now_pct", a.cagrNeededFromNowPct())
        .set("cs", a.cs())
        .set("rog", a.rog())
        .set("p_meet_target", o.pMeet())
        .set("projected_central", o.central())
        .set("projected_lo_80", o.lo80())
        .set("projected_hi_80", o.hi80())
        .set("projected_lo_95", o.lo95())
        .set("projected_hi_95", o.hi95())
        .set("odds_note", o.note())
        .set("rests_on_illustrative", pv.illustrative() > 0)
        .set("published_sources", CollectionConverters.asScala(pv.sources()).toSeq())
        .set(
            "fan",
            CollectionConverters.asScala(
                    o.fan().stream()
                        .map(
                            f ->
                                NamedRow.of(fanType)
                                    .set("year", f.year())
                                    .set("lo_95", f.lo95())
                                    .set("lo_80", f.lo80())
                                    .set("central", f.central())
                                    .set("hi_80", f.hi80())
                                    .set("hi_95", f.hi95())
                                    .row())
                        .toList())
                .toSeq())
        .set("sparkline", CollectionConverters.asScala(spark).toSeq())
        .set("explanation_vi", Explanations.vietnamese(a, asOfYear))
        .set("explanation_en", Explanations.english(a, asOfYear))
        .row();
  }

  private static String num(Double d) {
    return d == Math.rint(d) ? String.valueOf(d.longValue()) : String.valueOf(d);
  }
}
