package org.songhong.lake;

import java.io.Serializable;
import java.util.Iterator;
import java.util.NoSuchElementException;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.columnar.CachedBatch;
import org.apache.spark.sql.columnar.CachedBatchSerializer;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.storage.StorageLevel;
import scala.Function2;
import scala.collection.immutable.Seq;
import scala.runtime.AbstractFunction2;

/**
 * In-memory caches ({@code Dataset.persist}) kept as batches of Spark's binary rows, each batch
 * compressed with LZ4, instead of Spark's default of compressed columns. Spark's default chooses
 * each column's encoding by trying them on every value (boxing numbers, copying text) and keeps
 * per-batch statistics for skipping batches on a filter: building the caches took 19% of
 * environment_silver's samples and 23% of environment_bronze's at a year x 200 stations, where
 * every cache is read whole and no batch is ever skipped (bench/README.md, "5 December, evening").
 * Rows go in and out as they are; LZ4 keeps a batch a few times smaller than its rows.
 *
 * <p>Set as {@code spark.sql.cache.serializer} (a static setting: read once when the session's
 * context starts) by {@link SparkSessions}, unless the user set it; the class must be on the
 * executors' class path, as the application jar is. What it gives up: Spark's bounds per batch,
 * which let a filter on a cached frame skip batches (a notebook that caches a large table to filter
 * it many times may want Spark's serializer back, README "On a cluster").
 */
public final class RowBatchSerializer implements CachedBatchSerializer {
  private static final long serialVersionUID = 1L;

  /** Rows are packed into a batch until it holds this many bytes (before compression). */
  static final int BATCH_BYTES = 4 << 20;

  /** One batch: its rows' count, the LZ4 block of their bytes, and the bytes' length before. */
  public record RowBatch(int numRows, int rawLength, byte[] block)
      implements CachedBatch, Serializable {
    @Override
    public long sizeInBytes() {
      return block.length;
    }
  }

  @Override
  public boolean supportsColumnarInput(Seq<Attribute> schema) {
    return false;
  }

  @Override
  public boolean supportsColumnarOutput(StructType schema) {
    return false;
  }

  @Override
  public RDD<CachedBatch> convertInternalRowToCachedBatch(
      RDD<InternalRow> input, Seq<Attribute> schema, StorageLevel storageLevel, SQLConf conf) {
    @SuppressWarnings("unchecked")
    Seq<Expression> exprs = (Seq<Expression>) (Seq<?>) schema;
    // Built in each task (a projection is generated code, not sent with the task).
    FlatMapFunction<Iterator<InternalRow>, CachedBatch> pack =
        rows -> new Packer(rows, UnsafeProjection.create(exprs, schema));
    return input.toJavaRDD().mapPartitions(pack).rdd();
  }

  @Override
  public RDD<InternalRow> convertCachedBatchToInternalRow(
      RDD<CachedBatch> input,
      Seq<Attribute> cacheAttributes,
      Seq<Attribute> selectedAttributes,
      SQLConf conf) {
    int fields = cacheAttributes.size();
    boolean all = selectedAttributes.equals(cacheAttributes);
    @SuppressWarnings("unchecked")
    Seq<Expression> selected = (Seq<Expression>) (Seq<?>) selectedAttributes;
    FlatMapFunction<Iterator<CachedBatch>, InternalRow> unpack =
        batches ->
            new Unpacker(
                batches, fields, all ? null : UnsafeProjection.create(selected, cacheAttributes));
    return input.toJavaRDD().mapPartitions(unpack).rdd();
  }

  @Override
  public RDD<CachedBatch> convertColumnarBatchToCachedBatch(
      RDD<ColumnarBatch> input, Seq<Attribute> schema, StorageLevel storageLevel, SQLConf conf) {
    throw new UnsupportedOperationException("rows only: supportsColumnarInput is false");
  }

  @Override
  public RDD<ColumnarBatch> convertCachedBatchToColumnarBatch(
      RDD<CachedBatch> input,
      Seq<Attribute> cacheAttributes,
      Seq<Attribute> selectedAttributes,
      SQLConf conf) {
    throw new UnsupportedOperationException("rows only: supportsColumnarOutput is false");
  }

  /** Every batch is read: no statistics are kept to skip one. */
  @Override
  public Function2<
          Object, scala.collection.Iterator<CachedBatch>, scala.collection.Iterator<CachedBatch>>
      buildFilter(Seq<Expression> predicates, Seq<Attribute> cachedAttributes) {
    return new KeepAll();
  }

