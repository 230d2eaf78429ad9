package org.songhong.lake;

import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.internal.data.DefaultColumnarBatch;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.hook.PostCommitHook;
import io.delta.kernel.internal.data.GenericRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.internal.util.VectorUtils;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.songhong.error.Errors;

/**
 * Appends a few rows to a lake table in one Delta commit through Delta Kernel: no Spark job, no
 * query plan. For what a job writes about itself (the run ledger: two one-row appends per run,
 * which through Spark cost a contract-check job, a write job and Delta's post-commit work, about a
 * second a run). The values are plain Java, in the table's column order, as {@link
 * KernelTables#read} returns them: String, Integer, Long, Double, Boolean, LocalDate, Instant, List
 * for an array, Map for a map, and an Object[] in field order for a struct.
 *
 * <p>Kernel writes tables without CHECK constraints only (it cannot evaluate them); for such a
 * table, or a partitioned one, {@link #append} answers empty and the caller writes with Spark.
 * Appends to one table are serialised within the JVM; a blind append that meets another process's
 * commit is retried by Kernel; Kernel's post-commit work (the version checksum, a checkpoint every
 * {@code delta.checkpointInterval} commits) is done here, as Spark's writer does.
 */
public final class KernelAppend {
  private static final Logger LOG = LoggerFactory.getLogger(KernelAppend.class);

  /** A lock per table location: one commit at a time per table in this JVM. */
  private static final Map<String, Object> LOCKS = new java.util.concurrent.ConcurrentHashMap<>();

  private KernelAppend() {}

  /**
   * Appends {@code rows} to {@code table} (a {@code layer.table} name of {@code kernel}'s lake) in
   * one commit. Returns the committed version, or empty when Kernel cannot write this table (CHECK
   * constraints, partitions): nothing was written then. Throws, writing nothing, when a NOT NULL
   * column has a null.
   */
  public static OptionalLong append(
      KernelTables kernel, String table, List<Object[]> rows, String engineInfo) {
    // One commit at a time per table in this JVM, as Delta's DeltaLog lock does for Spark's
    // writers:
    // two threads renaming their commit (and its checksum sidecar) to the same version at once on a
    // local file system left the winner's JSON with the loser's checksum (caught by
    // RunLedgerKernelTest).
    synchronized (LOCKS.computeIfAbsent(kernel.location(table), k -> new Object())) {
      return appendLocked(kernel, table, rows, engineInfo);
    }
  }

