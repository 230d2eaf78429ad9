package org.songhong.job;

import java.util.ArrayList;
import java.util.List;
import org.songhong.contract.Tables;
import org.songhong.lake.WriteResult;
import org.songhong.ops.LedgerHistory;
import org.songhong.ops.TableMetrics;

/**
 * The runner's record of one job run as it goes, kept apart from what the job is given: the steps
 * the job names (each with its seconds and the rows written in it) and every write the run's writer
 * made. On success the ledger takes the job's returned {@link JobResult} and these steps; on
 * failure, when there is no result, it takes the writes committed before the failure from here.
 */
final class RunRecorder {
  private final List<LedgerHistory.Step> steps = new ArrayList<>();
  private final List<WriteResult> writes = new ArrayList<>();
  private String step = "start (read the ledger, list the inputs)";
  private long stepStarted = System.nanoTime();
  private long stepRows;
  private boolean stepWrote;

  /** Ends the current step and starts one named {@code description}. */
  synchronized void step(String description) {
    closeStep();
    step = description;
    stepStarted = System.nanoTime();
  }

  /** A write of the run's writer: counted in the current step unless it is the quarantine's. */
  synchronized void wrote(WriteResult w) {
    writes.add(w);
    if (w.committed() && !w.table().equals(Tables.OPS_QUARANTINE)) {
      stepRows += w.rowsWritten();
      stepWrote = true;
    }
  }

  /** The steps so far, the current one closed. */
  synchronized List<LedgerHistory.Step> steps() {
    closeStep();
    return List.copyOf(steps);
  }

  /** The tables the run committed to, each at its last committed version (for a failed run). */
  synchronized List<TableMetrics> committed() {
    java.util.Map<String, TableMetrics> out = new java.util.LinkedHashMap<>();
    for (WriteResult w : writes) {
      if (w.committed()) {
        TableMetrics before = out.get(w.table());
        long rows = w.rowsWritten() + (before == null ? 0 : before.rowsWritten());
        out.put(w.table(), new TableMetrics(w.table(), rows, rows, 0, w.version(), true));
      }
    }
    return List.copyOf(out.values());
  }

  private void closeStep() {
    if (step != null) {
      steps.add(
          new LedgerHistory.Step(
              step, (System.nanoTime() - stepStarted) / 1e9, stepWrote ? stepRows : null));
      step = null;
      stepRows = 0;
      stepWrote = false;
    }
  }
}
