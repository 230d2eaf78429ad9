package org.songhong.jobs.provincial;

import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.songhong.io.CsvLine;
import org.songhong.io.Reject;

/**
 * Reads the long-format statistics CSV (one observation a line: indicator, province, year, value,
 * unit, in any column order, comma or semicolon separated) into raw records, as they came. Lines
 * that cannot be split into the header's fields are rejected with their line number; a file whose
 * header lacks a required column is rejected whole. Pure Java: no Spark.
 */
public final class LongCsvParser {
  public static final List<String> REQUIRED =
      List.of("indicator", "province", "year", "value", "unit");

  /** One data line, its fields as text. */
  public record Record(
      int line,
      String raw,
      String indicator,
      String province,
      String year,
      String value,
      String unit) {
    public RawRecord toRaw(String locale) {
      return new RawRecord(
          "", line, 0, raw, indicator, province, year, value, unit, locale, 1.0, null);
    }
  }

  /** The result: accepted records and rejects; {@code records + rejects} is every data line. */
  public record Parsed(List<Record> records, List<Reject> rejects) {}

  private LongCsvParser() {}

  public static Parsed parse(String file, byte[] bytes) {
    List<Record> records = new ArrayList<>();
    List<Reject> rejects = new ArrayList<>();
    String text;
    try {
      text = org.songhong.io.Text.decode(bytes, java.nio.charset.StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      rejects.add(
          new Reject(
              "",
              0,
              0,
              "",
              "not_utf8",
              "Cannot ingest "
                  + file
                  + ": it is not UTF-8 text (save it as CSV UTF-8, or check it is not a spreadsheet renamed .csv)"));
      return new Parsed(records, rejects);
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    String[] lines = text.split("\r\n|\n|\r", -1);
    int headerIdx = -1;
    for (int i = 0; i < lines.length; i++) {
      if (!lines[i].isBlank()) {
        headerIdx = i;
        break;
      }
    }
    if (headerIdx < 0) {
      rejects.add(
          new Reject(
              "",
              0,
              0,
              "",
              "empty_file",
              "Cannot ingest "
                  + file
                  + ": the file is empty (re-export it, or remove it from the landing folder)"));
      return new Parsed(records, rejects);
    }
    String header = lines[headerIdx];
    char delimiter = header.indexOf(';') >= 0 && header.indexOf(',') < 0 ? ';' : ',';
    List<String> names = CsvLine.split(header, delimiter);
    Map<String, Integer> idx = new HashMap<>();
    for (int i = 0; names != null && i < names.size(); i++) {
      idx.put(names.get(i).strip().toLowerCase(Locale.ROOT), i);
    }
    List<String> missing = REQUIRED.stream().filter(r -> !idx.containsKey(r)).toList();
    if (names == null || !missing.isEmpty()) {
      rejects.add(
          new Reject(
              "",
              headerIdx + 1,
              0,
              header,
              "bad_header",
              String.format(
                  "Cannot ingest %s: line %d is the header and lacks column(s) %s (expected %s in any order)",
                  file, headerIdx + 1, String.join(", ", missing), String.join(",", REQUIRED))));
      return new Parsed(records, rejects);
    }
    for (int i = headerIdx + 1; i < lines.length; i++) {
      String raw = lines[i];
      if (raw.isBlank()) {
        continue;
      }
      int lineNo = i + 1;
      List<String> f = CsvLine.split(raw, delimiter);
      if (f == null) {
        rejects.add(
            new Reject(
                "",
                lineNo,
                0,
                raw,
                "csv_syntax",
                String.format(
                    "%s line %d has an unclosed quote (close the quote or remove it)",
                    file, lineNo)));
        continue;
      }
      if (f.size() != names.size()) {
        rejects.add(
            new Reject(
                "",
                lineNo,
                0,
                raw,
                "csv_field_count",
                String.format(
                    "%s line %d has %d fields, expected %d (is the delimiter '%c'? quote values that contain it)",
                    file, lineNo, f.size(), names.size(), delimiter)));
        continue;
      }
      records.add(
          new Record(
              lineNo,
              raw,
              f.get(idx.get("indicator")).strip(),
              f.get(idx.get("province")).strip(),
              f.get(idx.get("year")).strip(),
              f.get(idx.get("value")).strip(),
              f.get(idx.get("unit")).strip()));
    }
    return new Parsed(records, rejects);
  }
}
