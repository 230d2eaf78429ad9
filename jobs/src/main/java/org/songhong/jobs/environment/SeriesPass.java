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
import org.apache.spark.sql.catalyst.expressions.Ascending$;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.SortOrder;
import org.apache.spark.sql.catalyst.expressions.SortOrder$;
import org.apache.spark.sql.catalyst.plans.physical.HashPartitioning;
import org.apache.spark.sql.catalyst.plans.physical.Partitioning;
import org.apache.spark.sql.catalyst.plans.physical.UnknownPartitioning;
import org.apache.spark.sql.catalyst.types.DataTypeUtils;
import org.apache.spark.sql.execution.LogicalRDD;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A computation along each series of rows (the rows sharing the key columns, strings) in the order
 * of one column, which adds columns to every row: what a SQL window does, in one pass over the
 * series held in memory, instead of a window per rule, each copying every whole row into its buffer
 * and out again (bench/README.md, "6 December, morning"). The quality flags' stuck and median rules
 * and the marts' NowCasts and 8-hour means use it.
 *
 * <p>Spark's own plan stops at the pass: the rows go through it as an RDD of Spark's rows and come
 * back as a frame over that RDD, whose plan states the spread and order the rows kept (without it
 * the writer's contract check shuffled them again by their key).
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
    List<Attribute> attributes =
        new ArrayList<>(
            scala.jdk.javaapi.CollectionConverters.asJava(DataTypeUtils.toAttributes(schemaOut)));
    // The rows keep their partitions and order: said in the plan, so that what reads them next
    // (the writer's contract check tallies each partition where it is) neither shuffles nor sorts
    // them again.
    Partitioning spread =
        samePartitioning(
            sorted.queryExecution().sparkPlan().outputPartitioning(),
            attributes,
            out.getNumPartitions());
    List<SortOrder> ordering = new ArrayList<>();
    for (int i : keyAt) {
      ordering.add(ascending(attributes.get(i)));
    }
    ordering.add(ascending(attributes.get(schema.fieldIndex(order))));
    org.apache.spark.sql.classic.SparkSession session =
        (org.apache.spark.sql.classic.SparkSession) rows.sparkSession();
    LogicalRDD plan =
        new LogicalRDD(
            scala.jdk.javaapi.CollectionConverters.asScala(attributes).toSeq(),
            out,
            spread,
            scala.jdk.javaapi.CollectionConverters.asScala(ordering).toSeq(),
            false,
            scala.Option.empty(),
            session,
            scala.Option.empty(),
            scala.Option.empty());
    return org.apache.spark.sql.classic.Dataset.ofRows(session, plan);
  }

  /**
   * The hash partitioning {@code input} states, over the same columns of {@code attributes} (by
   * name), when it is one over plain columns of as many partitions as the rows have; otherwise
   * unknown.
   */
  static Partitioning samePartitioning(
      Partitioning input, List<Attribute> attributes, int partitions) {
    if (!(input instanceof HashPartitioning h) || h.numPartitions() != partitions) {
      return new UnknownPartitioning(partitions);
    }
    List<Expression> columns = new ArrayList<>();
    for (Expression e : scala.jdk.javaapi.CollectionConverters.asJava(h.expressions())) {
      Attribute same =
          e instanceof Attribute a
              ? attributes.stream().filter(b -> b.name().equals(a.name())).findFirst().orElse(null)
              : null;
      if (same == null) {
        return new UnknownPartitioning(partitions);
      }
      columns.add(same);
    }
    return new HashPartitioning(
        scala.jdk.javaapi.CollectionConverters.asScala(columns).toSeq(), partitions);
  }

  private static SortOrder ascending(Attribute a) {
    return SortOrder$.MODULE$.apply(
        a, Ascending$.MODULE$, scala.collection.immutable.Seq$.MODULE$.<Expression>empty());
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

  /**
   * Whole hours since the epoch of a timestamp in microseconds, as the windows the passes replaced
   * computed them: {@code CAST(unix_seconds(obs_hour) / 3600 AS BIGINT)}.
   */
  static long epochHour(long micros) {
    return (long) (Math.floorDiv(micros, 1_000_000L) / 3600.0);
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
