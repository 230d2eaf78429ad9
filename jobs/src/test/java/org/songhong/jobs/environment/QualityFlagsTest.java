package org.songhong.jobs.environment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.songhong.SparkTestSession;
import org.songhong.contract.SchemaResources;
import org.songhong.domain.environment.EnvironmentCatalog;

/** Every quality rule of docs/METHODS.md section 5 on a day of PM2.5 readings made by hand. */
class QualityFlagsTest {
  private static final EnvironmentCatalog ENV =
      EnvironmentCatalog.load(
          SchemaResources.open(Path.of("..", "schemas").toAbsolutePath().toString()));
  private static final LocalDate DAY = LocalDate.of(2025, 3, 1);

  private static final StructType SCHEMA =
      new StructType()
          .add("local_date", DataTypes.DateType)
          .add("obs_hour", DataTypes.TimestampType)
          .add("station_id", DataTypes.StringType)
          .add("parameter", DataTypes.StringType)
          .add("value", DataTypes.DoubleType)
          .add("unit", DataTypes.StringType)
          .add("value_as_sent", DataTypes.StringType)
          .add("unit_as_sent", DataTypes.StringType)
          .add("arrived_at", DataTypes.TimestampType)
          .add("file_date", DataTypes.DateType)
          .add("source_file", DataTypes.StringType)
          .add("source_checksum", DataTypes.StringType)
          .add("source_line", DataTypes.IntegerType)
          .add("source_column", DataTypes.IntegerType);

  /**
   * The flags of a day of PM2.5 readings, hour h's value v[h] (NaN: no reading that hour), by hour.
   */
  private static Map<Integer, List<String>> flags(double[] v) {
    List<Row> rows = new ArrayList<>();
    Instant midnightLocal = DAY.atStartOfDay().toInstant(java.time.ZoneOffset.ofHours(7));
    for (int h = 0; h < v.length; h++) {
      if (Double.isNaN(v[h])) {
        continue;
      }
      rows.add(
          RowFactory.create(
              Date.valueOf(DAY),
              Timestamp.from(midnightLocal.plusSeconds(3600L * h)),
              "S1",
              "pm25",
              v[h],
              "µg/m³",
              String.valueOf(v[h]),
              "µg/m³",
              Timestamp.from(Instant.now()),
              Date.valueOf(DAY),
              "f",
              "c",
              h + 1,
              3));
    }
    Map<Integer, List<String>> out = new TreeMap<>();
    EnvironmentSilverJob.flag(SparkTestSession.get().createDataFrame(rows, SCHEMA), ENV, "r")
        .collectAsList()
        .forEach(
            r ->
                out.put(
                    r.getInt(r.fieldIndex("source_line")) - 1,
                    scala.jdk.javaapi.CollectionConverters.asJava(
                        r.<scala.collection.Seq<String>>getAs("flags"))));
    return out;
  }

  @Test
  void aRunIsStuckFromItsSixthConsecutiveHourOnAndAGapEndsIt() {
    double n = Double.NaN;
    // 0-4: five hours of 42 (one short); 6-11: six of 55 (stuck, every hour of it); 13-15 and
    // 17-19: 60, 60, 60, a missing
    // hour, 60, 60, 60 (six values, not consecutive: not stuck); 20-23: 61, 62, 61, 62.
    Map<Integer, List<String>> f =
        flags(
            new double[] {
              42, 42, 42, 42, 42, 50, 55, 55, 55, 55, 55, 55, 50, 60, 60, 60, n, 60, 60, 60, 61, 62,
              61, 62
            });
    assertThat(f).hasSize(23);
    for (int h : f.keySet()) {
      assertThat(f.get(h))
          .as("hour " + h)
          .isEqualTo(h >= 6 && h <= 11 ? List.of("stuck") : List.of());
    }
  }

