package org.songhong.error;

/**
 * The one exception type a user sees. Its message is a single line that says what failed, why, and
 * what to do; {@link #exitCode()} is what the command-line tool exits with.
 *
 * <p>Instances are built by {@link Errors}, never directly, so that every user-facing message lives
 * in one place.
 */
public final class SonghongException extends RuntimeException {
  private final ExitCode exitCode;

  SonghongException(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public ExitCode exitCode() {
    return exitCode;
  }

  /** Exit codes of the {@code songhong} tool; documented in {@code songhong --help}. */
  public enum ExitCode {
    OK(0),
    /** A job or query failed on its data or on the lake. */
    FAILED(1),
    /** The command line was wrong (unknown job, bad date, bad option). */
    USAGE(2),
    /** An input or contract file is invalid: fix the file and run again. */
    BAD_INPUT(3),
    /** A write would break a table contract: nothing was written. */
    CONTRACT_VIOLATION(4);

    private final int code;

    ExitCode(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }
  }
}
