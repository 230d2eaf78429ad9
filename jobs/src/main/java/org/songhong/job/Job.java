package org.songhong.job;

/**
 * A scheduled unit of work. Implementations keep their transformations as pure
 * {@code Dataset -> Dataset} steps that tests call on small frames; {@link #run} does the I/O.
 * A job must be idempotent: run twice on the same input, it changes nothing the second time.
 */
public interface Job {
  /** The name used by {@code songhong run NAME} and in the ledger. */
  String name();

  /** One line for {@code songhong jobs}. */
  String description();

  void run(JobContext context);
}
