package org.songhong.lake;

/**
 * Values written into Spark SQL text, quoted so that the parser reads back exactly the value. Spark
 * SQL reads a backslash in a string literal as an escape ({@code
 * spark.sql.parser.escapedStringLiterals} is off by default), so doubling the quote, as standard
 * SQL does, is not enough: a value ending in a backslash would end the literal elsewhere. Every
 * Spark SQL text the project builds from a value that is not a constant of the code (a catalog's
 * code, a pin's name, a command-line argument) quotes it here. (PostgreSQL's quoting, in the
 * publisher, is PostgreSQL's.)
 */
public final class SqlLiterals {
  private SqlLiterals() {}

  /** {@code 'value'} with backslashes and quotes escaped; {@code NULL} for null. */
  public static String string(String value) {
    return value == null ? "NULL" : "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** A DOUBLE literal; a typed NULL for null (so that a VALUES column keeps its type). */
  public static String doubleOrNull(Double value) {
    if (value != null && (value.isNaN() || value.isInfinite())) {
      throw new IllegalArgumentException("not a finite number: " + value);
    }
    return value == null ? "CAST(NULL AS DOUBLE)" : "CAST(" + value + " AS DOUBLE)";
  }
}
