package org.songhong.job;

/**
 * A scheduled unit of work. Implementations keep their transformations as pure {@code Dataset ->
 * Dataset} steps that tests call on small frames; {@link #run} does the I/O and returns a {@link
 * JobResult}. A job must be idempotent: run twice on the same input, it changes nothing the second
 * time.
 */
public interface Job {
  /** The name used by {@code songhong run NAME} and in the ledger. */
  String name();

  /** One line for {@code songhong jobs}. */
  String description();

  /**
   * Runs once for {@code context}'s logical date and returns what it read and wrote, which the
   * runner records in the ledger.
   */
  JobResult run(JobContext context);

  /**
   * The lake tables the job reads (not its landing files). The runner records their versions with
   * each run, so that a later run can tell that nothing it reads has changed.
   */
  default java.util.List<String> reads() {
    return java.util.List.of();
  }

  /**
   * The folders the job reads files from besides the tables of {@link #reads()}: its landing
   * folders (the whole lake for maintenance; empty for jobs that read only tables). With {@link
   * #reads()} they measure the job's input, from which the runner chooses how Spark evaluates its
   * queries ({@code songhong.spark.codegen.min.bytes}).
   */
  default java.util.List<String> landing(org.songhong.config.SonghongConfig config) {
    return java.util.List.of();
  }

  /** How to tell, without Spark, that the job has nothing to do. Empty: the job always runs. */
  default java.util.Optional<Preflight> preflight() {
    return java.util.Optional.empty();
  }
}
