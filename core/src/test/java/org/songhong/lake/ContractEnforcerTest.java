package org.songhong.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import org.songhong.SparkTestSession;
import org.songhong.contract.ColumnSpec;
import org.songhong.contract.TableContract;

/**
 * The enforcer's one-pass check and the writer's choice of what to cache, on frames of a few rows.
 */
class ContractEnforcerTest {
  private final SparkSession spark = SparkTestSession.get();

  /**
   * A table keyed by two numbers that may be null. The catalog refuses a nullable key column, so
   * the contract is built here: nulls are the one way to make two keys share a 64-bit hash on
   * demand.
   */
  private static TableContract pairs() {
    return new TableContract(
        "gold.pairs",
        null,
        "One row per pair.",
        List.of(new ColumnSpec("a", "int", true, null), new ColumnSpec("b", "int", true, null)),
        List.of("a", "b"),
        null,
        null);
  }

  private Dataset<Row> rows(TableContract c, Integer[]... rows) {
    return spark.createDataFrame(
        Arrays.stream(rows).map(r -> RowFactory.create((Object[]) r)).toList(), c.writeSchema());
  }

  @Test
  void twoKeysOfOneHashAreNotDuplicatesButARepeatedKeyIs() {
    TableContract c = pairs();
    // The check groups rows by the key's 64-bit hash; Spark's hash skips nulls, so (null, 5) and
    // (5, null) share one: the keys themselves must tell them apart.
    Dataset<Row> distinct = rows(c, new Integer[] {null, 5}, new Integer[] {5, null});
    assertThat(distinct.selectExpr("xxhash64(a, b)").distinct().count()).isEqualTo(1);
    assertThat(ContractEnforcer.checkRows(c, distinct)).isEqualTo(2);

    Dataset<Row> repeated =
        rows(
            c,
            new Integer[] {null, 5},
            new Integer[] {5, null},
            new Integer[] {null, 5},
            new Integer[] {1, 2});
    assertThatThrownBy(() -> ContractEnforcer.checkRows(c, repeated))
        .hasMessageStartingWith(
            "Refused write to gold.pairs: 1 row(s) break primary key uniqueness on column a, b, e.g. {a=null, b=5, n=2}");
  }

  /**
   * Rows cached as spread by part of their key (a job's frame spread by series) are tallied where
   * they are, without a shuffle: a repeated key is still found, in whichever partition.
   */
  @Test
  void rowsCachedSpreadByPartOfTheKeyAreCheckedWhereTheyAre() {
    TableContract c = pairs();
    Integer[][] values = new Integer[400][];
    for (int i = 0; i < values.length; i++) {
      values[i] = new Integer[] {i % 7, i};
    }
    Dataset<Row> spread =
        rows(c, values).repartition(5, org.apache.spark.sql.functions.col("a")).cache();
    Dataset<Row> repeated =
        rows(c, values)
            .union(rows(c, new Integer[] {6, 398}))
            .repartition(5, org.apache.spark.sql.functions.col("a"))
            .cache();
    Dataset<Row> byB =
        rows(c, values).repartition(5, org.apache.spark.sql.functions.col("b")).cache();
    try {
      assertThat(ContractEnforcer.clusteredBy(spread)).containsExactly("a");
      assertThat(ContractEnforcer.clusteredBy(spread.filter("b > 3").select("b", "a")))
          .as("a filter and a projection of the cached rows")
          .containsExactly("a");
      assertThat(ContractEnforcer.checkRows(c, spread)).isEqualTo(400);
      assertThat(ContractEnforcer.clusteredBy(repeated)).containsExactly("a");
      assertThatThrownBy(() -> ContractEnforcer.checkRows(c, repeated))
          .hasMessageContaining("1 row(s) break primary key uniqueness on column a, b")
          .hasMessageContaining("a=6, b=398, n=2");
      // Not cached, or spread by a column outside the key: spread by the key's hash and sorted.
      assertThat(
              ContractEnforcer.clusteredBy(
                  rows(c, values).repartition(3, org.apache.spark.sql.functions.col("a"))))
          .as("the same rows spread again, not cached")
          .isEmpty();
      assertThat(ContractEnforcer.clusteredBy(spread.selectExpr("a + 1 AS a", "b"))).isEmpty();
      assertThat(ContractEnforcer.clusteredBy(byB)).containsExactly("b");
      assertThat(ContractEnforcer.checkRows(c, byB)).isEqualTo(400);
      // As the writer pins a frame: its plan asked for (is it a view of a cache?), then cached.
      TableWriter.Pinned pinned =
          TableWriter.pin(
              rows(c, values)
                  .repartition(3, org.apache.spark.sql.functions.col("a"))
                  .select("a", "b"));
      try {
        assertThat(pinned.own()).isTrue();
        assertThat(ContractEnforcer.clusteredBy(pinned.rows())).containsExactly("a");
      } finally {
        pinned.release();
      }
    } finally {
      spread.unpersist();
      repeated.unpersist();
      byB.unpersist();
    }
  }

