package org.songhong.lake;

/**
 * What one write did to one table.
 *
 * @param table the table name
 * @param rowsWritten rows inserted or updated (0 for a skipped write)
 * @param version the table's Delta version after the write, or before it when nothing was written
 * @param committed whether a new Delta version was committed
 */
public record WriteResult(String table, long rowsWritten, long version, boolean committed) {}
