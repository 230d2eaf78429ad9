package org.songhong.jobs.environment;

import static org.apache.spark.sql.functions.col;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.plans.physical.HashPartitioning;
import org.apache.spark.sql.catalyst.plans.physical.Partitioning;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A computation along each series of rows (the rows sharing the key columns, strings) in the order
 * of one column, which adds columns to every row: what a SQL window does, in one pass over the
 * series held in memory, instead of a window per rule, each copying every whole row into its buffer
 * and out again (bench/README.md, "6 December, morning"). The quality flags' stuck and median rules
 * and the marts' NowCasts and 8-hour means use it.
 */
final class SeriesPass {
  private SeriesPass() {}

  /**
   * What is computed for one series: {@link #load} gets its rows in order (copies, kept until the
   * next series), then {@link #fill} is asked for each row's added values, in order. One instance
   * per partition ({@link Factory}), so it may keep arrays between series.
   */
  interface Computation {
    void load(List<InternalRow> series);

    void fill(int row, GenericInternalRow added);
  }

  /** Makes a task's {@link Computation} from the input's column positions. */
  interface Factory extends Serializable {
    Computation create();
  }

  /**
   * {@code rows} with {@code added}'s columns appended, computed series by series. The rows are
   * spread by the keys unless they already are, and sorted by the keys and {@code order} unless
   * they already are.
   */
  static Dataset<Row> apply(
      Dataset<Row> rows, List<String> keys, String order, StructType added, Factory factory) {
    Dataset<Row> sorted = inSeriesOrder(rows, keys, order);
    StructType schema = sorted.schema();
    int[] keyAt = keys.stream().mapToInt(schema::fieldIndex).toArray();
    int width = added.size();
    FlatMapFunction<Iterator<InternalRow>, InternalRow> pass =
        in -> new SeriesIterator(in, keyAt, factory.create(), width);
    RDD<InternalRow> out = sorted.queryExecution().toRdd().toJavaRDD().mapPartitions(pass).rdd();
    StructType schemaOut = schema;
    for (StructField f : added.fields()) {
      schemaOut = schemaOut.add(f);
    }
    return ((org.apache.spark.sql.classic.SparkSession) rows.sparkSession())
        .internalCreateDataFrame(out, schemaOut, false);
  }

  /**
   * {@code rows} with each series in one partition, in {@code order}: shuffled only when their plan
   * does not already spread them by the keys, sorted only when not already in that order. Cached
   * rows tell their spread and order once they are cached (before that, Spark's adaptive plan may
   * still change them).
   */
  static Dataset<Row> inSeriesOrder(Dataset<Row> rows, List<String> keys, String order) {
    // The physical plan before the adaptive wrapper, whose own partitioning is always unknown.
    Dataset<Row> spread =
        spreadBy(rows.queryExecution().sparkPlan().outputPartitioning(), keys)
            ? rows
            : rows.repartition(keys.stream().map(k -> col(k)).toArray(Column[]::new));
    List<Column> by = new ArrayList<>();
    keys.forEach(k -> by.add(col(k)));
    by.add(col(order));
    return spread.sortWithinPartitions(by.toArray(Column[]::new));
  }

  /** Whether rows so partitioned have each series (rows equal in {@code keys}) in one partition. */
  static boolean spreadBy(Partitioning p, List<String> keys) {
    if (!(p instanceof HashPartitioning h) || h.expressions().isEmpty()) {
      return false;
    }
    for (Expression e : scala.jdk.javaapi.CollectionConverters.asJava(h.expressions())) {
      if (!(e instanceof Attribute a) || !keys.contains(a.name())) {
        return false;
      }
    }
    return true;
  }

  /** Reads one series at a time into memory, computes it, then returns its rows. */
  private static final class SeriesIterator implements Iterator<InternalRow> {
    private final Iterator<InternalRow> rows;
    private final int[] keyAt;
    private final Computation computation;
    private final List<InternalRow> series = new ArrayList<>();
    private final GenericInternalRow added;
    private final JoinedRow joined = new JoinedRow();
    private InternalRow pending;
    private int next;

    SeriesIterator(Iterator<InternalRow> rows, int[] keyAt, Computation computation, int width) {
      this.rows = rows;
      this.keyAt = keyAt;
      this.computation = computation;
      this.added = new GenericInternalRow(width);
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
      computation.load(series);
      return true;
    }

    private boolean sameSeries(InternalRow a, InternalRow b) {
      for (int i : keyAt) {
        boolean na = a.isNullAt(i);
        boolean nb = b.isNullAt(i);
        if (na || nb ? !(na && nb) : !a.getUTF8String(i).equals(b.getUTF8String(i))) {
          return false;
        }
      }
      return true;
    }

    @Override
    public InternalRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      int i = next++;
      computation.fill(i, added);
      return joined.apply(series.get(i), added);
    }
  }
}
