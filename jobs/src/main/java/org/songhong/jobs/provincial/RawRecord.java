package org.songhong.jobs.provincial;

/**
 * One figure as it came, from any layout: where it was (sheet, row, column; sheet "" and column 0
 * for a long CSV line), the row's text, and its fields as written. {@code locale} says how to read
 * the value ("vi" or "en"); {@code multiplier} and {@code unitExpected} come from the source
 * descriptor (the printed unit times the multiplier is the indicator's unit).
 */
public record RawRecord(String sheet, int line, int column, String raw, String indicator, String province, String year,
    String value, String unit, String locale, double multiplier, String unitExpected) {}
