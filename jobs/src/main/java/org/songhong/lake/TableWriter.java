package org.songhong.lake;

import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.songhong.contract.TableContract;

/**
 * The only way jobs write to the lake. Every write checks the frame against the table's contract
 * first, is one Delta commit (so a killed job leaves either the old or the new version visible,
 * never half), retries on a concurrent-commit conflict, and skips the commit when it would change
 * nothing, so that a rerun on the same input leaves the table's version where it was.
 */
public final class TableWriter {
  private static final Logger LOG = LoggerFactory.getLogger(TableWriter.class);
  private final Lake lake;
  private final int retries;

  public TableWriter(Lake lake, int retries) {
    this.lake = lake;
    this.retries = retries;
  }

  /** Appends rows. An empty frame commits nothing. */
  public WriteResult append(String table, Dataset<Row> frame) {
    TableContract c = lake.contract(table);
    Dataset<Row> rows = ContractEnforcer.conform(c, frame).cache();
    try {
      long n = rows.count();
      if (n == 0) {
        return new WriteResult(table, 0, lake.version(c), false);
      }
      describe("append " + n + " rows to " + table);
      withRetry(table, () -> {
        rows.write().format("delta").mode("append").save(lake.location(c));
        return null;
      });
      return new WriteResult(table, n, lake.version(c), true);
    } finally {
      rows.unpersist();
    }
  }

  /**
   * Upserts rows on the table's primary key: a row whose key is new is inserted, a row whose other
   * columns differ from the stored one replaces it, an identical row is left alone. Commits nothing
   * if no row would change.
   *
   * @param ignoredForChange columns that do not count as a change (lineage such as the run id)
   */
  public WriteResult upsert(String table, Dataset<Row> frame, List<String> ignoredForChange) {
    TableContract c = lake.contract(table);
    Dataset<Row> rows = ContractEnforcer.conform(c, frame).cache();
    try {
      String keyMatch = c.primaryKey().stream().map(k -> "t.`" + k + "` <=> s.`" + k + "`").collect(Collectors.joining(" AND "));
      String changed = c.columnNames().stream()
          .filter(col -> !c.primaryKey().contains(col) && !ignoredForChange.contains(col))
          .map(col -> comparable(c, "t", col) + " <=> " + comparable(c, "s", col))
          .map(cmp -> "NOT (" + cmp + ")")
          .collect(Collectors.joining(" OR "));
      Dataset<Row> existing = lake.spark().read().format("delta").load(lake.location(c)).alias("t");
      long toChange = rows.alias("s")
          .join(existing, org.apache.spark.sql.functions.expr(keyMatch), "left")
          .filter(c.primaryKey().stream().map(k -> "t.`" + k + "` IS NULL").collect(Collectors.joining(" AND "))
              + (changed.isEmpty() ? "" : " OR " + changed))
          .count();
      if (toChange == 0) {
        return new WriteResult(table, 0, lake.version(c), false);
      }
      describe("upsert " + toChange + " rows into " + table);
      withRetry(table, () -> {
        var merge = DeltaTable.forPath(lake.spark(), lake.location(c)).as("t")
            .merge(rows.as("s"), keyMatch);
        merge = changed.isEmpty() ? merge : merge.whenMatched(changed).updateAll();
        merge.whenNotMatched().insertAll().execute();
        return null;
      });
      return new WriteResult(table, toChange, lake.version(c), true);
    } finally {
      rows.unpersist();
    }
  }

  /** Inserts rows whose primary key is not in the table yet; existing keys are left alone. */
  public WriteResult insertNew(String table, Dataset<Row> frame) {
    return insertNew(table, frame, null);
  }

  /**
   * As {@link #insertNew(String, Dataset)}, comparing only with the stored rows that match {@code
   * existingFilter} (a SQL predicate on partition columns, so a daily run never scans the history).
   * The caller guarantees that no row of {@code frame} can collide with a row outside the filter.
   */
  public WriteResult insertNew(String table, Dataset<Row> frame, String existingFilter) {
    TableContract c = lake.contract(table);
    Dataset<Row> rows = ContractEnforcer.conform(c, frame);
    Dataset<Row> existing = lake.spark().read().format("delta").load(lake.location(c));
    if (existingFilter != null) {
      existing = existing.filter(existingFilter);
    }
    Dataset<Row> fresh = rows.join(existing.select(c.primaryKey().stream().map(k -> col("`" + k + "`")).toArray(org.apache.spark.sql.Column[]::new)),
        scala.jdk.javaapi.CollectionConverters.asScala(c.primaryKey()).toSeq(), "left_anti");
    return append(table, fresh);
  }

