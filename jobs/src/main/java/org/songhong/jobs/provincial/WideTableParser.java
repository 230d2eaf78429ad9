package org.songhong.jobs.provincial;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.songhong.io.Grid;
import org.songhong.io.Reject;
import org.songhong.io.StatNumbers;

/**
 * Reads a yearbook table in the statistics-office layout: a title and a unit row ("Đơn vị tính: Tỷ
 * đồng") above a header of years ("2020 ... Sơ bộ 2024"), one row per province or region (subtotal
 * rows such as "Đồng bằng sông Hồng" included), footnotes below. Each non-blank cell under a year
 * becomes one raw record with its sheet, row and column. Pure Java: no Spark.
 */
public final class WideTableParser {
  /** What the descriptor says one sheet holds. */
  public record SheetSpec(
      String sheet, String indicator, String unitAsPrinted, double multiplier) {}

  /** Accepted raw records and rejects; {@code records + rejects} is every non-blank value cell. */
  public record Parsed(List<RawRecord> records, List<Reject> rejects) {}

  private static final Pattern UNIT =
      Pattern.compile("(?iu)^(?:đơn\\s*vị\\s*tính|đơn\\s*vị|đvt|unit)\\s*[:：]\\s*(.+)$");
  private static final Pattern FOOTNOTE =
      Pattern.compile("(?iu)^(ghi\\s*chú|nguồn|note|source|\\(\\*\\)|\\*|\\(\\d+\\))");

  private WideTableParser() {}

  public static Parsed parse(
      String file, Grid g, SheetSpec spec, String locale, String indicatorUnit) {
    List<RawRecord> records = new ArrayList<>();
    List<Reject> rejects = new ArrayList<>();
    String where = file + (g.sheet().isEmpty() ? "" : " sheet '" + g.sheet() + "'");
    int header = -1;
    for (int r = 0; r < g.rows().size() && header < 0; r++) {
      int years = 0;
      for (int c = 1; c < g.rows().get(r).size(); c++) {
        if (StatNumbers.year(g.cell(r, c).text()) != null) {
          years++;
        }
      }
      if (years >= 2) {
        header = r;
      }
    }
    if (header < 0) {
      rejects.add(
          new Reject(
              g.sheet(),
              0,
              0,
              "",
              "no_year_header",
              "Cannot ingest "
                  + where
                  + ": no row has years as column headers (expected a row like 'Tỉnh | 2020 | 2021 | ... | Sơ bộ 2024')"));
      return new Parsed(records, rejects);
    }
    for (int r = 0; r < header; r++) {
      for (Grid.GridCell c : g.rows().get(r)) {
        Matcher m = UNIT.matcher(c.text());
        if (m.matches() && !m.group(1).strip().equalsIgnoreCase(spec.unitAsPrinted())) {
          rejects.add(
              new Reject(
                  g.sheet(),
                  r + 1,
                  0,
                  g.lines().get(r),
                  "unit_contradicts_descriptor",
                  String.format(
                      "Cannot ingest %s: row %d says the unit is '%s' but the source descriptor says '%s' (fix unit_as_printed "
                          + "and multiplier in schemas/sources/, or check that this is the right file)",
                      where, r + 1, m.group(1).strip(), spec.unitAsPrinted())));
          return new Parsed(records, rejects);
        }
      }
    }
    List<Integer> yearCols = new ArrayList<>();
    for (int c = 1; c < g.rows().get(header).size(); c++) {
      if (StatNumbers.year(g.cell(header, c).text()) != null) {
        yearCols.add(c);
      }
    }
    boolean started = false;
    for (int r = header + 1; r < g.rows().size(); r++) {
      String name = g.cell(r, 0).text();
      boolean blank = g.rows().get(r).stream().allMatch(c -> c.text().isBlank());
      if (blank) {
        if (started) {
          break;
        }
        continue;
      }
      if (FOOTNOTE.matcher(name).find()) {
        break;
      }
      started = true;
      for (int c : yearCols) {
        Grid.GridCell cell = g.cell(r, c);
        if (cell.text().isBlank()) {
          continue;
        }
        if (name.isBlank()) {
          rejects.add(
              new Reject(
                  g.sheet(),
                  r + 1,
                  c + 1,
                  g.lines().get(r),
                  "no_name",
                  String.format(
                      "%s row %d column %s: a value with no province name in the first column (fill in the name or delete the row)",
                      where, r + 1, column(c))));
          continue;
        }
        records.add(
            new RawRecord(
                g.sheet(),
                r + 1,
                c + 1,
                g.lines().get(r),
                spec.indicator(),
                name,
                g.cell(header, c).text(),
                cell.text(),
                spec.unitAsPrinted(),
                cell.numeric() ? "en" : locale,
                spec.multiplier(),
                indicatorUnit));
      }
    }
    return new Parsed(records, rejects);
  }

  /** Spreadsheet column letters for a 0-based index: 0 is A, 26 is AA. */
  public static String column(int index) {
    StringBuilder sb = new StringBuilder();
    for (int n = index + 1; n > 0; n = (n - 1) / 26) {
      sb.insert(0, (char) ('A' + (n - 1) % 26));
    }
    return sb.toString();
  }
}
