package org.songhong.job;

import java.util.Optional;

/**
 * How a job tells, without a Spark session, that it has nothing to do: from the ledger (what
 * earlier runs processed and read), the landing folders and the tables' versions, all read with
 * Delta Kernel and Hadoop's file systems. A run that finds nothing new then costs a JVM and a few
 * file reads instead of a Spark application, and writes nothing, not even the ledger.
 *
 * <p>A preflight may say there is work when there is none (the job then runs and finds nothing); it
 * must never say there is nothing when there is.
 */
@FunctionalInterface
public interface Preflight {
  /** Empty when the job has nothing to do; otherwise why it has work, in a few words. */
  Optional<String> work(PreflightContext context);
}
