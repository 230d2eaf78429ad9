package org.songhong.jobs.environment;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.plans.physical.HashPartitioning;
import org.apache.spark.sql.catalyst.plans.physical.Partitioning;
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
    Dataset<Row> sorted = inSeriesOrder(readings);
    StructType schema = sorted.schema();
    Pass pass =
        new Pass(
            schema.fieldIndex("station_id"),
            schema.fieldIndex("parameter"),
            schema.fieldIndex("obs_hour"),
            schema.fieldIndex("value"),
            stuckHours);
    RDD<InternalRow> rows = sorted.queryExecution().toRdd().toJavaRDD().mapPartitions(pass).rdd();
    StructType out =
        schema
            .add("stuck", DataTypes.BooleanType, false)
            .add("median_24h", DataTypes.DoubleType, true);
    return ((org.apache.spark.sql.classic.SparkSession) readings.sparkSession())
        .internalCreateDataFrame(rows, out, false);
  }

  /**
   * {@code readings} with each series in one partition, in hour order: shuffled only when their
   * plan does not already spread them by series, sorted only when not already in that order. Cached
   * rows tell their spread and order once they are cached (before that, Spark's adaptive plan may
   * still change them): the job caches its readings before it flags them.
   */
  static Dataset<Row> inSeriesOrder(Dataset<Row> readings) {
    // The physical plan before the adaptive wrapper, whose own partitioning is always unknown.
    Dataset<Row> spread =
        spreadBySeries(readings.queryExecution().sparkPlan().outputPartitioning())
            ? readings
            : readings.repartition(col("station_id"), col("parameter"));
    return spread.sortWithinPartitions("station_id", "parameter", "obs_hour");
  }

  /** Whether rows so partitioned have each series in one partition. */
  static boolean spreadBySeries(Partitioning p) {
    if (!(p instanceof HashPartitioning h) || h.expressions().isEmpty()) {
      return false;
    }
    for (Expression e : scala.jdk.javaapi.CollectionConverters.asJava(h.expressions())) {
      if (!(e instanceof Attribute a)
          || !(a.name().equals("station_id") || a.name().equals("parameter"))) {
        return false;
      }
    }
    return true;
  }

  /** One partition's rows, sorted by series and hour, each with its two columns added. */
  static final class Pass implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
    private static final long serialVersionUID = 1L;
    private final int station;
    private final int parameter;
    private final int hour;
    private final int value;
    private final int stuckHours;

    Pass(int station, int parameter, int hour, int value, int stuckHours) {
      this.station = station;
      this.parameter = parameter;
      this.hour = hour;
      this.value = value;
      this.stuckHours = stuckHours;
    }

    @Override
    public Iterator<InternalRow> call(Iterator<InternalRow> rows) {
      return new SeriesIterator(rows, this);
    }
  }

  /** Reads one series at a time into memory, computes its rules, then returns its rows. */
  private static final class SeriesIterator implements Iterator<InternalRow> {
    private final Iterator<InternalRow> rows;
    private final Pass p;
    private final List<InternalRow> series = new ArrayList<>();
    private Series s = new Series(64);
    private InternalRow pending;
    private int next;
    private final GenericInternalRow extra = new GenericInternalRow(2);
    private final JoinedRow joined = new JoinedRow();

    SeriesIterator(Iterator<InternalRow> rows, Pass p) {
      this.rows = rows;
      this.p = p;
    }

    @Override
    public boolean hasNext() {
      if (next < series.size()) {
        return true;
      }
      series.clear();
      next = 0;
      InternalRow first = pending != null ? pending : rows.hasNext() ? rows.next().copy() : null;
      pending = null;
      if (first == null) {
        return false;
      }
      series.add(first);
      while (rows.hasNext()) {
        InternalRow r = rows.next().copy();
        if (sameSeries(first, r)) {
          series.add(r);
        } else {
          pending = r;
          break;
        }
      }
      int n = series.size();
      if (s.capacity() < n) {
        s = new Series(Math.max(n, 2 * s.capacity()));
      }
      for (int i = 0; i < n; i++) {
        InternalRow r = series.get(i);
        s.hasHour[i] = !r.isNullAt(p.hour);
        s.hours[i] = s.hasHour[i] ? epochHour(r.getLong(p.hour)) : 0;
        s.hasValue[i] = !r.isNullAt(p.value);
        s.values[i] = s.hasValue[i] ? r.getDouble(p.value) : 0;
      }
      s.compute(n, p.stuckHours);
      return true;
    }

    private boolean sameSeries(InternalRow a, InternalRow b) {
      return sameString(a, b, p.station) && sameString(a, b, p.parameter);
    }

    private static boolean sameString(InternalRow a, InternalRow b, int i) {
      boolean na = a.isNullAt(i);
      boolean nb = b.isNullAt(i);
      return na || nb ? na && nb : a.getUTF8String(i).equals(b.getUTF8String(i));
    }

    @Override
    public InternalRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      int i = next++;
      extra.setBoolean(0, s.stuck[i]);
      if (s.hasMedian[i]) {
        extra.setDouble(1, s.median[i]);
      } else {
        extra.setNullAt(1);
      }
      return joined.apply(series.get(i), extra);
    }
  }

  /**
   * Whole hours since the epoch of a timestamp in microseconds, as the windows computed them:
   * {@code CAST(unix_seconds(obs_hour) / 3600 AS BIGINT)}.
   */
  static long epochHour(long micros) {
    return (long) (Math.floorDiv(micros, 1_000_000L) / 3600.0);
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
    private final double[] around = new double[2 * HALF_SPAN_HOURS + 1];

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
        lo = Math.max(lo, 0);
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
      // Median of the others within the span.
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
          lo++;
        }
        hi = Math.max(hi, lo);
        while (hi < n && (!hasHour[hi] || hours[hi] <= to)) {
          hi++;
        }
        double[] others = hi - lo - 1 <= around.length ? around : new double[hi - lo];
        int k = 0;
        for (int j = lo; j < hi; j++) {
          if (j != i && hasHour[j] && hasValue[j]) {
            others[k++] = values[j];
          }
        }
        if (k < MIN_OTHERS) {
          continue;
        }
        Arrays.sort(others, 0, k);
        median[i] = k % 2 == 1 ? others[k / 2] : (others[k / 2 - 1] + others[k / 2]) / 2;
        hasMedian[i] = true;
      }
    }
  }
}
