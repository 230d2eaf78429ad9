package org.songhong.domain.targets;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Progress toward a quantitative target, exactly as docs/METHODS.md section 1: the ESCAP current
 * status and anticipated progress, the Eurostat growth ratio and its four classes, and the rate
 * still needed from now.
 *
 * <p>Each measure kind is brought to a level series {@code x} before the formulas apply:
 *
 * <ul>
 *   <li>level: the indicator itself; the target level is the target value;
 *   <li>multiple of base: the indicator; the target level is {@code k * x0};
 *   <li>average growth: the cumulative index of the yearly rates, {@code x0 = 1}, {@code xt =
 *       prod(1 + g_i)}, target level {@code (1 + r)^(T - t0)}. Then {@code cagr_actual} is the
 *       geometric mean of the rates and {@code cagr_needed_from_now} is docs/METHODS.md's {@code
 *       ((1 + r)^(T - t0) / prod(1 + g_i))^(1/(T - t)) - 1}.
 * </ul>
 *
 * Pure Java with no Spark, so that every kind can be checked by hand in a unit test.
 */
public final class AttainmentCalculator {
  /** Thresholds of the Eurostat classes; defaults from docs/METHODS.md. */
  public record Thresholds(double onTrack, double moderate) {
    public static final Thresholds DEFAULT = new Thresholds(0.95, 0.60);
  }

  private final Thresholds thresholds;

  public AttainmentCalculator(Thresholds thresholds) {
    this.thresholds = thresholds;
  }

  public AttainmentCalculator() {
    this(Thresholds.DEFAULT);
  }

  /**
   * @param target the target
   * @param series the indicator's values by year, as known in one vintage (rates in percent)
   * @param asOfYear the year {@code t} to measure at; years after it are ignored
   */
  public Attainment compute(Target target, Map<Integer, Double> series, int asOfYear) {
    int t0 = target.baselineYear();
    int bigT = target.targetYear();
    NavigableMap<Integer, Double> known = new TreeMap<>(series).headMap(asOfYear, true);
    boolean growth = target.measure() == Target.Measure.AVERAGE_GROWTH;
    NavigableMap<Integer, Double> used =
        growth ? known.tailMap(t0, false) : known.tailMap(t0, true);
    List<Integer> years = new ArrayList<>(used.keySet());
    Double baselineValue = known.get(t0);
    Double latestValue = known.get(asOfYear);

    if (latestValue == null) {
      return insufficient(baselineValue, null, years, "no observation for " + asOfYear);
    }
    if (!growth && baselineValue == null) {
      return insufficient(null, latestValue, years, "no observation for the baseline year " + t0);
    }
    if (used.size() < 2) {
      return insufficient(
          baselineValue,
          latestValue,
          years,
          "fewer than two observations " + (growth ? "after " : "since ") + t0);
    }
    if (growth && !contiguous(years, t0 + 1, asOfYear)) {
      return insufficient(
          baselineValue,
          latestValue,
          years,
          "yearly rates missing between "
              + (t0 + 1)
              + " and "
              + asOfYear
              + " (an average needs every year)");
    }

    // The level series the formulas run on, and the measured value compared with the target.
    TreeMap<Integer, Double> level = new TreeMap<>();
    double x0;
    double xt;
    double measured;
    if (growth) {
      x0 = 1.0;
      level.put(t0, 1.0);
      double p = 1.0;
      for (Map.Entry<Integer, Double> e : used.entrySet()) {
        p *= 1 + e.getValue() / 100.0;
        level.put(e.getKey(), p);
      }
      xt = p;
      measured = (Math.pow(p, 1.0 / used.size()) - 1) * 100.0;
    } else {
      level.putAll(used);
      x0 = baselineValue;
      xt = latestValue;
      measured = target.measure() == Target.Measure.MULTIPLE_OF_BASE ? xt / x0 : xt;
    }

    // An average over a period is achieved only when the period has ended: before that, an average
    // so far that meets the target is on track (docs/METHODS.md section 1, "Achieved").
    boolean met = achieved(target, measured);
    boolean achieved = met && (!growth || asOfYear >= bigT);
    boolean metSoFar = met && !achieved;
    double tvMeasured = aim(target, baselineMeasured(target, x0), measured);
    double tvLevel =
        switch (target.measure()) {
          case LEVEL -> tvMeasured;
          case MULTIPLE_OF_BASE -> tvMeasured * x0;
          case AVERAGE_GROWTH -> Math.pow(1 + tvMeasured / 100.0, bigT - t0);
        };
    int t = asOfYear;
    List<String> notes = new ArrayList<>();

    Double cs = null;
    Double ap = null;
    if (tvLevel != x0) {
      cs = (xt - x0) / (tvLevel - x0);
      if (achieved) {
        cs = Math.min(cs, 1.0);
      }
    } else {
      notes.add("baseline equals the target, so cs and ap are undefined");
    }
    Double cagrActual = null;
    Double cagrRequired = null;
    Double needed = null;
    Double projected = null;
    if (x0 > 0 && xt > 0 && tvLevel > 0) {
      cagrActual = Math.pow(xt / x0, 1.0 / (t - t0)) - 1;
      cagrRequired = Math.pow(tvLevel / x0, 1.0 / (bigT - t0)) - 1;
      projected = xt * Math.pow(1 + cagrActual, bigT - t);
      if (t < bigT) {
        needed = Math.pow(tvLevel / xt, 1.0 / (bigT - t)) - 1;
      } else {
        notes.add("the target year has passed, so no rate is still needed");
      }
      if (cs != null) {
        ap = (projected - x0) / (tvLevel - x0);
      }
    } else {
      notes.add("growth rates need positive values");
    }
    Double rog = null;
    if (cagrActual != null && cagrRequired != null && cagrRequired != 0.0) {
      rog = cagrActual / cagrRequired;
    } else if (cagrRequired != null) {
      notes.add("required growth is zero, so the ratio of growth is undefined");
    }
    double projectedLinear = linearTrend(level, bigT);

    String status;
    if (achieved) {
      status = Attainment.ACHIEVED;
    } else if (metSoFar) {
      status = Attainment.ON_TRACK;
      notes.add(
          String.format(
              java.util.Locale.ROOT,
              "the average of %d-%d meets the target; an average over %d-%d is achieved "
                  + "only when the period ends",
              t0 + 1,
              asOfYear,
              t0 + 1,
              bigT));
    } else if (rog == null) {
      double direction = Math.signum(tvLevel - x0);
      status =
          direction * (xt - x0) < 0 ? Attainment.MOVING_AWAY : Attainment.INSUFFICIENT_PROGRESS;
    } else if (rog >= thresholds.onTrack()) {
      status = Attainment.ON_TRACK;
    } else if (rog >= thresholds.moderate()) {
      status = Attainment.MODERATE_PROGRESS;
    } else if (rog >= 0) {
      status = Attainment.INSUFFICIENT_PROGRESS;
    } else {
      status = Attainment.MOVING_AWAY;
    }

    if (growth) {
      // For a growth target the projections are of the rate, not of the index.
      projected = cagrActual == null ? null : measured;
      projectedLinear = (Math.pow(projectedLinear, 1.0 / (bigT - t0)) - 1) * 100.0;
      if (cs != null && cagrActual != null) {
        ap = (Math.pow(1 + cagrActual, bigT - t0) - 1) / (tvLevel - 1);
      }
    }
    return new Attainment(
        status,
        baselineValue,
        latestValue,
        measured,
        growth ? tvMeasured : tvLevel,
        cs,
        pct(cagrActual),
        pct(cagrRequired),
        rog,
        pct(needed),
        projected,
        projectedLinear,
        ap,
        years,
        notes.isEmpty() ? null : String.join("; ", notes));
  }

