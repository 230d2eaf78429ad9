package org.songhong.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.dhatim.fastexcel.reader.Cell;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Sheet;

/** A sheet as rows of cells; a cell knows whether the spreadsheet stored it as a number. */
public record Grid(String sheet, List<List<GridCell>> rows, List<String> lines) {
  /**
   * A cell's text; {@code numeric} when the spreadsheet stored a number (its text is then plain
   * "en").
   */
  public record GridCell(String text, boolean numeric) {}

  /** Why a file could not be read as a grid. */
  public static final class Unreadable extends Exception {
    private final String rule;

    Unreadable(String rule, String message) {
      super(message);
      this.rule = rule;
    }

    public String rule() {
      return rule;
    }
  }

  public GridCell cell(int row, int col) {
    if (row < 0 || row >= rows.size() || col < 0 || col >= rows.get(row).size()) {
      return new GridCell("", false);
    }
    return rows.get(row).get(col);
  }

  /** Reads a CSV file (UTF-8 with or without BOM; ',' or ';'). */
  public static Grid csv(String file, byte[] bytes) throws Unreadable {
    String text;
    try {
      text = org.songhong.io.Text.decode(bytes, java.nio.charset.StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      throw new Unreadable(
          "not_utf8",
          "Cannot ingest "
              + file
              + ": it is not UTF-8 text (save it as CSV UTF-8, or check it is not a spreadsheet renamed .csv)");
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    List<String> lines = List.of(text.split("\r\n|\n|\r", -1));
    // ';' when it outnumbers ',' on some line: files with Vietnamese decimals use ',' inside
    // numbers.
    char delimiter =
        lines.stream()
                .limit(20)
                .anyMatch(
                    l ->
                        l.chars().filter(ch -> ch == ';').count()
                            > l.chars().filter(ch -> ch == ',').count())
            ? ';'
            : ',';
    List<List<GridCell>> rows = new ArrayList<>();
    for (String l : lines) {
      List<String> f = CsvLine.split(l, delimiter);
      rows.add(
          f == null
              ? List.of(new GridCell(l, false))
              : f.stream().map(x -> new GridCell(x.strip(), false)).toList());
    }
    return new Grid("", rows, lines);
  }

  /** Reads one sheet of an .xlsx workbook (the first when {@code sheetName} is null). */
  public static Grid xlsx(String file, byte[] bytes, String sheetName) throws Unreadable {
    if (bytes.length < 4 || bytes[0] != 'P' || bytes[1] != 'K') {
      throw new Unreadable(
          "not_xlsx",
          "Cannot ingest "
              + file
              + ": it is not an .xlsx workbook (it is not a zip file; re-save it as Excel Workbook .xlsx, or rename it to what it is)");
    }
    try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(bytes))) {
      Optional<Sheet> sheet =
          sheetName == null ? Optional.of(wb.getFirstSheet()) : wb.findSheet(sheetName);
      if (sheet.isEmpty()) {
        List<String> names = wb.getSheets().map(Sheet::getName).toList();
        throw new Unreadable(
            "missing_sheet",
            "Cannot ingest "
                + file
                + ": it has no sheet '"
                + sheetName
                + "' (its sheets are "
                + names
                + "; fix 'sheet' in the source descriptor)");
      }
      List<List<GridCell>> rows = new ArrayList<>();
      List<String> lines = new ArrayList<>();
      try (Stream<org.dhatim.fastexcel.reader.Row> stream = sheet.get().openStream()) {
        for (org.dhatim.fastexcel.reader.Row r :
            (Iterable<org.dhatim.fastexcel.reader.Row>) stream::iterator) {
          while (rows.size() < r.getRowNum() - 1) {
            rows.add(List.of());
            lines.add("");
          }
          List<GridCell> cells = new ArrayList<>();
          for (int i = 0; i < r.getCellCount(); i++) {
            Cell c = r.getCell(i);
            if (c == null || c.getType() == CellType.EMPTY) {
              cells.add(new GridCell("", false));
            } else if (c.getType() == CellType.NUMBER) {
              cells.add(new GridCell(c.getRawValue(), true));
            } else {
              cells.add(new GridCell(c.getText() == null ? "" : c.getText().strip(), false));
            }
          }
          rows.add(cells);
          lines.add(String.join(" | ", cells.stream().map(GridCell::text).toList()));
        }
      }
      return new Grid(sheet.get().getName(), rows, lines);
    } catch (IOException | RuntimeException e) {
      throw new Unreadable(
          "not_xlsx",
          "Cannot ingest "
              + file
              + ": the workbook cannot be read ("
              + e.getMessage()
              + "); re-save it as Excel Workbook .xlsx");
    }
  }
}
