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
  private final java.util.function.Consumer<WriteResult> observer;

  public TableWriter(Lake lake, int retries) {
    this(lake, retries, r -> {});
  }

  private TableWriter(Lake lake, int retries, java.util.function.Consumer<WriteResult> observer) {
    this.lake = lake;
    this.retries = retries;
    this.observer = observer;
  }

  /**
   * A writer to the same lake that also tells {@code observer} what each of its writes did (the
   * result every write method returns, committed or not). The runner gives each job run such a
   * writer, so that the ledger knows what a run committed even when the run fails before returning.
   */
  public TableWriter observedBy(java.util.function.Consumer<WriteResult> observer) {
    return new TableWriter(lake, retries, observer);
  }

  private WriteResult reported(WriteResult result) {
    observer.accept(result);
    return result;
  }

  /** Appends rows. An empty frame commits nothing. */
  public WriteResult append(String table, Dataset<Row> frame) {
    return reported(appendOnce(table, frame));
  }

  private WriteResult appendOnce(String table, Dataset<Row> frame) {
    TableContract c = lake.contract(table);
    Pinned pinned = pin(ContractEnforcer.ordered(c, frame));
    Dataset<Row> rows = pinned.rows();
    try {
      return appendChecked(c, rows, ContractEnforcer.checkRows(c, rows));
    } finally {
      pinned.release();
    }
  }

  /** Appends {@code n} rows already checked against the contract. */
  private WriteResult appendChecked(TableContract c, Dataset<Row> rows, long n) {
    if (n == 0) {
      return new WriteResult(c.name(), 0, lake.version(c), false);
    }
    lake.ensureCreated(c);
    withRetry(
        c.name(),
        "append " + n + " rows to " + c.name(),
        () -> {
          rows.write().format("delta").mode("append").save(lake.location(c));
          return null;
        });
    return new WriteResult(c.name(), n, lake.version(c), true);
  }

  /**
   * Upserts rows on the table's primary key: a row whose key is new is inserted, a row whose other
   * columns differ from the stored one replaces it, an identical row is left alone. Commits nothing
   * if no row would change.
   *
   * @param ignoredForChange columns that do not count as a change (lineage such as the run id)
   */
  public WriteResult upsert(String table, Dataset<Row> frame, List<String> ignoredForChange) {
    return reported(upsertOnce(table, frame, ignoredForChange));
  }

  private WriteResult upsertOnce(String table, Dataset<Row> frame, List<String> ignoredForChange) {
    TableContract c = lake.contract(table);
    Pinned pinned = pin(ContractEnforcer.ordered(c, frame));
    Dataset<Row> rows = pinned.rows();
    try {
      long n = ContractEnforcer.checkRows(c, rows);
      if (n == 0) {
        return new WriteResult(table, 0, lake.version(c), false);
      }
      lake.ensureCreated(c);
      String keyMatch =
          c.primaryKey().stream()
              .map(k -> "t.`" + k + "` <=> s.`" + k + "`")
              .collect(Collectors.joining(" AND "));
      String changed =
          c.columnNames().stream()
              .filter(col -> !c.primaryKey().contains(col) && !ignoredForChange.contains(col))
              .map(
                  col ->
                      ContractEnforcer.comparable(c, "t", col)
                          + " <=> "
                          + ContractEnforcer.comparable(c, "s", col))
              .map(cmp -> "NOT (" + cmp + ")")
              .collect(Collectors.joining(" OR "));
      long toChange;
      if (storedRows(c) == 0) {
        toChange = n; // nothing stored (from the log's counts, no Spark job): every row is new
      } else {
        Dataset<Row> existing =
            lake.spark().read().format("delta").load(lake.location(c)).alias("t");
        toChange =
            rows.alias("s")
                .join(existing, org.apache.spark.sql.functions.expr(keyMatch), "left")
                .filter(
                    c.primaryKey().stream()
                            .map(k -> "t.`" + k + "` IS NULL")
                            .collect(Collectors.joining(" AND "))
                        + (changed.isEmpty() ? "" : " OR " + changed))
                .count();
      }
      if (toChange == 0) {
        return new WriteResult(table, 0, lake.version(c), false);
      }
      withRetry(
          table,
          "upsert " + toChange + " rows into " + table,
          () -> {
            var merge =
                DeltaTable.forPath(lake.spark(), lake.location(c))
                    .as("t")
                    .merge(rows.as("s"), keyMatch);
            merge = changed.isEmpty() ? merge : merge.whenMatched(changed).updateAll();
            merge.whenNotMatched().insertAll().execute();
            return null;
          });
      return new WriteResult(table, toChange, lake.version(c), true);
    } finally {
      pinned.release();
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
    return reported(insertNewOnce(table, frame, existingFilter));
  }

  private WriteResult insertNewOnce(String table, Dataset<Row> frame, String existingFilter) {
    TableContract c = lake.contract(table);
    Pinned pinned = pin(ContractEnforcer.ordered(c, frame));
    Dataset<Row> rows = pinned.rows();
    try {
      long n = ContractEnforcer.checkRows(c, rows);
      if (n == 0) {
        return new WriteResult(table, 0, lake.version(c), false);
      }
      if (!lake.exists(c)) {
        return appendChecked(c, rows, n);
      }
      if (storedRows(c) == 0) {
        return appendChecked(c, rows, n); // an empty table, from the log's counts: every row is new
      }
      Dataset<Row> existing = lake.spark().read().format("delta").load(lake.location(c));
      if (existingFilter != null) {
        existing = existing.filter(existingFilter);
      }
      Dataset<Row> storedKeys =
          existing.select(
              c.primaryKey().stream()
                  .map(k -> col("`" + k + "`"))
                  .toArray(org.apache.spark.sql.Column[]::new));
      if (storedKeys.isEmpty()) {
        // Nothing stored where these rows go (a first load, a new day): every row is new, and the
        // checked rows are written as they are, without a second pass to find them.
        return appendChecked(c, rows, n);
      }
      Dataset<Row> fresh =
          rows.join(
                  storedKeys,
                  scala.jdk.javaapi.CollectionConverters.asScala(c.primaryKey()).toSeq(),
                  "left_anti")
              .cache();
      try {
        return appendChecked(c, fresh, fresh.count());
      } finally {
        fresh.unpersist();
      }
    } finally {
      pinned.release();
    }
  }

  /**
   * Replaces the table's whole content with {@code frame}, unless the content is already equal
   * (ignoring row order), in which case nothing is committed.
   */
  public WriteResult replace(String table, Dataset<Row> frame) {
    return reported(replaceMatching(table, frame, null));
  }

  /**
   * Replaces the rows matching {@code condition} with {@code frame} in one commit (Delta
   * replaceWhere), unless they are already equal. Every row of {@code frame} must match the
   * condition.
   */
  public WriteResult replaceWhere(String table, Dataset<Row> frame, String condition) {
    return reported(replaceMatching(table, frame, condition));
  }

  private WriteResult replaceMatching(String table, Dataset<Row> frame, String condition) {
    TableContract c = lake.contract(table);
    Pinned pinned = pin(ContractEnforcer.ordered(c, frame));
    Dataset<Row> rows = pinned.rows();
    try {
      boolean exists = lake.exists(c);
      // The new rows' fingerprint comes with the contract check: one pass over them.
      ContractEnforcer.Checked checked = ContractEnforcer.check(c, rows, exists);
      long n = checked.rows();
      if (exists) {
        // The stored row count from the log's statistics (no Spark job) settles the common cases:
        // nothing stored (a first load), or a whole table whose count differs. Otherwise the stored
        // rows' fingerprint is compared with the new rows'.
        long stored = storedRows(c);
        boolean same;
        if (stored == 0) {
          same = n == 0;
        } else if (condition == null && stored > 0 && stored != n) {
          same = false;
        } else {
          Dataset<Row> existing = lake.spark().read().format("delta").load(lake.location(c));
          if (condition != null) {
            existing = existing.filter(condition);
          }
          same = checked.fingerprint().equals(ContractEnforcer.fingerprint(c, existing));
        }
        if (same) {
          return new WriteResult(table, n, lake.version(c), false);
        }
      } else if (n == 0) {
        return new WriteResult(table, 0, -1, false);
      }
      lake.ensureCreated(c);
      withRetry(
          table,
          condition == null
              ? "replace " + table + " with " + n + " rows"
              : "replace " + n + " rows of " + table + " where " + condition,
          () -> {
            var w = rows.write().format("delta").mode("overwrite");
            if (condition != null) {
              w = w.option("replaceWhere", condition);
            }
            w.save(lake.location(c));
            return null;
          });
      return new WriteResult(table, n, lake.version(c), true);
    } finally {
      pinned.release();
    }
  }

  /**
   * Rows read twice (the contract check, then the write): cached, unless they already are a
   * projection or filter of cached rows (a job's persisted frame), which are as cheap to read again
   * as a second cache would be, without building it.
   */
  record Pinned(Dataset<Row> rows, boolean own) {
    void release() {
      if (own) {
        rows.unpersist();
      }
    }
  }

  static Pinned pin(Dataset<Row> rows) {
    return viewOfCache(rows.queryExecution().withCachedData())
        ? new Pinned(rows, false)
        : new Pinned(rows.cache(), true);
  }

  /**
   * Whether {@code plan} reads cached rows through deterministic projections and filters only, or
   * through a left join with other cached rows broadcast to it (a small cached lookup: the copies a
   * silver job found among its cached lines), which is as cheap to read twice as a second cache.
   */
  static boolean viewOfCache(org.apache.spark.sql.catalyst.plans.logical.LogicalPlan plan) {
    if (plan instanceof org.apache.spark.sql.execution.columnar.InMemoryRelation) {
      return true;
    }
    if (plan instanceof org.apache.spark.sql.catalyst.plans.logical.Join j
        && j.joinType() == org.apache.spark.sql.catalyst.plans.LeftOuter$.MODULE$) {
      return j.deterministic()
          && viewOfCache(j.left())
          && j.right() instanceof org.apache.spark.sql.catalyst.plans.logical.ResolvedHint h
          && h.hints()
              .strategy()
              .contains(org.apache.spark.sql.catalyst.plans.logical.BROADCAST$.MODULE$)
          && viewOfCache(h.child());
    }
    boolean passThrough =
        plan instanceof org.apache.spark.sql.catalyst.plans.logical.Project
            || plan instanceof org.apache.spark.sql.catalyst.plans.logical.Filter
            || plan instanceof org.apache.spark.sql.catalyst.plans.logical.SubqueryAlias;
    return passThrough && plan.deterministic() && viewOfCache(plan.children().head());
  }

  /**
   * The table's row count from the statistics in its log (Delta Kernel, no Spark job), or -1 when
   * they cannot tell (no statistics, deletion vectors).
   */
  private long storedRows(TableContract c) {
    return lake.kernel().latest(c.name()).flatMap(lake.kernel()::rowCount).orElse(-1L);
  }

  private final java.util.concurrent.atomic.AtomicLong conflictRetries =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * How many of this writer's writes were retried after a concurrent-commit conflict (for tests and
   * metrics).
   */
  public long conflictRetries() {
    return conflictRetries.get();
  }

  /**
   * Runs {@code write} with {@code what} as its Spark jobs' description (the step's own description
   * is put back after it, so the jobs that follow are not labelled as this write), retrying on a
   * concurrent-commit conflict.
   */
  private <T> T withRetry(String table, String what, Supplier<T> write) {
    LOG.info("{}", what);
    var sc = lake.spark().sparkContext();
    String before = sc.getLocalProperty("spark.job.description");
    sc.setJobDescription(what);
    try {
      return retrying(table, write);
    } finally {
      sc.setJobDescription(before);
    }
  }

  private <T> T retrying(String table, Supplier<T> write) {
    for (int attempt = 1; ; attempt++) {
      try {
        return write.get();
      } catch (RuntimeException e) {
        if (!isConflict(e) || attempt > retries) {
          throw e;
        }
        conflictRetries.incrementAndGet();
        LOG.warn(
            "Concurrent commit on {} (attempt {} of {}): retrying", table, attempt, retries + 1);
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