  private static Attainment insufficient(Double x0, Double xt, List<Integer> years, String why) {
    return new Attainment(
        Attainment.INSUFFICIENT_DATA,
        x0,
        xt,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        years,
        why);
  }

  /** The measured value at the baseline: the level, a multiple of 1, or (growth) unused. */
  private static double baselineMeasured(Target target, double x0) {
    return switch (target.measure()) {
      case LEVEL -> x0;
      case MULTIPLE_OF_BASE -> 1.0;
      case AVERAGE_GROWTH -> 0.0;
    };
  }

  static boolean achieved(Target target, double v) {
    boolean strict = target.isStrict();
    return switch (target.comparison()) {
      case AT_LEAST -> strict ? v > target.value() : v >= target.value();
      case AT_MOST -> strict ? v < target.value() : v <= target.value();
      case RANGE ->
          strict ? v > target.lo() && v < target.hi() : v >= target.lo() && v <= target.hi();
      case ABOUT -> Math.abs(v - target.value()) <= target.tolerance() + 1e-12;
    };
  }

  /** The value the measures aim at, in the measured unit: the target, or a range's nearer bound. */
  static double aim(Target target, double baseline, double measured) {
    if (target.comparison() != Target.Comparison.RANGE) {
      return target.value();
    }
    if (measured < target.lo()) {
      return target.lo();
    }
    if (measured > target.hi()) {
      return target.hi();
    }
    return baseline > target.hi() ? target.hi() : target.lo();
  }

  /** Ordinary least squares over (year, value), evaluated at {@code year}. */
  static double linearTrend(NavigableMap<Integer, Double> points, int year) {
    int n = points.size();
    double mx = points.keySet().stream().mapToDouble(Integer::doubleValue).average().orElseThrow();
    double my = points.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double sxy = 0;
    double sxx = 0;
    for (Map.Entry<Integer, Double> e : points.entrySet()) {
      sxy += (e.getKey() - mx) * (e.getValue() - my);
      sxx += (e.getKey() - mx) * (e.getKey() - mx);
    }
    double slope = n < 2 || sxx == 0 ? 0 : sxy / sxx;
    return my + slope * (year - mx);
  }

  private static boolean contiguous(List<Integer> years, int from, int to) {
    return years.size() == to - from + 1
        && years.get(0) == from
        && years.get(years.size() - 1) == to;
  }

  private static Double pct(Double fraction) {
    return fraction == null ? null : fraction * 100.0;
  }
}
