package org.songhong.job;

import java.time.LocalDate;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.songhong.config.SonghongConfig;
import org.songhong.contract.SchemaResources;
import org.songhong.lake.HadoopConfs;
import org.songhong.lake.KernelTables;
import org.songhong.ops.LedgerHistory;

/**
 * Asks jobs' {@link Preflight}s before any Spark session exists: the ledger and the tables are read
 * with Delta Kernel, the landing folders with Hadoop's file systems. Nothing here loads Spark.
 */
public final class OfflinePreflight {
  private final SonghongConfig config;
  private final SchemaResources schemas;
  private final Configuration hadoop;
  private final KernelTables kernel;

  public OfflinePreflight(SonghongConfig config) {
    this.config = config;
    this.schemas = SchemaResources.open(config.get(SonghongConfig.SCHEMAS_DIR));
    this.hadoop = HadoopConfs.from(config);
    this.kernel =
        new KernelTables(SonghongConfig.absolutise(config.get(SonghongConfig.LAKE_PATH)), hadoop);
  }

  /** Why {@code job} has work for {@code logicalDate}; empty when it has none. */
  public Optional<String> work(Job job, LocalDate logicalDate) {
    if (job.preflight().isEmpty()) {
      return Optional.of("it always runs");
    }
    PreflightContext pc =
        new PreflightContext(
            config,
            logicalDate,
            LedgerHistory.read(kernel),
            kernel,
            hadoop,
            Preflights.parameters(config, schemas, logicalDate));
    return Preflights.check(job, pc);
  }
}
