package org.songhong.jobs.logistics;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.songhong.contract.ContractCatalog;
import org.songhong.contract.NamedRow;
import org.songhong.contract.Tables;
import org.songhong.domain.logistics.LogisticsCatalog;

/**
 * Builds {@code gold.logistics_throughput_monthly} and {@code _yearly} from the reported figures of
 * every release. For each release date, the figures known then (each month's latest publication up
 * to that date) are rolled up to terminal, port area and city; the release's rows are the cells it
 * published or changed, with growth, year-to-date, rolling-12-month and shares computed on what was
 * known then. Pure: no Spark session; rows built by column name ({@link NamedRow}).
 */
public final class ThroughputBuilder {
  /** A silver figure. */
  public record Fig(
      String unitId,
      String portAreaId,
      LocalDate month,
      String measure,
      String cargoType,
      String flow,
      double value,
      String unitOfMeasure,
      String vintage,
      LocalDate publishedOn) {
    String key() {
      return unitId + "|" + month + "|" + measure + "|" + cargoType + "|" + flow;
    }
  }

  public record Result(List<Row> monthly, List<Row> yearly) {}

  private record Cell(String level, String unitId, String measure) {}

  private final LogisticsCatalog catalog;
  private final StructType monthlyType;
  private final StructType yearlyType;

  /** Rows are built by column name, in the layout of the two tables' contracts. */
  public ThroughputBuilder(LogisticsCatalog catalog, ContractCatalog contracts) {
    this.catalog = catalog;
    this.monthlyType = contracts.get(Tables.GOLD_LOGISTICS_THROUGHPUT_MONTHLY).schema();
    this.yearlyType = contracts.get(Tables.GOLD_LOGISTICS_THROUGHPUT_YEARLY).schema();
  }

  /** The gold measures a figure counts toward. */
  static List<String> measures(Fig f) {
    List<String> out = new ArrayList<>();
    switch (f.measure()) {
      case "cargo_tonnes" -> {
        out.add("cargo_tonnes");
        if (!f.cargoType().equals("all")) {
          out.add("cargo_tonnes_" + f.cargoType());
        }
        if (!f.flow().equals("all")) {
          out.add("cargo_tonnes_" + f.flow());
        }
      }
      case "passengers" -> {
        out.add("passengers");
        if (!f.flow().equals("all")) {
          out.add("passengers_" + f.flow());
        }
      }
      default -> out.add(f.measure());
    }
    return out;
  }

