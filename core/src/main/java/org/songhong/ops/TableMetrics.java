package org.songhong.ops;

/**
 * What one run did to one table. {@code rowsRead = rowsWritten + rowsQuarantined} for every table a
 * job fills from its input; {@code rowsWritten} counts rows accepted (new, changed or already
 * present unchanged), and {@code committed} says whether a new Delta version was made.
 */
public record TableMetrics(
    String table,
    long rowsRead,
    long rowsWritten,
    long rowsQuarantined,
    long deltaVersion,
    boolean committed) {}