  /**
   * Replaces the table's whole content with {@code frame}, unless the content is already equal
   * (ignoring row order), in which case nothing is committed.
   */
  public WriteResult replace(String table, Dataset<Row> frame) {
    TableContract c = lake.contract(table);
    Dataset<Row> rows = ContractEnforcer.conform(c, frame).cache();
    try {
      Dataset<Row> existing = lake.spark().read().format("delta").load(lake.location(c));
      Dataset<Row> a = setComparable(c, rows);
      Dataset<Row> b = setComparable(c, existing);
      boolean same = a.exceptAll(b).isEmpty() && b.exceptAll(a).isEmpty();
      long n = rows.count();
      if (same) {
        return new WriteResult(table, n, lake.version(c), false);
      }
      describe("replace " + table + " with " + n + " rows");
      withRetry(table, () -> {
        rows.write().format("delta").mode("overwrite").save(lake.location(c));
        return null;
      });
      return new WriteResult(table, n, lake.version(c), true);
    } finally {
      rows.unpersist();
    }
  }

  /**
   * Replaces the rows matching {@code condition} with {@code frame} in one commit (Delta
   * replaceWhere), unless they are already equal. Every row of {@code frame} must match the condition.
   */
  public WriteResult replaceWhere(String table, Dataset<Row> frame, String condition) {
    TableContract c = lake.contract(table);
    Dataset<Row> rows = ContractEnforcer.conform(c, frame).cache();
    try {
      Dataset<Row> existing = lake.spark().read().format("delta").load(lake.location(c)).filter(condition);
      Dataset<Row> a = setComparable(c, rows);
      Dataset<Row> b = setComparable(c, existing);
      long n = rows.count();
      if (a.exceptAll(b).isEmpty() && b.exceptAll(a).isEmpty()) {
        return new WriteResult(table, n, lake.version(c), false);
      }
      describe("replace " + n + " rows of " + table + " where " + condition);
      withRetry(table, () -> {
        rows.write().format("delta").mode("overwrite").option("replaceWhere", condition).save(lake.location(c));
        return null;
      });
      return new WriteResult(table, n, lake.version(c), true);
    } finally {
      rows.unpersist();
    }
  }

  /** The frame with map columns as JSON text, since set operations refuse maps. */
  private static Dataset<Row> setComparable(TableContract c, Dataset<Row> frame) {
    return frame.selectExpr(c.columnNames().stream()
        .map(col -> comparable(c, null, col) + " AS `" + col + "`").toArray(String[]::new));
  }

  /** A column as an expression {@code <=>} can compare: maps have no equality in Spark, so compare their JSON. */
  private static String comparable(TableContract c, String alias, String column) {
    String ref = (alias == null ? "" : alias + ".") + "`" + column + "`";
    return c.column(column).orElseThrow().type().toLowerCase().contains("map<") ? "to_json(" + ref + ")" : ref;
  }

  private void describe(String what) {
    LOG.info("{}", what);
    lake.spark().sparkContext().setJobDescription(what);
  }

  private static final java.util.concurrent.atomic.AtomicLong CONFLICT_RETRIES = new java.util.concurrent.atomic.AtomicLong();

  /** How many writes in this JVM were retried after a concurrent-commit conflict (for tests and metrics). */
  public static long conflictRetries() {
    return CONFLICT_RETRIES.get();
  }

  private <T> T withRetry(String table, Supplier<T> write) {
    for (int attempt = 1; ; attempt++) {
      try {
        return write.get();
      } catch (RuntimeException e) {
        if (!isConflict(e) || attempt > retries) {
          throw e;
        }
        CONFLICT_RETRIES.incrementAndGet();
        LOG.warn("Concurrent commit on {} (attempt {} of {}): retrying", table, attempt, retries + 1);
        try {
          Thread.sleep(200L * attempt);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  static boolean isConflict(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof io.delta.exceptions.DeltaConcurrentModificationException
          || t instanceof java.util.ConcurrentModificationException) {
        return true;
      }
    }
    return false;
  }
}