  /** A partition's tally: repeated key hashes counted once each, row hashes summed exactly. */
  @Test
  void aPartitionsTallySumsRowHashesExactlyAndCountsEachSharedHashOnce() {
    long[][] rows = {
      {5, 1, Long.MAX_VALUE, Long.MIN_VALUE},
      {5, 0, Long.MAX_VALUE, Long.MIN_VALUE},
      {5, 0, Long.MAX_VALUE, -1},
      {-2, 4, Long.MAX_VALUE, Long.MIN_VALUE},
      {-2, 0, 3, 7},
      {9, 0, -5, 0}
    };
    List<org.apache.spark.sql.catalyst.InternalRow> internal = new java.util.ArrayList<>();
    java.math.BigInteger first = java.math.BigInteger.ZERO;
    java.math.BigInteger second = java.math.BigInteger.ZERO;
    for (long[] r : rows) {
      internal.add(
          new org.apache.spark.sql.catalyst.expressions.GenericInternalRow(
              new Object[] {r[0], r[1], r[2], r[3]}));
      first = first.add(java.math.BigInteger.valueOf(r[2]));
      second = second.add(java.math.BigInteger.valueOf(r[3]));
    }
    // As they come (the rows of a cached partition), or sorted by key hash (after the shuffle).
    List<org.apache.spark.sql.catalyst.InternalRow> sortedRows =
        new java.util.ArrayList<>(internal);
    sortedRows.sort(java.util.Comparator.comparingLong(r -> r.getLong(0)));
    for (boolean sorted : new boolean[] {false, true}) {
      ContractEnforcer.Tally t =
          ContractEnforcer.tallyPartition(
              (sorted ? sortedRows : internal).iterator(), 1, true, sorted);
      assertThat(t.rows()).isEqualTo(6);
      assertThat(t.sharedHashes()).as("5 three times and -2 twice").isEqualTo(2);
      assertThat(t.words()).containsExactly(5L);
      assertThat(t.sums()).containsExactly(first, second);
    }
  }

  @Test
  void theWriterCachesAFrameUnlessItIsAFilterOrProjectionOfCachedRows() {
    TableContract c = pairs();
    Dataset<Row> persisted =
        rows(c, new Integer[] {1, 2}, new Integer[] {3, 4})
            .persist(StorageLevel.MEMORY_AND_DISK_SER());
    try {
      TableWriter.Pinned view =
          TableWriter.pin(
              persisted
                  .filter("a > 1")
                  .withColumn("at", org.apache.spark.sql.functions.current_timestamp())
                  .select("a", "b"));
      assertThat(view.own()).isFalse();
      TableWriter.Pinned joined = TableWriter.pin(persisted.join(persisted.select("a"), "a"));
      assertThat(joined.own()).isTrue();
      joined.release();
      Dataset<Row> lookup =
          persisted
              .filter("a = 3")
              .selectExpr("a AS k", "b AS v")
              .persist(StorageLevel.MEMORY_AND_DISK());
      try {
        TableWriter.Pinned broadcastLookup =
            TableWriter.pin(
                persisted
                    .join(
                        org.apache.spark.sql.functions.broadcast(lookup),
                        persisted.col("a").equalTo(lookup.col("k")),
                        "left")
                    .selectExpr("a", "coalesce(v, b) AS b"));
        assertThat(broadcastLookup.own())
            .as("a left join with a broadcast cached lookup reads cached rows only")
            .isFalse();
        TableWriter.Pinned shuffled =
            TableWriter.pin(
                persisted
                    .join(lookup, persisted.col("a").equalTo(lookup.col("k")), "left")
                    .selectExpr("a", "coalesce(v, b) AS b"));
        assertThat(shuffled.own()).as("the same join without the broadcast").isTrue();
        shuffled.release();
      } finally {
        lookup.unpersist();
      }
      TableWriter.Pinned random =
          TableWriter.pin(
              persisted.withColumn(
                  "b", org.apache.spark.sql.functions.expr("CAST(rand() * 10 AS INT)")));
      assertThat(random.own())
          .as("a random column differs between the check and the write")
          .isTrue();
      random.release();
      TableWriter.Pinned uncached = TableWriter.pin(rows(c, new Integer[] {1, 2}).filter("a > 0"));
      assertThat(uncached.own()).isTrue();
      uncached.release();
    } finally {
      persisted.unpersist();
    }
  }