  private static OptionalLong appendLocked(
      KernelTables kernel, String table, List<Object[]> rows, String engineInfo) {
    Engine engine = kernel.engine();
    Snapshot snapshot =
        kernel
            .latest(table)
            .orElseThrow(() -> new IllegalStateException(table + " does not exist yet"));
    if (!writable(snapshot)) {
      return OptionalLong.empty();
    }
    StructType schema = snapshot.getSchema();
    checkNotNull(table, schema, rows);
    if (rows.isEmpty()) {
      return OptionalLong.of(snapshot.getVersion());
    }
    Transaction txn =
        snapshot.buildUpdateTableTransaction(engineInfo, Operation.WRITE).build(engine);
    Row state = txn.getTransactionState(engine);
    ColumnVector[] columns = new ColumnVector[schema.length()];
    for (int c = 0; c < schema.length(); c++) {
      DataType type = schema.at(c).getDataType();
      List<Object> values = new ArrayList<>(rows.size());
      for (Object[] r : rows) {
        values.add(kernelValue(r[c], type));
      }
      columns[c] = VectorUtils.buildColumnVector(values, type);
    }
    FilteredColumnarBatch batch =
        new FilteredColumnarBatch(
            new DefaultColumnarBatch(rows.size(), schema, columns), java.util.Optional.empty());
    try {
      CloseableIterator<FilteredColumnarBatch> physical =
          Transaction.transformLogicalData(
              engine, state, Utils.singletonCloseableIterator(batch), Map.of());
      DataWriteContext context = Transaction.getWriteContext(engine, state, Map.of());
      CloseableIterator<DataFileStatus> files =
          engine
              .getParquetHandler()
              .writeParquetFiles(
                  context.getTargetDirectory(), physical, context.getStatisticsColumns());
      CloseableIterator<Row> actions =
          Transaction.generateAppendActions(engine, state, files, context);
      TransactionCommitResult result =
          txn.commit(engine, CloseableIterable.inMemoryIterable(actions));
      for (PostCommitHook hook : result.getPostCommitHooks()) {
        try {
          hook.threadSafeInvoke(engine);
        } catch (IOException | RuntimeException e) {
          // The commit stands; a missing checksum or checkpoint only makes the next reader replay
          // more of the log.
          LOG.warn(
              "{}: post-commit {} after version {} failed: {}",
              table,
              hook.getType(),
              result.getVersion(),
              e.toString());
        }
      }
      return OptionalLong.of(result.getVersion());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "appending to " + kernel.location(table) + ": " + e.getMessage(), e);
    }
  }

  /**
   * Whether Kernel writes this table: no CHECK constraint (Kernel cannot evaluate them), no
   * partitions.
   */
  static boolean writable(Snapshot snapshot) {
    boolean constrained =
        snapshot.getTableProperties().keySet().stream()
            .anyMatch(k -> k.startsWith(FirstCommit.CONSTRAINT_PROPERTY));
    return !constrained && snapshot.getPartitionColumnNames().isEmpty();
  }

  private static void checkNotNull(String table, StructType schema, List<Object[]> rows) {
    for (Object[] r : rows) {
      if (r.length != schema.length()) {
        throw Errors.schemaMismatch(
            table, "a row has " + r.length + " values, the table " + schema.length() + " columns");
      }
    }
    for (int c = 0; c < schema.length(); c++) {
      if (schema.at(c).isNullable()) {
        continue;
      }
      long nulls = 0;
      Object[] sample = null;
      for (Object[] r : rows) {
        if (r[c] == null) {
          nulls++;
          sample = sample == null ? r : sample;
        }
      }
      if (nulls > 0) {
        throw Errors.contractViolation(
            table, schema.at(c).getName(), "NOT NULL", nulls, java.util.Arrays.toString(sample));
      }
    }
  }

  /** A plain Java value as Kernel's column vectors take it. */
  static Object kernelValue(Object v, DataType type) {
    if (v == null) {
      return null;
    }
    if (type instanceof DateType) {
      return (int) ((LocalDate) v).toEpochDay();
    } else if (type instanceof TimestampType) {
      Instant t = (Instant) v;
      return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000L);
    } else if (type instanceof ArrayType a) {
      List<Object> elements = new ArrayList<>();
      for (Object e : (List<?>) v) {
        elements.add(kernelValue(e, a.getElementType()));
      }
      return VectorUtils.buildArrayValue(elements, a.getElementType());
    } else if (type instanceof MapType m) {
      List<Object> keys = new ArrayList<>();
      List<Object> values = new ArrayList<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        keys.add(kernelValue(e.getKey(), m.getKeyType()));
        values.add(kernelValue(e.getValue(), m.getValueType()));
      }
      int size = keys.size();
      ColumnVector k = VectorUtils.buildColumnVector(keys, m.getKeyType());
      ColumnVector x = VectorUtils.buildColumnVector(values, m.getValueType());
      return new MapValue() {
        @Override
        public int getSize() {
          return size;
        }

        @Override
        public ColumnVector getKeys() {
          return k;
        }

        @Override
        public ColumnVector getValues() {
          return x;
        }
      };
    } else if (type instanceof StructType s) {
      Object[] arr = (Object[]) v;
      Map<Integer, Object> fields = new HashMap<>();
      for (int i = 0; i < s.length(); i++) {
        fields.put(i, kernelValue(arr[i], s.at(i).getDataType()));
      }
      return new GenericRow(s, fields);
    }
    return v;
  }
}
