package org.songhong.jobs.environment;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The two quality rules that look along a series (docs/METHODS.md section 5), computed in one pass
 * over each station and parameter's readings in hour order: whether a reading is part of a stuck
 * run ({@code stuck}) and the median of the readings within 12 hours of it, itself left out ({@code
 * median_24h}, null with fewer than 6 of them). The flags themselves are SQL on these two columns
 * ({@link EnvironmentSilverJob#flag}).
 *
 * <p>Why not window functions: the same rules as three SQL windows (a lag, a running maximum for
 * the run's start, a minimum over the next hours; the median from a list collected over 25 hours
 * and sorted) copied every reading's whole row into and out of each window's buffer and
 * re-collected the 25 values for each reading; at a year x 200 stations that stage took about a
 * quarter of {@code environment_silver}'s task CPU (bench/README.md, "6 December, morning"). The
 * rules are those windows' definitions, literally: hours are whole hours since the epoch of the
 * reading's {@code obs_hour}; values compare as SQL does (NaN equals NaN).
 */
final class SeriesRules {
  private SeriesRules() {}

  /** Half the spike rule's span, in hours, each side of the reading. */
  static final int HALF_SPAN_HOURS = 12;

  /** The fewest other readings in the span for a median. */
  static final int MIN_OTHERS = 6;

  /**
   * {@code readings} (columns station_id, parameter, obs_hour and value among others) with {@code
   * stuck} (boolean) and {@code median_24h} (double, null when there are too few neighbours) added.
   * The readings are spread by series unless they already are (cached rows spread by series keep
   * their spread), and sorted by series and hour unless they already are.
   */
  static Dataset<Row> withSeriesRules(Dataset<Row> readings, int stuckHours) {
    StructType schema = readings.schema();
    int hour = schema.fieldIndex("obs_hour");
    int value = schema.fieldIndex("value");
    StructType added =
        new StructType()
            .add("stuck", DataTypes.BooleanType, false)
            .add("median_24h", DataTypes.DoubleType, true);
    return SeriesPass.apply(
        readings,
        List.of("station_id", "parameter"),
        "obs_hour",
        added,
        () -> new Rules(hour, value, stuckHours));
  }

  /** One task's computation: the series' hours and values into arrays, then the two rules. */
  private static final class Rules implements SeriesPass.Computation {
    private final int hour;
    private final int value;
    private final int stuckHours;
    private Series s = new Series(64);

    Rules(int hour, int value, int stuckHours) {
      this.hour = hour;
      this.value = value;
      this.stuckHours = stuckHours;
    }

    @Override
    public void load(List<InternalRow> series) {
      int n = series.size();
      if (s.capacity() < n) {
        s = new Series(Math.max(n, 2 * s.capacity()));
      }
      for (int i = 0; i < n; i++) {
        InternalRow r = series.get(i);
        s.hasHour[i] = !r.isNullAt(hour);
        s.hours[i] = s.hasHour[i] ? SeriesPass.epochHour(r.getLong(hour)) : 0;
        s.hasValue[i] = !r.isNullAt(value);
        s.values[i] = s.hasValue[i] ? r.getDouble(value) : 0;
      }
      s.compute(n, stuckHours);
    }

    @Override
    public void fill(int i, GenericInternalRow added) {
      added.setBoolean(0, s.stuck[i]);
      if (s.hasMedian[i]) {
        added.setDouble(1, s.median[i]);
      } else {
        added.setNullAt(1);
      }
    }
  }

  /** SQL's equality of doubles: NaN equals NaN, and 0.0 equals -0.0. */
  static boolean sqlEquals(double a, double b) {
    return a == b || (Double.isNaN(a) && Double.isNaN(b));
  }

  /**
   * One series in hour order (hours non-decreasing; a reading without an hour or a value takes part
   * in no run and has no median), and its two rules.
   */
  static final class Series {
    final long[] hours;
    final boolean[] hasHour;
    final double[] values;
    final boolean[] hasValue;
    final boolean[] stuck;
    final double[] median;
    final boolean[] hasMedian;
    private final long[] runStart;
    private final boolean[] longRun;
    private double[] around = new double[2 * HALF_SPAN_HOURS + 1];

    Series(int capacity) {
      hours = new long[capacity];
      hasHour = new boolean[capacity];
      values = new double[capacity];
      hasValue = new boolean[capacity];
      stuck = new boolean[capacity];
      median = new double[capacity];
      hasMedian = new boolean[capacity];
      runStart = new long[capacity];
      longRun = new boolean[capacity];
    }

    int capacity() {
      return hours.length;
    }

    /**
     * Stuck: a run is consecutive hours of one value, named by its first hour; a reading is stuck
     * when, among the readings from its hour to {@code stuckHours - 1} hours later, the earliest
     * run to have reached its {@code stuckHours}-th hour is the reading's own (that is, its run
     * lasts {@code stuckHours} hours or more). Median: of the values within {@link
     * #HALF_SPAN_HOURS} hours either side, the reading's own left out, when at least {@link
     * #MIN_OTHERS} remain.
     */
    void compute(int n, int stuckHours) {
      // Runs: a reading starts one unless the one before it has the same value an hour earlier.
      long start = Long.MIN_VALUE;
      for (int i = 0; i < n; i++) {
        boolean continues =
            i > 0
                && hasHour[i]
                && hasHour[i - 1]
                && hasValue[i]
                && hasValue[i - 1]
                && sqlEquals(values[i - 1], values[i])
                && hours[i] - hours[i - 1] == 1;
        if (!continues && hasHour[i]) {
          start = Math.max(start, hours[i]);
        }
        runStart[i] = start;
        longRun[i] = hasHour[i] && start != Long.MIN_VALUE && hours[i] - start + 1 >= stuckHours;
      }
      // Stuck: the least long run's start among readings in [hour, hour + stuckHours - 1] is the
      // reading's own run's start.
      int lo = 0;
      int hi = 0;
      for (int i = 0; i < n; i++) {
        stuck[i] = false;
        if (!hasHour[i]) {
          continue;
        }
        long from = hours[i];
        long to = hours[i] + stuckHours - 1;
        while (lo < n && (!hasHour[lo] || hours[lo] < from)) {
          lo++;
        }
        hi = Math.max(hi, lo);
        while (hi < n && (!hasHour[hi] || hours[hi] <= to)) {
          hi++;
        }
        long least = Long.MAX_VALUE;
        boolean any = false;
        for (int j = lo; j < hi; j++) {
          if (hasHour[j] && longRun[j] && runStart[j] < least) {
            least = runStart[j];
            any = true;
          }
        }
        stuck[i] = any && least == runStart[i];
      }
      // Median of the others within the span: the span's values kept sorted as it slides (one
      // insertion or removal per reading that enters or leaves it), the reading's own value
      // skipped by its place among them.
      int m = 0;
      lo = 0;
      hi = 0;
      for (int i = 0; i < n; i++) {
        hasMedian[i] = false;
        if (!hasHour[i] || !hasValue[i]) {
          continue;
        }
        long from = hours[i] - HALF_SPAN_HOURS;
        long to = hours[i] + HALF_SPAN_HOURS;
        while (lo < n && (!hasHour[lo] || hours[lo] < from)) {
          if (lo < hi && hasHour[lo] && hasValue[lo]) {
            m = remove(m, values[lo]);
          }
          lo++;
        }
        hi = Math.max(hi, lo);
        while (hi < n && (!hasHour[hi] || hours[hi] <= to)) {
          if (hasHour[hi] && hasValue[hi]) {
            m = insert(m, values[hi]);
          }
          hi++;
        }
        int k = m - 1; // the others
        if (k < MIN_OTHERS) {
          continue;
        }
        int at = Arrays.binarySearch(around, 0, m, values[i]);
        median[i] = k % 2 == 1 ? other(at, k / 2) : (other(at, k / 2 - 1) + other(at, k / 2)) / 2;
        hasMedian[i] = true;
      }
    }

    /**
     * The {@code x}-th (from 0) of the span's sorted values with the one at {@code at} left out.
     */
    private double other(int at, int x) {
      return x < at ? around[x] : around[x + 1];
    }

    private int insert(int m, double v) {
      if (m == around.length) {
        around = Arrays.copyOf(around, 2 * m);
      }
      int at = Arrays.binarySearch(around, 0, m, v);
      at = at < 0 ? -at - 1 : at;
      System.arraycopy(around, at, around, at + 1, m - at);
      around[at] = v;
      return m + 1;
    }

    private int remove(int m, double v) {
      int at = Arrays.binarySearch(around, 0, m, v);
      System.arraycopy(around, at + 1, around, at, m - at - 1);
      return m - 1;
    }
  }
}