  /**
   * A key and 70 NOT NULL columns: more rules than one 63-bit word holds. The first rule broken (in
   * the contract's order) is reported with how many rows break it, from either word.
   */
  @Test
  void theFirstBrokenRuleIsReportedWithItsRowsFromEitherWordOfRules() {
    List<ColumnSpec> columns = new java.util.ArrayList<>();
    columns.add(new ColumnSpec("id", "int", false, null));
    for (int i = 1; i <= 70; i++) {
      columns.add(new ColumnSpec("c" + i, "int", false, null));
    }
    TableContract c =
        new TableContract("gold.wide", null, "One row per id.", columns, List.of("id"), null, null);
    java.util.function.IntFunction<Dataset<Row>> breaking =
        broken -> {
          List<Row> rows = new java.util.ArrayList<>();
          for (int id = 0; id < 5; id++) {
            Object[] v = new Object[71];
            v[0] = id;
            for (int i = 1; i <= 70; i++) {
              // Rows 0-2 break column `broken`, rows 3-4 column 70 (a later rule).
              v[i] = (id < 3 && i == broken) || (id >= 3 && i == 70) ? null : i;
            }
            rows.add(RowFactory.create(v));
          }
          return spark.createDataFrame(rows, c.writeSchema());
        };
    for (int broken : new int[] {5, 63, 66}) {
      assertThatThrownBy(() -> ContractEnforcer.checkRows(c, breaking.apply(broken)))
          .as("column c" + broken)
          .hasMessageStartingWith(
              "Refused write to gold.wide: 3 row(s) break NOT NULL on column c"
                  + broken
                  + ", e.g. {id=");
    }
    assertThatThrownBy(() -> ContractEnforcer.checkRows(c, breaking.apply(0)))
        .hasMessageStartingWith(
            "Refused write to gold.wide: 2 row(s) break NOT NULL on column c70, e.g. {id=");
  }

  /**
   * The fingerprint's hash sums, summed by bit slices in BIGINTs, are the exact sums of the row
   * hashes (as a DECIMAL(38,0) sum gives them), whether computed alone or with the keyed check, and
   * do not depend on the rows' order; one value changed changes them.
   */
  @Test
  void theFingerprintIsTheExactSumOfTheRowHashesInAnyOrder() {
    TableContract c = pairs();
    Integer[][] values = new Integer[3000][];
    for (int i = 0; i < values.length; i++) {
      values[i] = new Integer[] {i, i % 7 == 0 ? null : i * 31};
    }
    Dataset<Row> frame = rows(c, values).repartition(3);
    Row exact =
        frame
            .selectExpr(
                "sum(CAST(xxhash64(`a`, `b`) AS DECIMAL(38,0)))",
                "sum(CAST(xxhash64('songhong', `a`, `b`) AS DECIMAL(38,0)))")
            .first();
    List<Object> alone = ContractEnforcer.fingerprint(c, frame);
    assertThat(alone.get(0)).isEqualTo(3000L);
    assertThat(alone.get(1)).isEqualTo(exact.getDecimal(0).toBigIntegerExact());
    assertThat(alone.get(2)).isEqualTo(exact.getDecimal(1).toBigIntegerExact());
    assertThat(ContractEnforcer.check(c, frame, true).fingerprint()).isEqualTo(alone);
    Dataset<Row> spread =
        rows(c, values).repartition(4, org.apache.spark.sql.functions.col("a")).cache();
    try {
      assertThat(ContractEnforcer.clusteredBy(spread)).containsExactly("a");
      assertThat(ContractEnforcer.check(c, spread, true).fingerprint())
          .as("tallied in place, partition by partition")
          .isEqualTo(alone);
    } finally {
      spread.unpersist();
    }
    assertThat(
            ContractEnforcer.fingerprint(
                c, frame.orderBy(org.apache.spark.sql.functions.desc("a"))))
        .isEqualTo(alone);

    values[1234] = new Integer[] {1234, 0};
    assertThat(ContractEnforcer.fingerprint(c, rows(c, values))).isNotEqualTo(alone);
  }
}
