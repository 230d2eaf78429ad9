package org.songhong.jobs.environment;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.songhong.SparkTestSession;

/**
 * SeriesRules against the three SQL windows it replaced (kept here as the reference), on random
 * series with gaps, runs of equal values, zeros, negatives and NaN.
 */
class SeriesRulesTest {
  private static final List<String> SERIES = List.of("station_id", "parameter");

  private static final StructType SCHEMA =
      new StructType()
          .add("station_id", DataTypes.StringType)
          .add("parameter", DataTypes.StringType)
          .add("obs_hour", DataTypes.TimestampType)
          .add("value", DataTypes.DoubleType)
          .add("source_line", DataTypes.IntegerType);

  /** The median SeriesRules gives the reading {@code self} among {@code around}, hour by hour. */
  static Double medianWithoutOne(double[] around, double self) {
    int n = around.length;
    SeriesRules.Series s = new SeriesRules.Series(n);
    int at = -1;
    for (int i = 0; i < n; i++) {
      s.hours[i] = 1000 + i;
      s.hasHour[i] = true;
      s.values[i] = around[i];
      s.hasValue[i] = true;
      if (at < 0 && around[i] == self) {
        at = i;
      }
    }
    s.compute(n, 6);
    return s.hasMedian[at] ? s.median[at] : null;
  }

  /** The windows environment_silver used before SeriesRules, word for word. */
  private static Dataset<Row> windows(Dataset<Row> readings, int stuck) {
    String series = "PARTITION BY station_id, parameter ORDER BY epoch_h";
    String others = "(size(sorted) - 1)";
    String at = "(array_position(sorted, value) - 1)";
    java.util.function.Function<String, String> kth =
        k ->
            "CASE WHEN "
                + k
                + " < "
                + at
                + " THEN element_at(sorted, CAST("
                + k
                + " + 1 AS INT)) ELSE element_at(sorted, CAST("
                + k
                + " + 2 AS INT)) END";
    String median =
        "CASE WHEN "
            + others
            + " < 6 THEN NULL WHEN "
            + others
            + " % 2 = 1 THEN "
            + kth.apply(others + " DIV 2")
            + " ELSE ("
            + kth.apply(others + " DIV 2 - 1")
            + " + "
            + kth.apply(others + " DIV 2")
            + ") / 2 END";
    return readings
        .withColumn("epoch_h", expr("CAST(unix_seconds(obs_hour) / 3600 AS BIGINT)"))
        .withColumn(
            "new_run",
            expr(
                "CASE WHEN lag(value) OVER ("
                    + series
                    + ") = value AND epoch_h - lag(epoch_h) OVER ("
                    + series
                    + ") = 1 THEN 0 ELSE 1 END"))
        .withColumn(
            "around",
            expr(
                "collect_list(value) OVER ("
                    + series
                    + " RANGE BETWEEN 12 PRECEDING AND 12 FOLLOWING)"))
        .withColumn(
            "run_start",
            expr(
                "max(CASE WHEN new_run = 1 THEN epoch_h END) OVER ("
                    + series
                    + " ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"))
        .withColumn(
            "long_run",
            expr("CASE WHEN epoch_h - run_start + 1 >= " + stuck + " THEN run_start END"))
        .withColumn(
            "stuck",
            expr(
                "coalesce(min(long_run) OVER ("
                    + series
                    + " RANGE BETWEEN CURRENT ROW AND "
                    + (stuck - 1)
                    + " FOLLOWING) = run_start, false)"))
        .withColumn("sorted", expr("sort_array(around)"))
        .withColumn("median_24h", expr(median))
        .select("station_id", "parameter", "source_line", "stuck", "median_24h");
  }