  private static final class KeepAll
      extends AbstractFunction2<
          Object, scala.collection.Iterator<CachedBatch>, scala.collection.Iterator<CachedBatch>>
      implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public scala.collection.Iterator<CachedBatch> apply(
        Object partition, scala.collection.Iterator<CachedBatch> batches) {
      return batches;
    }
  }

  /** Rows in, batches out: each row as its length (4 bytes) and its bytes. */
  static final class Packer implements Iterator<CachedBatch> {
    private static final LZ4Compressor LZ4 = LZ4Factory.fastestInstance().fastCompressor();
    private final Iterator<InternalRow> rows;
    private final UnsafeProjection toUnsafe;
    private byte[] buffer = new byte[64 << 10];
    private byte[] scratch = new byte[0];

    Packer(Iterator<InternalRow> rows, UnsafeProjection toUnsafe) {
      this.rows = rows;
      this.toUnsafe = toUnsafe;
    }

    @Override
    public boolean hasNext() {
      return rows.hasNext();
    }

    @Override
    public CachedBatch next() {
      if (!rows.hasNext()) {
        throw new NoSuchElementException();
      }
      int length = 0;
      int count = 0;
      while (rows.hasNext() && length < BATCH_BYTES) {
        InternalRow r = rows.next();
        UnsafeRow u = r instanceof UnsafeRow ur ? ur : toUnsafe.apply(r);
        int size = u.getSizeInBytes();
        int need = length + 4 + size;
        if (need > buffer.length) {
          buffer =
              java.util.Arrays.copyOf(
                  buffer, Math.max(need, Math.min(buffer.length * 2, Integer.MAX_VALUE - 8)));
        }
        org.apache.spark.unsafe.Platform.putInt(
            buffer, org.apache.spark.unsafe.Platform.BYTE_ARRAY_OFFSET + length, size);
        u.writeToMemory(buffer, org.apache.spark.unsafe.Platform.BYTE_ARRAY_OFFSET + length + 4);
        length = need;
        count++;
      }
      int bound = LZ4.maxCompressedLength(length);
      if (scratch.length < bound) {
        scratch = new byte[bound];
      }
      int compressed = LZ4.compress(buffer, 0, length, scratch, 0, bound);
      return new RowBatch(count, length, java.util.Arrays.copyOf(scratch, compressed));
    }
  }

  /** Batches in, rows out (each row a view of its batch's bytes, valid until the next row). */
  static final class Unpacker implements Iterator<InternalRow> {
    /**
     * The safe decompressor, which is told the block's length: lz4-java's {@code
     * fastDecompressor()} is now its pure-Java safe implementation whatever the factory, while the
     * safe one is the native library where it loads (2.4 against 15.5 GB/s on a gate-move batch,
     * AMD EPYC; the fast one had 14% of a year's gate-move load's samples). Spark's own LZ4 codec
     * (shuffles, broadcasts) reads with the safe one too.
     */
    private static final LZ4SafeDecompressor LZ4 = LZ4Factory.fastestInstance().safeDecompressor();

    private final Iterator<CachedBatch> batches;
    private final UnsafeRow row;
    private final UnsafeProjection select;
    private byte[] bytes = new byte[0];
    private int length;
    private int offset;

    Unpacker(Iterator<CachedBatch> batches, int fields, UnsafeProjection select) {
      this.batches = batches;
      this.row = new UnsafeRow(fields);
      this.select = select;
    }

    @Override
    public boolean hasNext() {
      while (offset >= length) {
        if (!batches.hasNext()) {
          return false;
        }
        RowBatch b = (RowBatch) batches.next();
        // One array for every batch: as with the row object, a reader that keeps a row past the
        // next one copies it (Spark's contract for rows from an iterator).
        if (bytes.length < b.rawLength()) {
          bytes = new byte[b.rawLength()];
        }
        int n = LZ4.decompress(b.block(), 0, b.block().length, bytes, 0, b.rawLength());
        if (n != b.rawLength()) {
          throw new IllegalStateException(
              "a cached batch of "
                  + b.numRows()
                  + " rows decompressed to "
                  + n
                  + " bytes, not "
                  + b.rawLength()
                  + ": the cache is damaged; unpersist it and run again");
        }
        length = b.rawLength();
        offset = 0;
      }
      return true;
    }

    @Override
    public InternalRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      int size =
          org.apache.spark.unsafe.Platform.getInt(
              bytes, org.apache.spark.unsafe.Platform.BYTE_ARRAY_OFFSET + offset);
      row.pointTo(bytes, org.apache.spark.unsafe.Platform.BYTE_ARRAY_OFFSET + offset + 4, size);
      offset += 4 + size;
      return select == null ? row : select.apply(row);
    }
  }
}
