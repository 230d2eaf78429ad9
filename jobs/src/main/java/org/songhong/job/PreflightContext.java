package org.songhong.job;

import java.time.LocalDate;
import org.apache.hadoop.conf.Configuration;
import org.songhong.config.SonghongConfig;
import org.songhong.lake.KernelTables;
import org.songhong.ops.LedgerHistory;

/**
 * What a {@link Preflight} may look at: the settings, the run's logical date, the ledger, the
 * lake's tables through Delta Kernel, the file systems, and the parameters a run would record.
 */
public record PreflightContext(
    SonghongConfig config,
    LocalDate logicalDate,
    LedgerHistory ledger,
    KernelTables kernel,
    Configuration hadoop,
    java.util.Map<String, String> parameters) {}
