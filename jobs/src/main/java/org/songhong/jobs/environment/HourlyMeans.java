package org.songhong.jobs.environment;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.songhong.domain.environment.Aqi;

/**
 * The hourly AQI's inputs that look back along a station's hours (docs/METHODS.md section 2), in
 * one pass over each station's hours in order ({@link SeriesPass}): the NowCasts of PM2.5 and PM10
 * over the last {@code nowcast_hours} hours ({@link Aqi#nowcast}), and the 8-hour means of O3 and
 * CO (the hour and the 7 before it, when at least {@code o3_8h_min_hours} of them have a value).
 *
 * <p>These were four SQL windows (two lists of the last 12 hours, each read by a function, and two
 * counts and means over 8 hours) over the same rows; they are those windows' definitions,
 * literally: hours are whole hours since the epoch of {@code obs_hour}, a window's hours are those
 * from the hour so many before up to the hour itself, and a mean adds its values in hour order, as
 * Spark's did.
 */
final class HourlyMeans {
  private HourlyMeans() {}

  /** The mean's span: the hour and the 7 before it. */
  static final int MEAN_HOURS = 8;

  /**
   * {@code hours} (station_id, obs_hour, pm25, pm10, o3 and co among its columns, one row per
   * station and hour) with nowcast_pm25, nowcast_pm10, o3_8h and co_8h added (doubles, null when
   * the rule has too few hours).
   */
  static Dataset<Row> withHourlyMeans(Dataset<Row> hours, Aqi aqi) {
    StructType schema = hours.schema();
    int[] at = {
      schema.fieldIndex("obs_hour"),
      schema.fieldIndex("pm25"),
      schema.fieldIndex("pm10"),
      schema.fieldIndex("o3"),
      schema.fieldIndex("co")
    };
    int minHours = aqi.spec().o38hMinHours();
    StructType added =
        new StructType()
            .add("nowcast_pm25", DataTypes.DoubleType, true)
            .add("nowcast_pm10", DataTypes.DoubleType, true)
            .add("o3_8h", DataTypes.DoubleType, true)
            .add("co_8h", DataTypes.DoubleType, true);
    return SeriesPass.apply(
        hours, List.of("station_id"), "obs_hour", added, () -> new Means(at, aqi, minHours));
  }

  /** One task's computation: a station's hours and four pollutants into arrays, then the means. */
  private static final class Means implements SeriesPass.Computation {
    private final int[] at;
    private final Aqi aqi;
    private final int minHours;
    private int capacity;
    private long[] hour;
    private boolean[] hasHour;
    private double[][] value; // pm25, pm10, o3, co
    private boolean[][] has;
    private Double[][] out; // nowcast_pm25, nowcast_pm10, o3_8h, co_8h

    Means(int[] at, Aqi aqi, int minHours) {
      this.at = at;
      this.aqi = aqi;
      this.minHours = minHours;
    }

    @Override
    public void load(List<InternalRow> series) {
      int n = series.size();
      if (capacity < n) {
        capacity = Math.max(n, 2 * capacity);
        hour = new long[capacity];
        hasHour = new boolean[capacity];
        value = new double[4][capacity];
        has = new boolean[4][capacity];
        out = new Double[4][capacity];
      }
      for (int i = 0; i < n; i++) {
        InternalRow r = series.get(i);
        hasHour[i] = !r.isNullAt(at[0]);
        hour[i] = hasHour[i] ? SeriesPass.epochHour(r.getLong(at[0])) : 0;
        for (int p = 0; p < 4; p++) {
          has[p][i] = !r.isNullAt(at[p + 1]);
          value[p][i] = has[p][i] ? r.getDouble(at[p + 1]) : 0;
        }
      }
      int nowcastHours = aqi.spec().nowcastHours();
      // Each hour's window: the rows whose hour is in [hour - span + 1, hour], peers included.
      int lo8 = 0;
      int loNow = 0;
      int hi = 0;
      for (int i = 0; i < n; i++) {
        for (int p = 0; p < 4; p++) {
          out[p][i] = null;
        }
        if (!hasHour[i]) {
          continue;
        }
        while (hi < n && (!hasHour[hi] || hour[hi] <= hour[i])) {
          hi++;
        }
        loNow = first(loNow, n, hour[i] - (nowcastHours - 1));
        lo8 = first(lo8, n, hour[i] - (MEAN_HOURS - 1));
        out[0][i] = nowcast(0, loNow, hi, hour[i], nowcastHours);
        out[1][i] = nowcast(1, loNow, hi, hour[i], nowcastHours);
        out[2][i] = mean(2, lo8, hi);
        out[3][i] = mean(3, lo8, hi);
      }
    }

    /** The first row at or after {@code from} whose hour is at least {@code hour}. */
    private int first(int from, int n, long hour) {
      int j = from;
      while (j < n && (!hasHour[j] || this.hour[j] < hour)) {
        j++;
      }
      return j;
    }

    /** As the NowCast function read its list: hour h's value in c[now - h], the later row last. */
    private Double nowcast(int p, int lo, int hi, long now, int nowcastHours) {
      Double[] c = new Double[nowcastHours];
      for (int j = lo; j < hi; j++) {
        int back = (int) (now - hour[j]);
        if (hasHour[j] && back >= 0 && back < c.length && has[p][j]) {
          c[back] = value[p][j];
        }
      }
      return aqi.nowcast(c);
    }

    /** Spark's avg over the window when count reaches the minimum: a sum from 0.0 in row order. */
    private Double mean(int p, int lo, int hi) {
      double sum = 0.0;
      long count = 0;
      for (int j = lo; j < hi; j++) {
        if (hasHour[j] && has[p][j]) {
          sum += value[p][j];
          count++;
        }
      }
      return count >= minHours && count > 0 ? sum / count : null;
    }

    @Override
    public void fill(int i, GenericInternalRow added) {
      for (int p = 0; p < 4; p++) {
        if (out[p][i] == null) {
          added.setNullAt(p);
        } else {
          added.setDouble(p, out[p][i]);
        }
      }
    }
  }
}
