package org.songhong.error;

import java.util.List;
import org.songhong.error.SonghongException.ExitCode;

/**
 * Every user-facing error is built here. Each message names the thing that failed (file, line,
 * table, column), the cause, and what to do about it, in one line.
 */
public final class Errors {
  private Errors() {}

  public static SonghongException unknownJob(String job, List<String> known) {
    return new SonghongException(
        ExitCode.USAGE,
        String.format("Unknown job '%s': run 'songhong jobs' to list them (known: %s)", job, String.join(", ", known)),
        null);
  }

  public static SonghongException badOption(String option, String value, String expected) {
    return new SonghongException(
        ExitCode.USAGE, String.format("Invalid value '%s' for %s: expected %s", value, option, expected), null);
  }

  public static SonghongException badSetting(String key, String value, String description) {
    return new SonghongException(
        ExitCode.USAGE,
        String.format("Invalid value '%s' for %s (%s): see 'songhong settings'", value, key, description),
        null);
  }

  public static SonghongException unknownConfigKey(String key, List<String> known) {
    return new SonghongException(
        ExitCode.USAGE,
        String.format(
            "Unknown setting '%s': use a spark.* key for Spark, or one of %s (see 'songhong run --help')",
            key, String.join(", ", known)),
        null);
  }

  public static SonghongException badContract(String file, String problem) {
    return new SonghongException(
        ExitCode.BAD_INPUT, String.format("Invalid contract %s: %s (fix the file in schemas/)", file, problem), null);
  }

  public static SonghongException badReference(String file, String problem) {
    return new SonghongException(
        ExitCode.BAD_INPUT, String.format("Invalid reference file %s: %s (fix the file in schemas/)", file, problem), null);
  }

  public static SonghongException unreadableFile(String file, String problem, Throwable cause) {
    return new SonghongException(
        ExitCode.BAD_INPUT, String.format("Cannot read %s: %s", file, problem), cause);
  }

  public static SonghongException badInputFile(String file, String problem, String fix) {
    return new SonghongException(
        ExitCode.BAD_INPUT, String.format("Cannot ingest %s: %s (%s)", file, problem, fix), null);
  }

  public static SonghongException inputMissing(String path) {
    return new SonghongException(
        ExitCode.BAD_INPUT,
        String.format("Input folder %s does not exist: pass --input, or set songhong.input.dir", path),
        null);
  }

  public static SonghongException contractViolation(String table, String column, String rule, long rows, String sample) {
    return new SonghongException(
        ExitCode.CONTRACT_VIOLATION,
        String.format(
            "Refused write to %s: %d row(s) break %s on column %s, e.g. %s (nothing was written; fix the job or the contract in schemas/)",
            table, rows, rule, column, sample),
        null);
  }

  public static SonghongException schemaMismatch(String table, String problem) {
    return new SonghongException(
        ExitCode.CONTRACT_VIOLATION,
        String.format(
            "Refused write to %s: %s (nothing was written; the frame must match the contract in schemas/)", table, problem),
        null);
  }

  public static SonghongException unknownTable(String table) {
    return new SonghongException(
        ExitCode.USAGE,
        String.format("Unknown table '%s': run 'songhong tables' to list the lake's tables", table),
        null);
  }

  public static SonghongException jobFailed(String job, String runId, Throwable cause) {
    String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : firstLine(cause.getMessage());
    return new SonghongException(
        ExitCode.FAILED,
        String.format(
            "Job %s failed (run %s): %s (the lake is unchanged by the failed step; see ops.job_runs and the log, then rerun)",
            job, runId, why),
        cause);
  }

  public static SonghongException queryFailed(String sql, Throwable cause) {
    String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : firstLine(cause.getMessage());
    return new SonghongException(ExitCode.FAILED, "Query failed: " + why, cause);
  }

  public static SonghongException buildMissing(String what) {
    return new SonghongException(ExitCode.FAILED, what, null);
  }

  public static String firstLine(String message) {
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
