package org.songhong.jobs.logistics;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.songhong.domain.geo.NameNormalizer;
import org.songhong.io.CsvLine;
import org.songhong.io.Reject;

/**
 * Reads a monthly port-authority or airport report as they are sent: a title, a "Ngày báo cáo:
 * dd/mm/yyyy" line (the report date, which is the release), then a table with Vietnamese headers
 * whose first column is "Tháng". Each figure of the table becomes one record, as written. A file
 * without a report date, without the table or with a column nobody declared is rejected whole, with
 * what to do. Pure Java: no Spark.
 */
public final class MonthlyReportParser {
  /** What a column of the table holds. */
  record ColumnMeaning(String field, String measure, String flow) {}

  /** Header keys (NameNormalizer) to their meaning; figures have a measure, the rest are labels. */
  static final Map<String, ColumnMeaning> COLUMNS =
      Map.ofEntries(
          Map.entry("thang", new ColumnMeaning("month", null, null)),
          Map.entry("khu vuc cang", new ColumnMeaning("port_area", null, null)),
          Map.entry("ben cang", new ColumnMeaning("unit", null, null)),
          Map.entry("cang hang khong", new ColumnMeaning("unit", null, null)),
          Map.entry("loai hang", new ColumnMeaning("cargo_type", null, null)),
          Map.entry("nhap khau tan", new ColumnMeaning(null, "cargo_tonnes", "import")),
          Map.entry("xuat khau tan", new ColumnMeaning(null, "cargo_tonnes", "export")),
          Map.entry("noi dia tan", new ColumnMeaning(null, "cargo_tonnes", "domestic")),
          Map.entry("container teu", new ColumnMeaning(null, "container_teu", "all")),
          Map.entry("luot tau", new ColumnMeaning(null, "vessel_calls", "all")),
          Map.entry("hanh khach quoc noi", new ColumnMeaning(null, "passengers", "domestic")),
          Map.entry("hanh khach quoc te", new ColumnMeaning(null, "passengers", "international")),
          Map.entry("hang hoa tan", new ColumnMeaning(null, "air_cargo_tonnes", "all")),
          Map.entry("luot cat ha canh", new ColumnMeaning(null, "aircraft_movements", "all")));

  private static final Pattern REPORT_DATE =
      Pattern.compile("(?iu)^\\s*ng[aà]y\\s*b[aá]o\\s*c[aá]o\\s*:\\s*(\\S+)");
  private static final DateTimeFormatter VN_DATE = DateTimeFormatter.ofPattern("d/M/uuuu");

  /** One figure as written. */
  public record Figure(
      int line,
      int column,
      String raw,
      String month,
      String portArea,
      String unitName,
      String cargoType,
      String measure,
      String flow,
      String header,
      String value) {}

  /** A parsed report: its kind (port or airport), date, figures and rejects. */
  public record Report(
      String kind, LocalDate publishedOn, List<Figure> figures, List<Reject> rejects) {
    public String vintage() {
      return kind + "-" + publishedOn;
    }
  }

  private MonthlyReportParser() {}

