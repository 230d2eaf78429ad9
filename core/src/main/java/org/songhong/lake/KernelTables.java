package org.songhong.lake;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads small Delta tables of the lake with Delta Kernel: no Spark, so a request never starts a
 * job. A table is read whole into rows of plain Java values (String, Integer, Long, Double,
 * Boolean, LocalDate, Instant, List, Map for a struct), in column order.
 */
public final class KernelTables {
  private final Engine engine;
  private final String lakeRoot;

  /** {@code hadoop} carries the file system settings (s3a credentials and endpoint, ...). */
  public KernelTables(String lakeRoot, Configuration hadoop) {
    this.engine = DefaultEngine.create(hadoop);
    this.lakeRoot =
        lakeRoot.endsWith("/") ? lakeRoot.substring(0, lakeRoot.length() - 1) : lakeRoot;
  }

  /**
   * Where {@code gold.scorecard} lives: {@code <lake>/gold/scorecard}, as {@code Lake.location}
   * says.
   */
  public String location(String table) {
    return lakeRoot + "/" + table.replace('.', '/');
  }

  /** The table's latest version, or empty when the table has not been created yet. */
  public Optional<Snapshot> latest(String table) {
    try {
      return Optional.of(TableManager.loadSnapshot(location(table)).build(engine));
    } catch (TableNotFoundException e) {
      return Optional.empty();
    }
  }

  /** The table's latest version, -1 when it has not been created yet. */
  public long version(String table) {
    return latest(table).map(Snapshot::getVersion).orElse(-1L);
  }

  /** The Hadoop settings the engine reads files with. */
  public Engine engine() {
    return engine;
  }

  /** When {@code snapshot}'s version was committed. */
  public Instant committedAt(Snapshot snapshot) {
    return Instant.ofEpochMilli(snapshot.getTimestamp(engine));
  }