  private static List<Row> randomSeries(long seed) {
    Random random = new Random(seed);
    double[] pool = {0, 1, 2.5, 3, 7, 40, 41, -2, 1000};
    List<Row> rows = new ArrayList<>();
    int line = 0;
    for (String station : List.of("S0", "S1", "S2", "S3")) {
      for (String parameter : List.of("pm25", "no2", "o3")) {
        long hour = 480_000 + random.nextInt(100);
        double value = pool[0];
        for (int h = 0; h < 400; h++, hour++) {
          if (random.nextDouble() < 0.15) {
            continue; // a missing hour
          }
          if (random.nextDouble() < 0.01) {
            value = Double.NaN;
          } else if (random.nextDouble() < 0.5) {
            value = pool[random.nextInt(pool.length)];
          }
          rows.add(
              RowFactory.create(
                  station, parameter, new Timestamp(hour * 3_600_000L), value, ++line));
        }
      }
    }
    return rows;
  }

  @Test
  void stuckAndTheMedianAreTheWindowsOnRandomSeries() {
    var spark = SparkTestSession.get();
    Dataset<Row> readings = spark.createDataFrame(randomSeries(20261206), SCHEMA);
    for (int stuck : new int[] {1, 3, 6}) {
      Map<Integer, Row> expected = new HashMap<>();
      windows(readings, stuck)
          .collectAsList()
          .forEach(r -> expected.put(r.getInt(r.fieldIndex("source_line")), r));
      List<Row> actual =
          SeriesRules.withSeriesRules(readings, stuck)
              .select("source_line", "stuck", "median_24h")
              .collectAsList();
      assertThat(actual).hasSameSizeAs(expected.values());
      int stuckRows = 0;
      int medians = 0;
      for (Row a : actual) {
        Row e = expected.get(a.getInt(0));
        assertThat(a.getBoolean(1)).as("stuck, line " + a.getInt(0)).isEqualTo(e.getBoolean(3));
        assertThat(a.isNullAt(2) ? null : a.getDouble(2))
            .as("median, line " + a.getInt(0))
            .isEqualTo(e.isNullAt(4) ? null : e.getDouble(4));
        stuckRows += a.getBoolean(1) ? 1 : 0;
        medians += a.isNullAt(2) ? 0 : 1;
      }
      // The data exercise both rules: some runs long enough, most readings with a median.
      assertThat(stuckRows).as("stuck readings, stuck_hours " + stuck).isBetween(1, actual.size());
      assertThat(medians).isGreaterThan(actual.size() / 2);
    }
  }

  @Test
  void rowsAlreadySpreadAndSortedBySeriesAreNeitherShuffledNorSortedAgain() {
    var spark = SparkTestSession.get();
    Dataset<Row> cached =
        spark
            .createDataFrame(randomSeries(7), SCHEMA)
            .repartition(col("station_id"), col("parameter"))
            .sortWithinPartitions("station_id", "parameter", "obs_hour", "source_line")
            .cache();
    try {
      cached.count(); // cached, as the job's readings are before they are flagged
      String plan =
          SeriesPass.inSeriesOrder(cached.filter("value IS NOT NULL"), SERIES, "obs_hour")
              .queryExecution()
              .executedPlan()
              .toString();
      // Above the cache (whose own plan shuffled and sorted them once).
      assertThat(plan.substring(0, plan.indexOf("InMemoryTableScan")))
          .doesNotContain("Exchange")
          .doesNotContain("Sort [");
      // The rules' rows say they keep that spread: grouping them by series shuffles nothing.
      String grouped =
          SeriesRules.withSeriesRules(cached.filter("value IS NOT NULL"), 6)
              .groupBy("station_id", "parameter")
              .count()
              .queryExecution()
              .executedPlan()
              .toString();
      assertThat(grouped).doesNotContain("Exchange");
      String unsorted =
          SeriesPass.inSeriesOrder(
                  spark.createDataFrame(randomSeries(7), SCHEMA), SERIES, "obs_hour")
              .queryExecution()
              .executedPlan()
              .toString();
      assertThat(unsorted).contains("Exchange").contains("Sort [");
    } finally {
      cached.unpersist();
    }
  }
}