  public static Report parse(String file, byte[] bytes) {
    List<Figure> figures = new ArrayList<>();
    List<Reject> rejects = new ArrayList<>();
    String text;
    try {
      text = org.songhong.io.Text.decode(bytes, java.nio.charset.StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      return whole(
          file,
          "not_utf8",
          "Cannot read " + file + ": it is not UTF-8 text (save the report as CSV UTF-8)");
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    String[] lines = text.split("\r?\n", -1);
    LocalDate published = null;
    int header = -1;
    for (int i = 0; i < lines.length && header < 0; i++) {
      Matcher m = REPORT_DATE.matcher(lines[i].replace("\"", ""));
      if (m.find()) {
        String d = m.group(1).replaceAll("[,;]+$", "");
        try {
          published = LocalDate.parse(d, VN_DATE);
        } catch (DateTimeParseException e) {
          return whole(
              file,
              "bad_report_date",
              String.format(
                  "Cannot ingest %s: line %d gives the report date as '%s' (write it as dd/mm/yyyy, e.g. Ngày báo cáo: 10/04/2025)",
                  file, i + 1, d));
        }
        continue;
      }
      List<String> cells = CsvLine.split(lines[i], delimiter(lines[i]));
      if (!cells.isEmpty() && "thang".equals(NameNormalizer.key(cells.get(0)))) {
        header = i;
      }
    }
    if (published == null) {
      return whole(
          file,
          "no_report_date",
          "Cannot ingest "
              + file
              + ": no 'Ngày báo cáo: dd/mm/yyyy' line before the table; the report date is the release, so it is required");
    }
    if (header < 0) {
      return whole(
          file,
          "no_table",
          "Cannot ingest "
              + file
              + ": no table header starting with 'Tháng' (expected e.g. Tháng,Khu vực cảng,Bến cảng,Loại hàng,Nhập khẩu (tấn),...)");
    }
    char delim = delimiter(lines[header]);
    List<String> headers = CsvLine.split(lines[header], delim);
    List<ColumnMeaning> meanings = new ArrayList<>();
    String kind = null;
    for (String h : headers) {
      ColumnMeaning cm = COLUMNS.get(NameNormalizer.key(h));
      if (cm == null) {
        return new Report(
            "unknown",
            published,
            figures,
            List.of(
                new Reject(
                    "",
                    header + 1,
                    0,
                    lines[header],
                    "unknown_column",
                    String.format(
                        "Cannot ingest %s: line %d has column '%s', which no report declares (known: %s); "
                            + "rename it, or add its meaning to MonthlyReportParser.COLUMNS",
                        file,
                        header + 1,
                        h,
                        String.join(", ", COLUMNS.keySet().stream().sorted().toList())))));
      }
      if ("unit".equals(cm.field())) {
        kind = "ben cang".equals(NameNormalizer.key(h)) ? "port" : "airport";
      }
      meanings.add(cm);
    }
    if (kind == null) {
      return whole(
          file,
          "no_unit_column",
          "Cannot ingest " + file + ": the table has no 'Bến cảng' or 'Cảng hàng không' column");
    }
    for (int i = header + 1; i < lines.length; i++) {
      String raw = lines[i];
      if (raw.isBlank() || raw.replace(String.valueOf(delim), "").isBlank()) {
        continue;
      }
      List<String> cells = CsvLine.split(raw, delim);
      if (cells.size() != headers.size()) {
        rejects.add(
            new Reject(
                "",
                i + 1,
                0,
                raw,
                "wrong_field_count",
                String.format(
                    "%s line %d: %d fields where the header has %d (quote values that contain '%s')",
                    file, i + 1, cells.size(), headers.size(), delim)));
        continue;
      }
      String month = null;
      String area = null;
      String unit = null;
      String cargo = "";
      for (int c = 0; c < cells.size(); c++) {
        ColumnMeaning cm = meanings.get(c);
        if (cm.field() == null) {
          continue;
        }
        switch (cm.field()) {
          case "month" -> month = cells.get(c).strip();
          case "port_area" -> area = cells.get(c).strip();
          case "unit" -> unit = cells.get(c).strip();
          default -> cargo = cells.get(c).strip();
        }
      }
      for (int c = 0; c < cells.size(); c++) {
        ColumnMeaning cm = meanings.get(c);
        String v = cells.get(c).strip();
        if (cm.measure() == null || v.isEmpty()) {
          continue; // an empty cell is no figure (TEU of a bulk row)
        }
        figures.add(
            new Figure(
                i + 1,
                c + 1,
                raw,
                month,
                area,
                unit,
                cargo,
                cm.measure(),
                cm.flow(),
                headers.get(c).strip(),
                v));
      }
    }
    return new Report(kind, published, figures, rejects);
  }

  /**
   * A report sent as a workbook: its first sheet, row for row (so line numbers are row numbers), as
   * the CSV the parser reads; numeric cells are written the Vietnamese way.
   */
  public static Report parseXlsx(String file, byte[] bytes) {
    org.songhong.io.Grid g;
    try {
      g = org.songhong.io.Grid.xlsx(file, bytes, null);
    } catch (org.songhong.io.Grid.Unreadable e) {
      return whole(file, e.rule(), e.getMessage());
    }
    StringBuilder csv = new StringBuilder();
    for (List<org.songhong.io.Grid.GridCell> row : g.rows()) {
      List<String> cells = new ArrayList<>();
      for (org.songhong.io.Grid.GridCell c : row) {
        String t = c.numeric() ? c.text().replace('.', ',') : c.text();
        cells.add("\"" + t.replace("\"", "\"\"") + "\"");
      }
      csv.append(String.join(",", cells)).append('\n');
    }
    return parse(file, csv.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static char delimiter(String line) {
    return line.chars().filter(ch -> ch == ';').count()
            > line.chars().filter(ch -> ch == ',').count()
        ? ';'
        : ',';
  }

  private static Report whole(String file, String rule, String reason) {
    return new Report(
        "unknown", LocalDate.EPOCH, List.of(), List.of(new Reject("", 0, 0, "", rule, reason)));
  }
}
