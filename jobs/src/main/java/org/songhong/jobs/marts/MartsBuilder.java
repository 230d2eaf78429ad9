package org.songhong.jobs.marts;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.songhong.domain.IndicatorCatalog;
import org.songhong.domain.geo.GeoUnit;
import org.songhong.domain.geo.Geography;
import org.songhong.domain.targets.Attainment;
import org.songhong.domain.targets.AttainmentCalculator;
import org.songhong.domain.targets.Target;
import org.songhong.jobs.marts.VintageSnapshots.Obs;
import org.songhong.jobs.marts.VintageSnapshots.Vintage;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Builds the rows of the provincial marts from the figures of every release: for each release,
 * the snapshot of what was known then, the derived indicators, then {@code gold.indicator_series},
 * {@code gold.target_attainment} and (for the latest release) {@code gold.scorecard}. Pure: no
 * Spark session, rows in the contracts' column order.
 */
public final class MartsBuilder {
  static final LocalDate REFORM_2025 = LocalDate.of(2025, 7, 1);

  /** The rows of the three marts. */
  public record Marts(List<Row> attainment, List<Row> indicatorSeries, List<Row> scorecard, List<Row> subtotalChecks) {}

  private final List<Target> targets;
  private final Geography geography;
  private final IndicatorCatalog indicators;
  private final AttainmentCalculator calculator;
  private final double subtotalTolerancePct;

  public MartsBuilder(List<Target> targets, Geography geography, IndicatorCatalog indicators,
      AttainmentCalculator calculator, double subtotalTolerancePct) {
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
        checks.add(RowFactory.create(c.indicator(), c.regionId(), c.year(), v.label(), c.published(), c.computed(),
            c.differencePct(), Math.abs(c.differencePct()) <= subtotalTolerancePct,
            CollectionConverters.asScala(c.members()).toSeq()));
      }
      series.addAll(seriesRows(s));
      for (Target catalogTarget : targets) {
        for (Target t : onBothBoundaries(catalogTarget)) {
          TreeMap<Integer, Double> values = s.values(t.indicator(), t.geoId());
          List<Integer> asOf = values.keySet().stream()
              .filter(y -> y > t.baselineYear() && y <= t.targetYear()).toList();
          if (asOf.isEmpty()) {
            asOf = List.of(Math.min(Math.max(s.latestYear(), t.baselineYear()), t.targetYear()));
          }
          for (int year : asOf) {
            Attainment a = calculator.compute(t, values, year);
            attainment.add(attainmentRow(t, v, year, a, inputs(s, t, a)));
            boolean catalogUnit = t.geoId().equals(catalogTarget.geoId());
            if (catalogUnit && vi == vintages.size() - 1 && year == asOf.get(asOf.size() - 1)) {
              scorecard.put(t.id() + "|" + t.geoId(), scorecardRow(t, v, year, a, values));
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
    geography.crosswalk().stream().filter(r -> r.from().equals(t.geoId())).map(r -> r.to()).distinct()
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
        Double yoyPct = prev == null || prev.value() == 0 ? null : 100.0 * (o.value() / prev.value() - 1);
        boolean crosses = crossesBoundary(o.geoId(), o.year());
        rows.add(RowFactory.create(o.indicator(), o.geoId(), o.year(), s.vintage().label(),
            Date.valueOf(s.vintage().publishedOn()), o.value(), o.unit(), yoy, yoyPct, crosses,
            o.isDerived(), o.derivation(), o.vintage(), o.sourceFile(), o.isDerived() ? null : o.sourceLine(),
            o.sourceCell()));
      }
    }
    return rows;
  }

  /** The first year of a unit a merger created: its series does not continue its parts' series. */
  private boolean crossesBoundary(String geoId, int year) {
    return geography.unit(geoId)
        .filter(u -> u.validFrom().getYear() == year)
        .map(u -> geography.crosswalk().stream().anyMatch(r -> r.to().equals(geoId)))
        .orElse(false);
  }

  /** Every figure an attainment row used, derived ones with their own inputs. */
  private static List<Obs> inputs(Snapshot s, Target t, Attainment a) {
    List<Obs> out = new ArrayList<>();
    for (int y : a.observationYears()) {
      s.get(t.indicator(), t.geoId(), y).ifPresent(o -> {
        out.add(o);
        out.addAll(o.inputs());
      });
    }
    if (t.measure() != Target.Measure.AVERAGE_GROWTH && !a.observationYears().contains(t.baselineYear())) {
      s.get(t.indicator(), t.geoId(), t.baselineYear()).ifPresent(out::add);
    }
    return out;
  }

  private static Row inputRow(Obs o) {
    return RowFactory.create(o.indicator(), o.geoId(), o.year(), o.value(), o.unit(), o.vintage(), o.sourceFile(),
        o.isDerived() ? null : o.sourceLine(), o.sourceCell(), o.derivation());
  }

  private Row attainmentRow(Target t, Vintage v, int asOfYear, Attainment a, List<Obs> inputs) {
    return RowFactory.create(
        t.id(), t.indicator(), t.geoId(), boundary(geography, t.geoId()), v.label(), Date.valueOf(v.publishedOn()),
        asOfYear, t.methodName(), t.measure().name().toLowerCase(), t.comparison().name().toLowerCase(), t.isStrict(),
        t.unit(), t.baselineYear(), a.baselineValue(), a.latestValue(), a.measuredValue(),
        t.targetYear(), t.value(), t.lo(), t.hi(), t.tolerance(), a.targetLevel(),
        a.cs(), a.cagrActualPct(), a.cagrRequiredPct(), a.rog(), a.cagrNeededFromNowPct(),
        a.projectedT(), a.projectedTLinear(), a.ap(), a.status(),
        CollectionConverters.asScala(a.observationYears()).toSeq(), a.note(),
        CollectionConverters.asScala(inputs.stream().map(MartsBuilder::inputRow).toList()).toSeq());
  }

  private Row scorecardRow(Target t, Vintage v, int asOfYear, Attainment a, TreeMap<Integer, Double> values) {
    List<Row> spark = new ArrayList<>();
    values.forEach((y, x) -> spark.add(RowFactory.create(y, x)));
    String target = switch (t.comparison()) {
      case AT_LEAST -> (t.isStrict() ? "> " : ">= ") + num(t.value());
      case AT_MOST -> (t.isStrict() ? "< " : "<= ") + num(t.value());
      case RANGE -> num(t.lo()) + "-" + num(t.hi());
      case ABOUT -> "~ " + num(t.value()) + " (+/- " + num(t.tolerance()) + ")";
    };
    if (t.measure() == Target.Measure.MULTIPLE_OF_BASE) {
      target = target + " x " + t.baselineYear();
    }
    return RowFactory.create(t.id(), t.geoId(), t.indicator(), t.unit(), t.wordingVi(), t.wordingEn(),
        v.label(), asOfYear, a.status(), a.measuredValue(), target, t.targetYear(), a.cagrNeededFromNowPct(), a.cs(),
        a.rog(), CollectionConverters.asScala(spark).toSeq(),
        Explanations.vietnamese(a, asOfYear), Explanations.english(a, asOfYear));
  }

  private static String num(Double d) {
    return d == Math.rint(d) ? String.valueOf(d.longValue()) : String.valueOf(d);
  }
}
