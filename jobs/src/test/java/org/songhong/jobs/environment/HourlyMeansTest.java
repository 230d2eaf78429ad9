package org.songhong.jobs.environment;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.udf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.songhong.SparkTestSession;
import org.songhong.contract.SchemaResources;
import org.songhong.domain.environment.Aqi;
import org.songhong.domain.environment.EnvironmentCatalog;

/**
 * HourlyMeans against the four SQL windows it replaced (kept here as the reference), on random
 * station hours with missing hours and missing pollutants.
 */
class HourlyMeansTest {
  private static final Aqi AQI =
      new Aqi(
          EnvironmentCatalog.load(
                  SchemaResources.open(Path.of("..", "schemas").toAbsolutePath().toString()))
              .aqi());

  private static final StructType SCHEMA =
      new StructType()
          .add("station_id", DataTypes.StringType)
          .add("obs_hour", DataTypes.TimestampType)
          .add("pm25", DataTypes.DoubleType)
          .add("pm10", DataTypes.DoubleType)
          .add("o3", DataTypes.DoubleType)
          .add("co", DataTypes.DoubleType);

  /** The windows environment_marts used before HourlyMeans, word for word. */
  private static Dataset<Row> windows(Dataset<Row> h, Aqi aqi) {
    UserDefinedFunction nowcast =
        udf(
            (UDF2<scala.collection.Seq<Row>, Long, Double>)
                (hist, now) -> {
                  Double[] c = new Double[aqi.spec().nowcastHours()];
                  for (Row r : scala.jdk.javaapi.CollectionConverters.asJava(hist)) {
                    int i = (int) (now - r.getLong(0));
                    if (i >= 0 && i < c.length && !r.isNullAt(1)) {
                      c[i] = r.getDouble(1);
                    }
                  }
                  return aqi.nowcast(c);
                },
            DataTypes.DoubleType);
    int n = aqi.spec().nowcastHours() - 1;
    int minH = aqi.spec().o38hMinHours();
    String w = "PARTITION BY station_id ORDER BY epoch_h RANGE BETWEEN ";
    return h.withColumn("epoch_h", expr("CAST(unix_seconds(obs_hour) / 3600 AS BIGINT)"))
        .withColumn(
            "nowcast_pm25",
            nowcast.apply(
                expr(
                    "collect_list(struct(epoch_h, pm25)) OVER ("
                        + w
                        + n
                        + " PRECEDING AND CURRENT ROW)"),
                col("epoch_h")))
        .withColumn(
            "nowcast_pm10",
            nowcast.apply(
                expr(
                    "collect_list(struct(epoch_h, pm10)) OVER ("
                        + w
                        + n
                        + " PRECEDING AND CURRENT ROW)"),
                col("epoch_h")))
        .withColumn(
            "o3_8h",
            expr(
                "CASE WHEN count(o3) OVER ("
                    + w
                    + "7 PRECEDING AND CURRENT ROW) >= "
                    + minH
                    + " THEN avg(o3) OVER ("
                    + w
                    + "7 PRECEDING AND CURRENT ROW) END"))
        .withColumn(
            "co_8h",
            expr(
                "CASE WHEN count(co) OVER ("
                    + w
                    + "7 PRECEDING AND CURRENT ROW) >= "
                    + minH
                    + " THEN avg(co) OVER ("
                    + w
                    + "7 PRECEDING AND CURRENT ROW) END"));
  }

  private static List<Row> randomHours(long seed) {
    Random random = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (String station : List.of("A1", "A2", "A3", "A4", "A5")) {
      long hour = 480_000 + random.nextInt(50);
      for (int h = 0; h < 500; h++, hour++) {
        if (random.nextDouble() < 0.2) {
          continue; // no valid reading that hour
        }
        Object[] v = new Object[4];
        for (int p = 0; p < 4; p++) {
          // Missing one hour in four; some zeros; values with long fractions.
          double x = random.nextDouble();
          v[p] = x < 0.25 ? null : x < 0.3 ? 0.0 : Math.round(random.nextDouble() * 3e5) / 997.0;
        }
        rows.add(
            RowFactory.create(station, new Timestamp(hour * 3_600_000L), v[0], v[1], v[2], v[3]));
      }
    }
    return rows;
  }

  @Test
  void theNowCastsAndEightHourMeansAreTheWindowsToTheLastBit() {
    Dataset<Row> hours = SparkTestSession.get().createDataFrame(randomHours(20261206), SCHEMA);
    String[] added = {"nowcast_pm25", "nowcast_pm10", "o3_8h", "co_8h"};
    Map<String, Row> expected = new HashMap<>();
    for (Row r : windows(hours, AQI).collectAsList()) {
      expected.put(r.getString(0) + r.getTimestamp(1), r);
    }
    List<Row> actual = HourlyMeans.withHourlyMeans(hours, AQI).collectAsList();
    assertThat(actual).hasSameSizeAs(expected.values());
    int[] present = new int[added.length];
    for (Row a : actual) {
      Row e = expected.get(a.getString(0) + a.getTimestamp(1));
      for (int k = 0; k < added.length; k++) {
        Object want = e.get(e.fieldIndex(added[k]));
        Object got = a.get(a.fieldIndex(added[k]));
        assertThat(got)
            .as(added[k] + " at " + a.getString(0) + " " + a.getTimestamp(1))
            .isEqualTo(want);
        present[k] += got == null ? 0 : 1;
      }
    }
    // Both outcomes of every rule occur: values and nulls (too few hours).
    for (int k = 0; k < added.length; k++) {
      assertThat(present[k]).as(added[k]).isBetween(actual.size() / 10, actual.size() - 1);
    }
  }
}