  /** The table's rows at {@code snapshot}. */
  public Loaded read(Snapshot snapshot) {
    Scan scan = snapshot.getScanBuilder().build();
    Row scanState = scan.getScanState(engine);
    StructType physical = ScanStateRow.getPhysicalDataReadSchema(scanState);
    StructType logical = snapshot.getSchema();
    List<Object[]> rows = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine)) {
      while (files.hasNext()) {
        try (CloseableIterator<Row> fileRows = files.next().getRows()) {
          while (fileRows.hasNext()) {
            Row fileRow = fileRows.next();
            FileStatus status = InternalScanFileUtils.getAddFileStatus(fileRow);
            CloseableIterator<ColumnarBatch> data =
                engine
                    .getParquetHandler()
                    .readParquetFiles(single(status), physical, Optional.empty())
                    .map(FileReadResult::getData);
            try (CloseableIterator<FilteredColumnarBatch> batches =
                Scan.transformPhysicalData(engine, scanState, fileRow, data)) {
              while (batches.hasNext()) {
                collect(batches.next(), logical, rows);
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + snapshot.getPath() + ": " + e.getMessage(), e);
    }
    List<String> names = logical.fields().stream().map(StructField::getName).toList();
    return new Loaded(snapshot.getVersion(), names, rows);
  }

  /**
   * The table's row count at {@code snapshot} from the statistics Delta keeps for each data file in
   * its log (numRecords): no data file is read. Empty when a file has no statistics or a deletion
   * vector (its numRecords would count deleted rows): count the rows instead.
   */
  public Optional<Long> rowCount(Snapshot snapshot) {
    long[] rows = {0};
    boolean counted =
        forEachAdd(
            snapshot,
            true,
            (scanFile, add) -> {
              int dv = add.getSchema().indexOf("deletionVector");
              int stats = add.getSchema().indexOf("stats");
              if ((dv >= 0 && !add.isNullAt(dv)) || stats < 0 || add.isNullAt(stats)) {
                return false;
              }
              java.util.regex.Matcher m = NUM_RECORDS.matcher(add.getString(stats));
              if (!m.find()) {
                return false;
              }
              rows[0] += Long.parseLong(m.group(1));
              return true;
            });
    return counted ? Optional.of(rows[0]) : Optional.empty();
  }

  /**
   * The data files of a version as OPTIMIZE sees them: how many, their bytes, whether one carries a
   * deletion vector (OPTIMIZE may rewrite it to drop deleted rows), and the most files smaller than
   * a size that one partition holds (OPTIMIZE compacts small files within a partition; a partition
   * with one small file has nothing to put together).
   */
  public record Layout(
      long files,
      long bytes,
      boolean deletionVectors,
      long mostSmallFiles,
      java.util.Set<String> paths) {
    /** Whether OPTIMIZE could change anything: two small files in a partition, or a deletion. */
    public boolean compactable() {
      return mostSmallFiles >= 2 || deletionVectors;
    }
  }

  /**
   * {@code snapshot}'s data files, read from its log (no data file is opened); files under {@code
   * smallBytes} are counted per partition.
   */
  public Layout layout(Snapshot snapshot, long smallBytes) {
    long[] filesAndBytes = {0, 0};
    boolean[] deletions = {false};
    Map<Map<String, String>, Long> small = new java.util.HashMap<>();
    java.util.Set<String> paths = new java.util.HashSet<>();
    forEachAdd(
        snapshot,
        false,
        (scanFile, add) -> {
          long size = add.getLong(add.getSchema().indexOf("size"));
          int dv = add.getSchema().indexOf("deletionVector");
          deletions[0] |= dv >= 0 && !add.isNullAt(dv);
          filesAndBytes[0]++;
          filesAndBytes[1] += size;
          paths.add(
              new org.apache.hadoop.fs.Path(
                      InternalScanFileUtils.getAddFileStatus(scanFile).getPath())
                  .toUri()
                  .getPath());
          if (size < smallBytes) {
            small.merge(InternalScanFileUtils.getPartitionValues(scanFile), 1L, Long::sum);
          }
          return true;
        });
    long most = small.values().stream().mapToLong(Long::longValue).max().orElse(0);
    return new Layout(filesAndBytes[0], filesAndBytes[1], deletions[0], most, paths);
  }

  /**
   * Calls {@code action} with each data file of {@code snapshot} as its log lists it (the scan
   * file's row and its add action; with the file's statistics when {@code withStats}) until it
   * answers false. Returns whether every file was seen.
   */
  private boolean forEachAdd(
      Snapshot snapshot, boolean withStats, java.util.function.BiPredicate<Row, Row> action) {
    Scan scan = snapshot.getScanBuilder().build();
    try (CloseableIterator<FilteredColumnarBatch> batches = scan.getScanFiles(engine, withStats)) {
      while (batches.hasNext()) {
        try (CloseableIterator<Row> scanFiles = batches.next().getRows()) {
          while (scanFiles.hasNext()) {
            Row scanFile = scanFiles.next();
            if (!action.test(
                scanFile, scanFile.getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL))) {
              return false;
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "reading the log of " + snapshot.getPath() + ": " + e.getMessage(), e);
    }
    return true;
  }

  private static final java.util.regex.Pattern NUM_RECORDS =
      java.util.regex.Pattern.compile("\"numRecords\"\\s*:\\s*(\\d+)");

  /** A table read whole at one version. */
  public record Loaded(long version, List<String> columns, List<Object[]> rows) {
    public int index(String column) {
      int i = columns.indexOf(column);
      if (i < 0) {
        throw new IllegalArgumentException("no column " + column + " in " + columns);
      }
      return i;
    }
  }

  private static void collect(FilteredColumnarBatch batch, StructType schema, List<Object[]> out) {
    ColumnarBatch data = batch.getData();
    Optional<ColumnVector> selected = batch.getSelectionVector();
    int n = data.getSize();
    int width = schema.length();
    ColumnVector[] cols = new ColumnVector[width];
    for (int c = 0; c < width; c++) {
      cols[c] = data.getColumnVector(c);
    }
    for (int r = 0; r < n; r++) {
      if (selected.isPresent() && (selected.get().isNullAt(r) || !selected.get().getBoolean(r))) {
        continue;
      }
      Object[] row = new Object[width];
      for (int c = 0; c < width; c++) {
        row[c] = value(cols[c], r, schema.at(c).getDataType());
      }
      out.add(row);
    }
  }

  private static Object value(ColumnVector v, int i, DataType type) {
    if (v.isNullAt(i)) {
      return null;
    }
    if (type instanceof IntegerType) {
      return v.getInt(i);
    } else if (type instanceof LongType) {
      return v.getLong(i);
    } else if (type instanceof DoubleType) {
      return v.getDouble(i);
    } else if (type instanceof BooleanType) {
      return v.getBoolean(i);
    } else if (type instanceof DateType) {
      return LocalDate.ofEpochDay(v.getInt(i));
    } else if (type instanceof TimestampType) {
      long micros = v.getLong(i);
      return Instant.ofEpochSecond(
          Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    } else if (type instanceof ArrayType a) {
      ArrayValue arr = v.getArray(i);
      ColumnVector el = arr.getElements();
      List<Object> list = new ArrayList<>(arr.getSize());
      for (int k = 0; k < arr.getSize(); k++) {
        list.add(value(el, k, a.getElementType()));
      }
      return list;
    } else if (type instanceof io.delta.kernel.types.MapType mt) {
      io.delta.kernel.data.MapValue mv = v.getMap(i);
      Map<Object, Object> m = new LinkedHashMap<>();
      for (int k = 0; k < mv.getSize(); k++) {
        m.put(value(mv.getKeys(), k, mt.getKeyType()), value(mv.getValues(), k, mt.getValueType()));
      }
      return m;
    } else if (type instanceof StructType s) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (int k = 0; k < s.length(); k++) {
        m.put(s.at(k).getName(), value(v.getChild(k), i, s.at(k).getDataType()));
      }
      return m;
    }
    return v.getString(i);
  }

  /**
   * A value as JSON writers and JDBC take it: dates and instants as ISO text, lists and structs
   * (maps, in field order) converted inside; everything else as it is.
   */
  public static Object jsonable(Object v) {
    if (v instanceof LocalDate || v instanceof Instant) {
      return v.toString();
    } else if (v instanceof List<?> l) {
      return l.stream().map(KernelTables::jsonable).toList();
    } else if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(String.valueOf(k), jsonable(x)));
      return out;
    }
    return v;
  }

  private static <T> CloseableIterator<T> single(T item) {
    return io.delta.kernel.internal.util.Utils.singletonCloseableIterator(item);
  }
}