  @Test
  void theSpikeRulesMedianLeavesOneCopyOfTheReadingOutAndWantsSixOthers() {
    // The values around a reading, sorted, with the reading among them; the median of the others,
    // worked by hand.
    Object[][] cases = {
      {new double[] {1, 2, 3, 4, 5, 6, 7}, 4d, 4.0}, // others 1 2 3 | 5 6 7: (3 + 5) / 2
      {new double[] {1, 2, 3, 4, 5, 6, 7}, 1d, 4.5}, // 2 3 4 | 5 6 7
      {new double[] {1, 2, 3, 4, 5, 6, 7}, 7d, 3.5}, // 1 2 3 | 4 5 6
      {new double[] {2, 2, 2, 2, 9, 9, 9, 9}, 2d, 9.0}, // 2 2 2 9 9 9 9: one 2 left out, not all
      {new double[] {2, 2, 2, 2, 9, 9, 9, 9}, 9d, 2.0}, // 2 2 2 2 9 9 9
      {new double[] {1, 2, 3, 4, 5, 6}, 3d, null}, // five others: too few
    };
    for (Object[] c : cases) {
      double[] around = (double[]) c[0];
      Double median = SeriesRulesTest.medianWithoutOne(around, (Double) c[1]);
      assertThat(median).as(java.util.Arrays.toString(around) + " without " + c[1]).isEqualTo(c[2]);
    }
  }

  @Test
  void outOfRangeStuckSpikeAndLateAreFlaggedAndNothingIsDropped() {
    SparkSession spark = SparkTestSession.get();
    double[] v = {
      30, 31, 29, 33, 30, 28, 42, 42, 42, 42, 42, 42, 35, 32, 30, 500, 31, 29, 30, 5, -3, 30, 30, 30
    };
    List<Row> rows = new ArrayList<>();
    Instant midnightLocal = DAY.atStartOfDay().toInstant(java.time.ZoneOffset.ofHours(7));
    for (int h = 0; h < 24; h++) {
      Date fileDate = Date.valueOf(h == 23 ? DAY.plusDays(3) : DAY);
      rows.add(
          RowFactory.create(
              Date.valueOf(DAY),
              Timestamp.from(midnightLocal.plusSeconds(3600L * h)),
              "S1",
              "pm25",
              v[h],
              "µg/m³",
              String.valueOf(v[h]),
              "µg/m³",
              Timestamp.from(Instant.now()),
              fileDate,
              "f",
              "c",
              h + 1,
              3));
    }
    Map<Integer, Row> byLine = new TreeMap<>();
    EnvironmentSilverJob.flag(spark.createDataFrame(rows, SCHEMA), ENV, "r")
        .collectAsList()
        .forEach(r -> byLine.put(r.getInt(r.fieldIndex("source_line")), r));
    assertThat(byLine).hasSize(24); // nothing dropped
    java.util.function.IntFunction<List<String>> flags =
        h ->
            scala.jdk.javaapi.CollectionConverters.asJava(
                byLine.get(h + 1).<scala.collection.Seq<String>>getAs("flags"));
    // Hours 6-11: 42.0 six hours running (the rule's minimum) -> stuck.
    for (int h = 6; h <= 11; h++) {
      assertThat(flags.apply(h)).as("hour " + h).containsExactly("stuck");
    }
    // Hour 22-23: 30 three hours running: not stuck. Hour 15: 500 against a median near 30: a
    // spike.
    assertThat(flags.apply(15)).containsExactly("spike");
    assertThat(flags.apply(20)).containsExactly("out_of_range");
    // Hour 19 (5) is low, not a spike: only values above 5x the median are.
    assertThat(flags.apply(19)).isEmpty();
    assertThat(flags.apply(0)).isEmpty();
    // Hour 23 came in a file three days later: late, but still valid.
    assertThat(flags.apply(23)).containsExactly("late");
    assertThat(byLine.get(24).<Boolean>getAs("valid")).isTrue();
    assertThat(byLine.get(16).<Boolean>getAs("valid")).isFalse();
    assertThat(byLine.get(7).<Boolean>getAs("valid")).isFalse();
  }
}
