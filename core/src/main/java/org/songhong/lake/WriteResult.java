package org.songhong.lake;

import org.songhong.ops.TableMetrics;

/**
 * What one write did to one table.
 *
 * @param table the table name
 * @param rowsWritten rows inserted or updated (0 for a skipped write)
 * @param version the table's Delta version after the write, or before it when nothing was written
 * @param committed whether a new Delta version was committed
 */
public record WriteResult(String table, long rowsWritten, long version, boolean committed) {
  /** The write as the run ledger records it: its rows read and written, none quarantined. */
  public TableMetrics metrics() {
    return new TableMetrics(table, rowsWritten, rowsWritten, 0, version, committed);
  }

  /**
   * The write of what is left of {@code read} records once {@code quarantined} of them went to
   * quarantine, as the run ledger records it (read = written + quarantined).
   */
  public TableMetrics metrics(long read, long quarantined) {
    return new TableMetrics(table, read, read - quarantined, quarantined, version, committed);
  }
}
