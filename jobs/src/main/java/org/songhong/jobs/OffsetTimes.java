package org.songhong.jobs;

/**
 * Whether a time as written (a gate move's, a vessel call's, a reading's) has the shape of an ISO
 * 8601 instant with an offset, the shape {@link #PATTERN} describes: {@code
 * 2025-12-01T08:15:00+07:00}, a space for the T, seconds and up to nine fractional digits optional,
 * {@code Z} or an offset of four digits with or without a colon. Without an offset the instant
 * would be a guess. Checked by hand rather than by the regular expression: it runs on every gate
 * move, vessel call and reading, where Java's matcher took 0.15 microseconds a value
 * (bench/README.md, "6 December, after midnight"). {@code OffsetTimesTest} checks that both accept
 * the same strings.
 */
public final class OffsetTimes {
  /** The shape as a regular expression (Java's: {@code \d} is an ASCII digit). */
  static final String PATTERN =
      "^\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:?\\d{2})$";

  /** {@link #hasOffset} as a function of a string column: true, false, or false for null. */
  public static final org.apache.spark.sql.expressions.UserDefinedFunction HAS_OFFSET =
      org.apache.spark.sql.functions.udf(
          (org.apache.spark.sql.api.java.UDF1<String, Boolean>) OffsetTimes::hasOffset,
          org.apache.spark.sql.types.DataTypes.BooleanType);

  private OffsetTimes() {}

  /**
   * Whether {@code s} matches {@link #PATTERN} (found as Spark's RLIKE finds it); false for null.
   */
  public static boolean hasOffset(String s) {
    if (s == null) {
      return false;
    }
    int end = endBeforeLineTerminator(s);
    // yyyy-MM-dd[T ]HH:mm
    if (end < 16
        || !digits(s, 0, 4)
        || s.charAt(4) != '-'
        || !digits(s, 5, 2)
        || s.charAt(7) != '-'
        || !digits(s, 8, 2)
        || (s.charAt(10) != 'T' && s.charAt(10) != ' ')
        || !digits(s, 11, 2)
        || s.charAt(13) != ':'
        || !digits(s, 14, 2)) {
      return false;
    }
    int i = 16;
    if (i < end && s.charAt(i) == ':') {
      if (i + 3 > end || !digits(s, i + 1, 2)) {
        return false;
      }
      i += 3;
      if (i < end && s.charAt(i) == '.') {
        int first = ++i;
        while (i < end && isDigit(s.charAt(i))) {
          i++;
        }
        if (i == first || i - first > 9) {
          return false;
        }
      }
    }
    if (i >= end) {
      return false;
    }
    char sign = s.charAt(i);
    if (sign == 'Z') {
      return i + 1 == end;
    }
    if (sign != '+' && sign != '-') {
      return false;
    }
    i++;
    if (i + 2 > end || !digits(s, i, 2)) {
      return false;
    }
    i += 2;
    if (i < end && s.charAt(i) == ':') {
      i++;
    }
    return i + 2 == end && digits(s, i, 2);
  }

  /**
   * Where the pattern's {@code $} may match: the end, or before one line terminator that ends the
   * string (Java's {@code $} without MULTILINE: \n, \r\n, \r, U+0085, U+2028, U+2029).
   */
  private static int endBeforeLineTerminator(String s) {
    int n = s.length();
    if (n >= 2 && s.charAt(n - 2) == '\r' && s.charAt(n - 1) == '\n') {
      return n - 2;
    }
    if (n >= 1) {
      char c = s.charAt(n - 1);
      if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
        return n - 1;
      }
    }
    return n;
  }

  private static boolean digits(String s, int from, int count) {
    for (int i = from; i < from + count; i++) {
      if (!isDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
