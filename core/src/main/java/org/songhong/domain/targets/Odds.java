package org.songhong.domain.targets;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The odds of meeting a target in its target year, and the value it lands on there with 80% and 95%
 * intervals, from the indicator's own yearly changes (docs/METHODS.md section 7).
 *
 * <p>The model is a random walk with drift, the benchmark forecast for a short yearly series, with
 * both of its uncertainties drawn from the series itself (a seeded bootstrap): each draw first
 * resamples the observed changes to get a drift (so a series of five points does not pretend to
 * know its trend), then walks the years to the target year adding that drift and a resampled
 * deviation from the mean change. Its spread grows as {@code s^2 * h * (1 + h / n)}, the drift
 * method's forecast variance, without assuming the changes are normal.
 *
 * <p>The changes are log ratios for a positive series (growth compounds, as in the status's growth
 * ratio and the projection beside it), differences for a series with a zero or a negative value,
 * and, for an average growth over a period, the yearly rates themselves; a share ("% of ...") stays
 * within 0-100. Deterministic: the seed comes from the row's key (target, unit, release, as-of
 * year). Pure Java, no Spark.
 */
public final class Odds {
  /** How many draws, and how many yearly changes a series needs before it is given odds. */
  public record Settings(int minChanges, int draws) {
    public static final Settings DEFAULT = new Settings(4, 2000);
  }

  /**
   * The odds of one attainment row. {@code pMeet} and the values are null when refused, and {@code
   * note} says why; values are in the measured unit (the level, the average growth over the period
   * in %, or the multiple of the baseline).
   */
  public record Result(
      Double pMeet,
      Double central,
      Double lo80,
      Double hi80,
      Double lo95,
      Double hi95,
      int changes,
      int draws,
      long seed,
      String note,
      List<FanPoint> fan) {
    public boolean refused() {
      return pMeet == null;
    }
  }

  /**
   * One year of the fan chart: the indicator's value (its own unit, not the measured one) at the
   * percentiles of the draws; for an average growth over a period, the average yearly growth from
   * the baseline year to that year (in %), so the fan ends on the measured value's interval.
   */
  public record FanPoint(
      int year, double lo95, double lo80, double central, double hi80, double hi95) {}

  /** What kind of change the walk adds each year. */
  enum Change {
    LOG,
    POINTS,
    RATE
  }

  private final Settings settings;

  public Odds(Settings settings) {
    this.settings = settings;
  }

  public Odds() {
    this(Settings.DEFAULT);
  }

  public Settings settings() {
    return settings;
  }

  /** A refusal before any draw (the status itself could not be measured, for instance). */
  public Result refuse(String key, String why) {
    return refused(0, seed(key), why);
  }

  /**
   * @param target the target
   * @param series the indicator's values by year in one release (rates in percent)
   * @param asOfYear the year the odds are taken at; later years are ignored
   * @param key the row's key; the seed is derived from it
   * @param breakYear the first year of the unit's series on a new boundary (its series does not
   *     continue its parts' there), or null
   */
  public Result compute(
      Target target, Map<Integer, Double> series, int asOfYear, String key, Integer breakYear) {
    return compute(target, series, asOfYear, key, breakYear, false);
  }

  /**
   * As {@link #compute}, with the fan chart's years (sorting each year's draws costs; only the
   * scorecard shows it).
   */
  public Result computeWithFan(
      Target target, Map<Integer, Double> series, int asOfYear, String key, Integer breakYear) {
    return compute(target, series, asOfYear, key, breakYear, true);
  }

