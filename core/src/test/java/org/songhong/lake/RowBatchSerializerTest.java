package org.songhong.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import org.songhong.SparkTestSession;

/** The session's in-memory caches go through {@link RowBatchSerializer} and give back every row. */
class RowBatchSerializerTest {
  private final SparkSession spark = SparkTestSession.get();

  /**
   * Rows of every kind of column the jobs cache (text with nulls and non-ASCII, numbers, decimals,
   * dates, times, arrays, maps, structs) come back from the cache as they went in: whole, as a
   * projection of a few columns, and filtered (batches' seams: the test below).
   */
  @Test
  void everyRowComesBackWholeOrProjected() {
    Dataset<Row> frame =
        spark
            .range(0, 20_000, 1, 3)
            .selectExpr(
                "id",
                "CASE WHEN id % 7 = 0 THEN NULL ELSE concat('Hải Phòng trạm ', id, repeat('x', CAST(id % 50 AS INT))) END AS text",
                "CAST(id % 1000 AS INT) AS n",
                "id / 3.0D AS d",
                "CAST(id AS DECIMAL(20, 2)) / 7 AS dec",
                "date_add(DATE'2025-01-01', CAST(id % 365 AS INT)) AS day",
                "timestamp_seconds(1735689600 + id * 3600) AS at",
                "CASE WHEN id % 5 = 0 THEN array() ELSE array('a', CAST(id AS STRING)) END AS flags",
                "map('k', id) AS m",
                "named_struct('x', id, 'y', CAST(NULL AS STRING)) AS s",
                "id % 2 = 0 AS even");
    Dataset<Row> cached = frame.persist(StorageLevel.MEMORY_AND_DISK_SER());
    try {
      assertThat(spark.conf().get("spark.sql.cache.serializer"))
          .isEqualTo(RowBatchSerializer.class.getName());
      assertThat(cached.queryExecution().withCachedData().toString())
          .as("the rows are read from the cache")
          .contains("InMemoryRelation");
      assertThat(cached.count()).isEqualTo(20_000);
      assertThat(inOrder(cached)).isEqualTo(inOrder(frame));
      assertThat(inOrder(cached.select("s", "id").filter("id % 1000 = 999")))
          .isEqualTo(inOrder(frame.select("s", "id").filter("id % 1000 = 999")));
      Row sums = cached.selectExpr("sum(n)", "sum(length(text))", "count(text)").first();
      Row direct = frame.selectExpr("sum(n)", "sum(length(text))", "count(text)").first();
      assertThat(sums.toString()).isEqualTo(direct.toString());
    } finally {
      cached.unpersist();
    }
  }

  /**
   * A cache kept on disk (what a cache that does not fit in memory spills to) comes back whole: its
   * batches written out by Spark's serializer and read back.
   */
  @Test
  void aCacheOnDiskComesBackWhole() {
    Dataset<Row> frame =
        spark
            .range(0, 5_000, 1, 2)
            .selectExpr("id", "concat('trạm ', id) AS text", "array(id, id + 1) AS pair");
    Dataset<Row> onDisk = frame.persist(StorageLevel.DISK_ONLY());
    try {
      assertThat(inOrder(onDisk)).isEqualTo(inOrder(frame));
      assertThat(
              java.util.Arrays.stream(spark.sparkContext().getRDDStorageInfo())
                  .mapToLong(org.apache.spark.storage.RDDInfo::diskSize)
                  .sum())
          .as("the batches are on disk")
          .isPositive();
    } finally {
      onDisk.unpersist(true);
    }
  }

  private static List<String> inOrder(Dataset<Row> rows) {
    return rows.orderBy("id").collectAsList().stream().map(Row::toString).toList();
  }

  /** A batch holds rows up to its size in bytes, then starts another: none lost at the seam. */
  @Test
  void batchesSplitByBytesAndCountTheirRows() {
    Dataset<Row> frame = spark.range(0, 50_000, 1, 1).selectExpr("id", "repeat('y', 200) AS pad");
    List<org.apache.spark.sql.catalyst.InternalRow> rows =
        frame.queryExecution().toRdd().toJavaRDD().map(r -> r.copy()).collect();
    RowBatchSerializer.Packer packer =
        new RowBatchSerializer.Packer(
            rows.iterator(),
            org.apache.spark.sql.catalyst.expressions.UnsafeProjection.create(frame.schema()));
    long total = 0;
    int batches = 0;
    List<org.apache.spark.sql.columnar.CachedBatch> out = new java.util.ArrayList<>();
    while (packer.hasNext()) {
      RowBatchSerializer.RowBatch b = (RowBatchSerializer.RowBatch) packer.next();
      assertThat(b.rawLength()).isLessThan(RowBatchSerializer.BATCH_BYTES + 1024);
      assertThat(b.sizeInBytes()).as("compressed").isLessThan(b.rawLength() / 4);
      total += b.numRows();
      batches++;
      out.add(b);
    }
    assertThat(total).isEqualTo(50_000);
    assertThat(batches).isGreaterThan(1);
    RowBatchSerializer.Unpacker unpacker = new RowBatchSerializer.Unpacker(out.iterator(), 2, null);
    long seen = 0;
    long sum = 0;
    while (unpacker.hasNext()) {
      org.apache.spark.sql.catalyst.InternalRow r = unpacker.next();
      assertThat(r.getUTF8String(1).numBytes()).isEqualTo(200);
      sum += r.getLong(0);
      seen++;
    }
    assertThat(seen).isEqualTo(50_000);
    assertThat(sum).isEqualTo(49_999L * 50_000 / 2);
  }

  /**
   * A batch whose block does not give back the bytes it claims (a damaged cache) fails with a
   * message that says what to do, instead of handing out rows read from a stale array.
   */
  @Test
  void aDamagedBatchFailsWithWhatToDo() {
    byte[] raw = new byte[1000];
    java.util.Arrays.fill(raw, (byte) 7);
    net.jpountz.lz4.LZ4Compressor lz4 =
        net.jpountz.lz4.LZ4Factory.fastestInstance().fastCompressor();
    byte[] block = lz4.compress(raw);
    // The block holds 1,000 bytes; the batch claims 1,200.
    RowBatchSerializer.RowBatch claimsMore = new RowBatchSerializer.RowBatch(3, 1200, block);
    RowBatchSerializer.Unpacker unpacker =
        new RowBatchSerializer.Unpacker(
            List.<org.apache.spark.sql.columnar.CachedBatch>of(claimsMore).iterator(), 1, null);
    org.assertj.core.api.Assertions.assertThatThrownBy(unpacker::hasNext)
        .hasMessageContaining("3 rows decompressed to 1000 bytes, not 1200")
        .hasMessageContaining("unpersist it and run again");
  }
}
