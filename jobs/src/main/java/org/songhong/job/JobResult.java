package org.songhong.job;

import java.util.ArrayList;
import java.util.List;
import org.songhong.lake.Lake;
import org.songhong.ops.InputFile;
import org.songhong.ops.TableMetrics;

/**
 * What a job run did, as it returns it to the runner: the input files it read (path, checksum,
 * records) and, for each table it fills, the rows read, written and quarantined and the version it
 * left. The runner writes it to the ledger; a later run skips a file whose checksum a succeeded
 * run's result lists. Immutable; a job assembles it with a {@link Builder} of its own.
 */
public record JobResult(List<InputFile> inputs, List<TableMetrics> tables) {
  public JobResult {
    inputs = List.copyOf(inputs);
    tables = List.copyOf(tables);
  }

  public static Builder builder(Lake lake) {
    return new Builder(lake);
  }

  /** Collects a result while the job runs; {@link #build} gives the immutable result. */
  public static final class Builder {
    private final Lake lake;
    private final List<InputFile> inputs = new ArrayList<>();
    private final List<TableMetrics> tables = new ArrayList<>();

    private Builder(Lake lake) {
      this.lake = lake;
    }

    /** The run read {@code file}. */
    public Builder input(InputFile file) {
      inputs.add(file);
      return this;
    }

    /** What the run did to one table (from the writer's result, with the records read). */
    public Builder table(TableMetrics metrics) {
      tables.add(metrics);
      return this;
    }

    /** The run wrote nothing to {@code table}, left at its current version. */
    public Builder unchanged(String table) {
      return unchanged(table, 0, 0);
    }

    /**
     * The run read {@code read} records for {@code table}, sent {@code quarantined} of them to
     * quarantine and wrote nothing to the table (left at its current version).
     */
    public Builder unchanged(String table, long read, long quarantined) {
      return table(
          new TableMetrics(
              table,
              read,
              read - quarantined,
              quarantined,
              lake.version(lake.contract(table)),
              false));
    }

    public JobResult build() {
      return new JobResult(inputs, tables);
    }
  }
}
