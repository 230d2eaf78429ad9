package org.songhong.domain.targets;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a target lands on an assumed path, and the status the marts would give then
 * (docs/METHODS.md section 8): the figures so far extended to the target year, by a yearly growth
 * from the latest figure or by a path of yearly values, measured by {@link AttainmentCalculator} as
 * of the target year. The SQL functions gold.scenario and gold.scenario_path answer the same (a
 * test holds them to this class's calculator); the dashboard's scenario input uses this one.
 */
public final class Scenario {
  /** A year of the assumed path, in the indicator's unit (a yearly rate for an average growth). */
  public record Point(int year, double value) {}

  /**
   * The value landed on in the target year (in the measured unit), whether it meets the target, the
   * status then, the path.
   */
  public record Result(Double landedValue, boolean met, String status, List<Point> path) {}

  private final AttainmentCalculator calculator;

  public Scenario(AttainmentCalculator calculator) {
    this.calculator = calculator;
  }

  /**
   * The indicator growing by {@code growthPct} % a year from its figure of {@code asOfYear}; a rate
   * for an average growth.
   */
  public Result growth(Target t, Map<Integer, Double> series, int asOfYear, double growthPct) {
    List<Double> path = new ArrayList<>();
    double latest = series.get(asOfYear);
    for (int y = asOfYear + 1; y <= t.targetYear(); y++) {
      path.add(
          t.measure() == Target.Measure.AVERAGE_GROWTH
              ? growthPct
              : latest * Math.pow(1 + growthPct / 100, y - asOfYear));
    }
    return path(t, series, asOfYear, path);
  }

  /**
   * The given yearly values after {@code asOfYear}; a path shorter than the years left holds its
   * last value.
   */
  public Result path(Target t, Map<Integer, Double> series, int asOfYear, List<Double> path) {
    if (!series.containsKey(asOfYear)) {
      throw new IllegalArgumentException(
          "no figure for " + asOfYear + " to start the scenario from");
    }
    TreeMap<Integer, Double> extended =
        new TreeMap<>(new TreeMap<>(series).headMap(asOfYear, true));
    List<Point> points = new ArrayList<>();
    points.add(new Point(asOfYear, series.get(asOfYear)));
    for (int y = asOfYear + 1; y <= t.targetYear() && !path.isEmpty(); y++) {
      double v = path.get(Math.min(y - asOfYear, path.size()) - 1);
      extended.put(y, v);
      points.add(new Point(y, v));
    }
    int at = Math.max(asOfYear, t.targetYear());
    if (!extended.containsKey(at)) {
      return new Result(null, false, null, points);
    }
    Attainment a = calculator.compute(t, extended, at);
    Double landed = a.measuredValue();
    return new Result(
        landed,
        landed != null && AttainmentCalculator.achieved(t, landed),
        a.status(),
        List.copyOf(points));
  }
}