  private Result compute(
      Target target,
      Map<Integer, Double> series,
      int asOfYear,
      String key,
      Integer breakYear,
      boolean withFan) {
    long seed = seed(key);
    NavigableMap<Integer, Double> known = new TreeMap<>(series).headMap(asOfYear, true);
    int t0 = target.baselineYear();
    int bigT = target.targetYear();
    Change kind = kind(target, known);
    double[] changes = changes(known, kind);
    if (breakYear != null && known.containsKey(breakYear) && known.containsKey(breakYear - 1)) {
      return refused(
          changes.length,
          seed,
          "the series crosses the boundary change of "
              + breakYear
              + " (a merged unit's figure is not growth over its parts'); odds are not taken across it");
    }
    if (changes.length < settings.minChanges()) {
      String what =
          kind == Change.RATE ? "yearly rate(s)" : "yearly change(s) between consecutive years";
      return refused(
          changes.length,
          seed,
          String.format(
              Locale.ROOT,
              "%d %s up to %d; the odds need at least %d",
              changes.length,
              what,
              asOfYear,
              settings.minChanges()));
    }
    Double latest = known.get(asOfYear);
    Double base = known.get(t0);
    if (latest == null || (target.measure() == Target.Measure.MULTIPLE_OF_BASE && base == null)) {
      return refused(
          changes.length,
          seed,
          latest == null
              ? "no observation for " + asOfYear
              : "no observation for the baseline year " + t0);
    }
    // The cumulative growth index of the period so far (average growth only).
    double indexSoFar = 1.0;
    if (kind == Change.RATE) {
      for (Map.Entry<Integer, Double> e : known.tailMap(t0, false).entrySet()) {
        indexSoFar *= 1 + e.getValue() / 100.0;
      }
    }
    int h = Math.max(0, bigT - asOfYear);
    double mean = Arrays.stream(changes).average().orElseThrow();
    double[] deviations = Arrays.stream(changes).map(c -> c - mean).toArray();
    boolean bounded = target.unit().startsWith("% of");
    SplittableRandom random = new SplittableRandom(seed);
    int n = changes.length;
    double[] landed = new double[settings.draws()];
    // The indicator's value on each path, year by year (the fan chart); for rates, the average so
    // far.
    double[][] paths = !withFan ? new double[0][] : new double[h][settings.draws()];
    int met = 0;
    for (int b = 0; b < landed.length; b++) {
      double drift = 0;
      for (int i = 0; i < n; i++) {
        drift += changes[random.nextInt(n)];
      }
      drift /= n;
      double v = kind == Change.RATE ? indexSoFar : latest;
      for (int j = 0; j < h; j++) {
        double step = drift + deviations[random.nextInt(n)];
        v =
            switch (kind) {
              case LOG -> bounded ? Math.min(100.0, v * Math.exp(step)) : v * Math.exp(step);
              case POINTS -> bounded ? Math.min(100.0, Math.max(0.0, v + step)) : v + step;
              case RATE -> v * (1 + step / 100.0);
            };
        if (paths.length > 0) {
          paths[j][b] =
              kind == Change.RATE ? (Math.pow(v, 1.0 / (asOfYear + j + 1 - t0)) - 1) * 100.0 : v;
        }
      }
      double measured =
          switch (target.measure()) {
            case LEVEL -> v;
            case MULTIPLE_OF_BASE -> v / base;
            case AVERAGE_GROWTH -> (Math.pow(v, 1.0 / (bigT - t0)) - 1) * 100.0;
          };
      landed[b] = measured;
      if (AttainmentCalculator.achieved(target, measured)) {
        met++;
      }
    }
    Arrays.sort(landed);
    List<FanPoint> fan = new ArrayList<>();
    for (int j = 0; j < paths.length; j++) {
      double[] y = paths[j];
      Arrays.sort(y);
      fan.add(
          new FanPoint(
              asOfYear + j + 1,
              quantile(y, 0.025),
              quantile(y, 0.10),
              quantile(y, 0.5),
              quantile(y, 0.90),
              quantile(y, 0.975)));
    }
    return new Result(
        (double) met / landed.length,
        quantile(landed, 0.5),
        quantile(landed, 0.10),
        quantile(landed, 0.90),
        quantile(landed, 0.025),
        quantile(landed, 0.975),
        n,
        landed.length,
        seed,
        null,
        List.copyOf(fan));
  }

  private Result refused(int changes, long seed, String why) {
    return new Result(null, null, null, null, null, null, changes, 0, seed, why, List.of());
  }

  static Change kind(Target target, NavigableMap<Integer, Double> known) {
    if (target.measure() == Target.Measure.AVERAGE_GROWTH) {
      return Change.RATE;
    }
    return known.values().stream().allMatch(v -> v > 0) ? Change.LOG : Change.POINTS;
  }

  /**
   * The yearly changes of the series: between consecutive years only; the rates themselves for
   * RATE.
   */
  static double[] changes(NavigableMap<Integer, Double> known, Change kind) {
    if (kind == Change.RATE) {
      return known.values().stream().mapToDouble(Double::doubleValue).toArray();
    }
    List<Double> out = new ArrayList<>();
    for (Map.Entry<Integer, Double> e : known.entrySet()) {
      Double prev = known.get(e.getKey() - 1);
      if (prev != null) {
        out.add(kind == Change.LOG ? Math.log(e.getValue() / prev) : e.getValue() - prev);
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * The {@code p} quantile of sorted values, interpolating between order statistics (Hyndman-Fan
   * type 7).
   */
  static double quantile(double[] sorted, double p) {
    double pos = p * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }

  /**
   * A stable 64-bit seed from the row's key (FNV-1a over its UTF-8 bytes): the same on every
   * machine and run.
   */
  public static long seed(String key) {
    long h = 0xcbf29ce484222325L;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** The key whose seed a row of gold.target_attainment uses. */
  public static String key(String targetId, String geoId, String vintage, int asOfYear) {
    return targetId + "|" + geoId + "|" + vintage + "|" + asOfYear;
  }
}
