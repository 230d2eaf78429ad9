package org.songhong.jobs.provincial;

import java.time.LocalDate;

/**
 * One figure as it came, from any layout: where it was (sheet, row, column; sheet "" and column 0
 * for a long CSV line), the row's text, and its fields as written. {@code locale} says how to read
 * the value ("vi" or "en"); {@code multiplier} and {@code unitExpected} come from the source
 * descriptor (the printed unit times the multiplier is the indicator's unit). {@code vintage},
 * {@code publishedOn} and {@code releaseStatus} are the release when the file itself says it (an
 * SDMX observation's status, a PX file's last update); null: the descriptor's.
 */
public record RawRecord(
    String sheet,
    int line,
    int column,
    String raw,
    String indicator,
    String province,
    String year,
    String value,
    String unit,
    String locale,
    double multiplier,
    String unitExpected,
    String vintage,
    LocalDate publishedOn,
    String releaseStatus) {

  /** A figure whose release is the descriptor's. */
  public RawRecord(
      String sheet,
      int line,
      int column,
      String raw,
      String indicator,
      String province,
      String year,
      String value,
      String unit,
      String locale,
      double multiplier,
      String unitExpected) {
    this(
        sheet,
        line,
        column,
        raw,
        indicator,
        province,
        year,
        value,
        unit,
        locale,
        multiplier,
        unitExpected,
        null,
        null,
        null);
  }
}