  public Result build(List<Fig> figures) {
    TreeSet<LocalDate> releases = new TreeSet<>();
    figures.forEach(f -> releases.add(f.publishedOn()));
    Map<String, TreeSet<String>> vintagesOn = new HashMap<>();
    figures.forEach(
        f ->
            vintagesOn
                .computeIfAbsent(f.publishedOn().toString(), k -> new TreeSet<>())
                .add(f.vintage()));
    List<Row> monthly = new ArrayList<>();
    List<Row> yearly = new ArrayList<>();
    Map<String, Map<LocalDate, Double>> previousMonthly = new HashMap<>();
    Map<String, Double> previousYearly = new HashMap<>();
    for (LocalDate release : releases) {
      // What was known on the release date: each figure's latest publication up to it.
      Map<String, Fig> known = new HashMap<>();
      for (Fig f : figures) {
        if (!f.publishedOn().isAfter(release)) {
          known.merge(f.key(), f, (a, b) -> b.publishedOn().isAfter(a.publishedOn()) ? b : a);
        }
      }
      // Roll up: cell -> month -> value, and which cells/months this release touched.
      Map<Cell, TreeMap<LocalDate, Double>> values = new HashMap<>();
      Map<Cell, TreeSet<LocalDate>> touched = new HashMap<>();
      Map<Cell, String> uom = new HashMap<>();
      for (Fig f : known.values()) {
        for (String m : measures(f)) {
          for (Cell c :
              List.of(
                  new Cell("terminal", f.unitId(), m),
                  new Cell("port_area", f.portAreaId(), m),
                  new Cell("city", catalog.city().geoId(), m))) {
            values
                .computeIfAbsent(c, k -> new TreeMap<>())
                .merge(f.month(), f.value(), Double::sum);
            uom.put(c, f.unitOfMeasure());
            if (f.publishedOn().equals(release)) {
              touched.computeIfAbsent(c, k -> new TreeSet<>()).add(f.month());
            }
          }
        }
      }
      String vintage = String.join("+", vintagesOn.get(release.toString()));
      for (Map.Entry<Cell, TreeSet<LocalDate>> e : touched.entrySet()) {
        Cell c = e.getKey();
        TreeMap<LocalDate, Double> series = values.get(c);
        TreeMap<LocalDate, Double> city =
            values.get(new Cell("city", catalog.city().geoId(), c.measure()));
        Map<LocalDate, Double> before =
            previousMonthly.computeIfAbsent(cellKey(c), k -> new HashMap<>());
        for (LocalDate month : e.getValue()) {
          double v = series.get(month);
          Double prior = before.get(month);
          boolean restated = prior != null && Math.abs(prior - v) > 1e-9;
          if (prior != null && !restated) {
            continue; // republished unchanged: no new row
          }
          monthly.add(
              NamedRow.of(monthlyType)
                  .set("level", c.level())
                  .set("unit_id", c.unitId())
                  .set("unit_name", name(c))
                  .set("port_area_id", area(c))
                  .set("month", Date.valueOf(month))
                  .set("year", month.getYear())
                  .set("measure", c.measure())
                  .set("unit_of_measure", uom.get(c))
                  .set("value", v)
                  .set("yoy_pct", pct(v, series.get(month.minusYears(1))))
                  .set("ytd_value", ytd(series, month))
                  .set("ytd_yoy_pct", pct(ytd(series, month), ytd(series, month.minusYears(1))))
                  .set("rolling_12m_value", sum(series, month.minusMonths(11), month))
                  .set(
                      "rolling_12m_yoy_pct",
                      pct(
                          sum(series, month.minusMonths(11), month),
                          sum(series, month.minusMonths(23), month.minusMonths(12))))
                  .set(
                      "share_of_city_pct",
                      c.level().equals("city")
                          ? null
                          : share(v, city == null ? null : city.get(month)))
                  .set("vintage", vintage)
                  .set("published_on", Date.valueOf(release))
                  .set("restated", restated)
                  .set("previous_value", restated ? prior : null)
                  .row());
          before.put(month, v);
        }
        for (int year : e.getValue().stream().map(LocalDate::getYear).distinct().toList()) {
          List<LocalDate> months =
              series.keySet().stream().filter(m -> m.getYear() == year).toList();
          double total = months.stream().mapToDouble(series::get).sum();
          String yk = cellKey(c) + "|" + year;
          Double prior = previousYearly.get(yk);
          if (prior != null && Math.abs(prior - total) < 1e-9) {
            continue;
          }
          previousYearly.put(yk, total);
          Double lastYearSameMonths =
              months.stream().allMatch(m -> series.containsKey(m.minusYears(1)))
                  ? months.stream().mapToDouble(m -> series.get(m.minusYears(1))).sum()
                  : null;
          double cityTotal =
              city == null
                  ? 0
                  : city.entrySet().stream()
                      .filter(x -> x.getKey().getYear() == year)
                      .mapToDouble(Map.Entry::getValue)
                      .sum();
          String indicator =
              c.level().equals("city") && months.size() == 12
                  ? catalog.feeds().stream()
                      .filter(fd -> fd.measure().equals(c.measure()))
                      .map(LogisticsCatalog.Feed::indicator)
                      .findFirst()
                      .orElse(null)
                  : null;
          yearly.add(
              NamedRow.of(yearlyType)
                  .set("level", c.level())
                  .set("unit_id", c.unitId())
                  .set("unit_name", name(c))
                  .set("port_area_id", area(c))
                  .set("year", year)
                  .set("measure", c.measure())
                  .set("unit_of_measure", uom.get(c))
                  .set("value", total)
                  .set("months_reported", months.size())
                  .set("yoy_pct", pct(total, lastYearSameMonths))
                  .set(
                      "share_of_city_pct",
                      c.level().equals("city") ? null : share(total, cityTotal))
                  .set("indicator_code", indicator)
                  .set("vintage", vintage)
                  .set("published_on", Date.valueOf(release))
                  .row());
        }
      }
    }
    return new Result(monthly, yearly);
  }

  private static String cellKey(Cell c) {
    return c.level() + "|" + c.unitId() + "|" + c.measure();
  }

  private String name(Cell c) {
    return switch (c.level()) {
      case "terminal" ->
          catalog.terminal(c.unitId()).map(LogisticsCatalog.Terminal::nameVi).orElse(c.unitId());
      case "port_area" -> catalog.portArea(c.unitId()).nameVi();
      default -> catalog.city().nameVi();
    };
  }

  private String area(Cell c) {
    return switch (c.level()) {
      case "terminal" ->
          catalog.terminal(c.unitId()).map(LogisticsCatalog.Terminal::portArea).orElse(null);
      case "port_area" -> c.unitId();
      default -> null;
    };
  }

  /** January to {@code month}, or null if a month is missing. */
  static Double ytd(TreeMap<LocalDate, Double> s, LocalDate month) {
    return sum(s, month.withMonth(1), month);
  }

  /** The sum of the months from..to inclusive, or null if one is missing. */
  static Double sum(TreeMap<LocalDate, Double> s, LocalDate from, LocalDate to) {
    double total = 0;
    for (LocalDate m = from; !m.isAfter(to); m = m.plusMonths(1)) {
      Double v = s.get(m);
      if (v == null) {
        return null;
      }
      total += v;
    }
    return total;
  }

  static Double pct(Double now, Double before) {
    return now == null || before == null || before == 0 ? null : (now / before - 1) * 100;
  }

  static Double share(Double part, Double whole) {
    return part == null || whole == null || whole == 0 ? null : part / whole * 100;
  }
}
