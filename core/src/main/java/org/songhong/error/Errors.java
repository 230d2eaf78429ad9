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
        String.format(
            "Unknown job '%s': run 'songhong jobs' to list them (known: %s)",
            job, String.join(", ", known)),
        null);
  }

  public static SonghongException badOption(String option, String value, String expected) {
    return new SonghongException(
        ExitCode.USAGE,
        String.format("Invalid value '%s' for %s: expected %s", value, option, expected),
        null);
  }

  public static SonghongException badSetting(String key, String value, String description) {
    return new SonghongException(
        ExitCode.USAGE,
        String.format(
            "Invalid value '%s' for %s (%s): see 'songhong settings'", value, key, description),
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
        ExitCode.BAD_INPUT,
        String.format("Invalid contract %s: %s (fix the file in schemas/)", file, problem),
        null);
  }

  public static SonghongException badReference(String file, String problem) {
    return new SonghongException(
        ExitCode.BAD_INPUT,
        String.format("Invalid reference file %s: %s (fix the file in schemas/)", file, problem),
        null);
  }

  public static SonghongException unreadableFile(String file, String problem, Throwable cause) {
    return new SonghongException(
        ExitCode.BAD_INPUT, String.format("Cannot read %s: %s", file, problem), cause);
  }

  public static SonghongException unwritableLake(String path, String problem, Throwable cause) {
    return new SonghongException(
        ExitCode.FAILED,
        String.format(
            "Cannot write %s: %s (check that the lake's folder or bucket exists and this user may write there)",
            path, problem),
        cause);
  }

  public static SonghongException badInputFile(String file, String problem, String fix) {
    return new SonghongException(
        ExitCode.BAD_INPUT, String.format("Cannot ingest %s: %s (%s)", file, problem, fix), null);
  }

  public static SonghongException inputMissing(String path) {
    return new SonghongException(
        ExitCode.BAD_INPUT,
        String.format(
            "Input folder %s does not exist: pass --input, or set songhong.input.dir", path),
        null);
  }

  public static SonghongException contractViolation(
      String table, String column, String rule, long rows, String sample) {
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
            "Refused write to %s: %s (nothing was written; the frame must match the contract in schemas/)",
            table, problem),
        null);
  }

  public static SonghongException unknownTable(String table) {
    return new SonghongException(
        ExitCode.USAGE,
        String.format("Unknown table '%s': run 'songhong tables' to list the lake's tables", table),
        null);
  }

  public static SonghongException jobFailed(String job, String runId, Throwable cause) {
    String why =
        cause.getMessage() == null
            ? cause.getClass().getSimpleName()
            : firstLine(cause.getMessage());
    return new SonghongException(
        ExitCode.FAILED,
        String.format(
            "Job %s failed (run %s): %s (the lake is unchanged by the failed step; see ops.job_runs and the log, then rerun)",
            job, runId, why),
        cause);
  }

  /** The operating system's words for a full disk, as Java and Spark pass them on. */
  static final String NO_SPACE = "No space left on device";

  /** Whether {@code e} or a cause of it is a write refused because a disk was full. */
  public static boolean isDiskFull(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains(NO_SPACE)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A job that failed because a disk was full: the folders it writes to, each with its free space
   * ({@code folders}), and what to do.
   */
  public static SonghongException diskFull(
      String job, String runId, List<String> folders, Throwable cause) {
    return new SonghongException(
        ExitCode.FAILED,
        String.format(
            "Job %s failed (run %s): a disk is full (%s). It writes to %s: free space on the full one,"
                + " or give Spark's local folder a larger disk (--conf spark.local.dir=DIR; it holds the run's shuffles"
                + " and spills, which grow with the days loaded at once), or load fewer days per run (a shorter lookback)."
                + " The lake is unchanged by the failed step; see ops.job_runs and the log, then rerun",
            job, runId, NO_SPACE, String.join(" and ", folders)),
        cause);
  }

  public static SonghongException queryFailed(String sql, Throwable cause) {
    String why =
        cause.getMessage() == null
            ? cause.getClass().getSimpleName()
            : firstLine(cause.getMessage());
    return new SonghongException(ExitCode.FAILED, "Query failed: " + why, cause);
  }

  public static SonghongException buildMissing(String what) {
    return new SonghongException(ExitCode.FAILED, what, null);
  }

  public static SonghongException readOnlyEndpoint(String statement, String target) {
    return new SonghongException(
        ExitCode.USAGE,
        String.format(
            "The songhong SQL endpoint is read-only: %s%s is refused. The lake is written only by its jobs ('songhong run');"
                + " query the tables, or keep your own results in a temporary view (CREATE TEMPORARY VIEW ...) or a DataFrame",
            statement, target == null ? "" : " (" + target + ")"),
        null);
  }

  /**
   * Something the SQL endpoint does not do for clients (a file read, reflection, a script, client
   * code, caching...): what was asked, and what to do instead.
   */
  public static SonghongException endpointRefuses(String what, String instead) {
    return new SonghongException(
        ExitCode.USAGE,
        String.format(
            "The songhong SQL endpoint answers from the lake's tables, views, functions and pinned releases only: %s is refused; %s",
            what, instead),
        null);
  }

  /** A query the endpoint stopped at one of its limits: which, the setting, and what to do. */
  public static SonghongException endpointLimit(String what, String setting, String fix) {
    return new SonghongException(
        ExitCode.USAGE,
        String.format(
            "The songhong SQL endpoint stopped this query: %s (the server's setting %s); %s",
            what, setting, fix),
        null);
  }

  public static SonghongException endpointNeedsToken(String host) {
    return new SonghongException(
        ExitCode.USAGE,
        String.format(
            "Listening on %s (beyond this machine) needs an access token: put one in a file and pass --token-file FILE,"
                + " or set SONGHONG_SQL_TOKEN; clients then connect with sc://HOST:PORT/;token=...",
            host),
        null);
  }

  public static SonghongException pinExists(String pin) {
    return new SonghongException(
        ExitCode.USAGE,
        String.format(
            "Pin '%s' exists: choose another name, or 'songhong pin drop %s' first (see 'songhong pin list')",
            pin, pin),
        null);
  }

  public static SonghongException unknownPin(String pin) {
    return new SonghongException(
        ExitCode.USAGE,
        String.format("Unknown pin '%s': run 'songhong pin list' to see the pins", pin),
        null);
  }

  public static SonghongException emptyTable(String table, String what) {
    return new SonghongException(
        ExitCode.USAGE,
        String.format(
            "Table %s has no commits yet: %s (run the jobs that fill it first)", table, what),
        null);
  }

  /**
   * An error answer from Airflow's REST API, as one line with what to do for the usual statuses.
   */
  public static SonghongException airflow(String method, String path, int status, String detail) {
    String hint =
        switch (status) {
          case 401 ->
              "check the user and password (SONGHONG_AIRFLOW_USER, SONGHONG_AIRFLOW_PASSWORD or --password-file)";
          case 403 -> "this user's role may not do that";
          case 404 ->
              "check the DAG id, run id or task id ('songhong airflow dags' lists the DAGs)";
          case 409 -> "it exists already: choose another run id, or look at the existing one";
          case 422 -> "Airflow refused the request's content";
          default ->
              status >= 500
                  ? "Airflow failed: see the API server's log"
                  : "see Airflow's API documentation";
        };
    return new SonghongException(
        ExitCode.FAILED,
        String.format("Airflow answered %d to %s %s: %s (%s)", status, method, path, detail, hint),
        null);
  }

  public static SonghongException airflowUnreachable(String url, int attempts, Throwable cause) {
    String why =
        cause.getMessage() == null
            ? cause.getClass().getSimpleName()
            : firstLine(cause.getMessage());
    return new SonghongException(
        ExitCode.FAILED,
        String.format(
            "Cannot reach Airflow at %s: %s%s (is the API server running and not overloaded? set --url or "
                + "SONGHONG_AIRFLOW_URL; a longer --http-timeout for a busy server)",
            url, why, attempts > 1 ? " (" + attempts + " tries)" : ""),
        cause);
  }

  public static SonghongException airflowTimeout(
      String dag, String runId, String state, java.time.Duration waited) {
    return new SonghongException(
        ExitCode.FAILED,
        String.format(
            "Run %s of %s is still %s after %d s (it goes on in Airflow; wait again with 'songhong airflow wait %s %s')",
            runId, dag, state, waited.toSeconds(), dag, runId),
        null);
  }

  /** A backfill followed with --wait still runs when the wait ends. */
  public static SonghongException airflowBackfillTimeout(
      String dag, long backfillId, java.time.Duration waited) {
    return new SonghongException(
        ExitCode.FAILED,
        String.format(
            "Backfill %d of %s is still running after %d s (it goes on in Airflow; follow its runs"
                + " with 'songhong airflow runs %s')",
            backfillId, dag, waited.toSeconds(), dag),
        null);
  }

  public static SonghongException airflowRunFailed(
      String dag, String runId, String state, String failedTasks) {
    return new SonghongException(
        ExitCode.FAILED,
        String.format(
            "Run %s of %s ended %s (failed tasks: %s); read a task's log with 'songhong airflow log %s %s TASK_ID'",
            runId, dag, state, failedTasks, dag, runId),
        null);
  }

  public static SonghongException airflowBackfillFailed(
      String dag, long backfillId, String failedRuns) {
    return new SonghongException(
        ExitCode.FAILED,
        String.format(
            "Backfill %d of %s ended with failed runs: %s; see their tasks with 'songhong airflow tasks %s RUN_ID', fix,"
                + " then backfill again with --rerun-failed",
            backfillId, dag, failedRuns, dag),
        null);
  }

  /** The first non-blank line of a message (Spark's parse errors start with a newline). */
  public static String firstLine(String message) {
    String m = message.strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  public static SonghongException postgresUnreachable(String url, Throwable cause) {
    String why =
        cause.getMessage() == null
            ? cause.getClass().getSimpleName()
            : firstLine(cause.getMessage());
    return new SonghongException(
        ExitCode.FAILED,
        String.format(
            "Cannot connect to PostgreSQL at %s: %s (check host, port, database, user and password: postgresql://USER:PASSWORD@HOST:5432/DB,"
                + " or PGPASSWORD)",
            url, why),
        cause);
  }

  public static SonghongException publishFailed(String url, String schema, Throwable cause) {
    String why =
        cause.getMessage() == null
            ? cause.getClass().getSimpleName()
            : firstLine(cause.getMessage());
    return new SonghongException(
        ExitCode.FAILED,
        String.format(
            "Publishing to %s (schema %s) failed and was rolled back (readers still see the previous publication): %s",
            url, schema, why),
        cause);
  }
}
