package org.songhong.jobs.environment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.songhong.io.CsvLine;
import org.songhong.io.LandingFiles;

/**
 * Splits one monitor file into readings as written, on an executor. Two shapes: a wide CSV ({@code
 * station_id,timestamp,PM2.5 (µg/m³),NO2 (ppb),...}, local time without an offset) gives one
 * reading per filled cell; JSON lines ({@code station_id, parameter, value, unit, timestamp} with
 * an offset) give one per line. A file that cannot be read as a whole gives one row with line 0 and
 * a rule, for quarantine.
 */
public final class ReadingFiles {
  public static final String LOCAL_TZ = "Asia/Ho_Chi_Minh";

  /**
   * file_date, source_file, source_checksum, source_line, source_column, raw_line, station,
   * parameter, value, unit, timestamp, local_time_zone, rule, reason.
   */
  public static final StructType SCHEMA =
      new StructType()
          .add("file_date", DataTypes.DateType, false)
          .add("source_file", DataTypes.StringType, false)
          .add("source_checksum", DataTypes.StringType, false)
          .add("source_line", DataTypes.IntegerType, false)
          .add("source_column", DataTypes.IntegerType, false)
          .add("raw_line", DataTypes.StringType, true)
          .add("station", DataTypes.StringType, true)
          .add("parameter", DataTypes.StringType, true)
          .add("value", DataTypes.StringType, true)
          .add("unit", DataTypes.StringType, true)
          .add("timestamp", DataTypes.StringType, true)
          .add("local_time_zone", DataTypes.StringType, true)
          .add("rule", DataTypes.StringType, true)
          .add("reason", DataTypes.StringType, true);

  private static final Pattern DAY = Pattern.compile(".*/(?:date=)?(\\d{4}-\\d{2}-\\d{2})/[^/]+$");
  private static final Pattern HEADER_UNIT = Pattern.compile("^(.*?)\\s*\\((.*)\\)\\s*$");
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReadingFiles() {}

  public static LocalDate day(String path) {
    Matcher m = DAY.matcher(path);
    return m.matches() ? LocalDate.parse(m.group(1)) : null;
  }

  public static List<Row> readings(String path, byte[] bytes, Set<String> skip) {
    String checksum = LandingFiles.sha256(bytes);
    List<Row> out = new ArrayList<>();
    if (skip.contains(checksum)) {
      return out;
    }
    Date day = Date.valueOf(day(path));
    String fail = null;
    String rule = null;
    byte[] data = bytes;
    if (bytes.length == 0) {
      rule = "empty_file";
      fail = "the file is empty (0 bytes); resend it, or send no file for an hour without data";
    } else if (path.endsWith(".gz")) {
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
        data = in.readAllBytes();
      } catch (IOException e) {
        rule = "unreadable_gzip";
        fail = "it is not a complete gzip file (" + e.getMessage() + "); resend it";
      }
    }
    String text = null;
    if (rule == null) {
      try {
        text = org.songhong.io.Text.decode(data, java.nio.charset.StandardCharsets.UTF_8);
      } catch (CharacterCodingException e) {
        rule = "not_utf8";
        fail = "it is not UTF-8 text";
      }
    }
    if (rule != null) {
      out.add(
          RowFactory.create(
              day,
              path,
              checksum,
              0,
              0,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              rule,
              "Cannot ingest " + path + ": " + fail));
      return out;
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    String[] lines = text.split("\r?\n", -1);
    String name = path.endsWith(".gz") ? path.substring(0, path.length() - 3) : path;
    if (name.endsWith(".csv")) {
      wide(day, path, checksum, lines, out);
    } else {
      for (int i = 0; i < lines.length; i++) {
        if (!lines[i].isBlank()) {
          out.add(json(day, path, checksum, i + 1, lines[i]));
        }
      }
    }
    return out;
  }

  private static void wide(Date day, String path, String checksum, String[] lines, List<Row> out) {
    List<String> header = CsvLine.split(lines[0], ',');
    if (header.size() < 3
        || !header.get(0).strip().equalsIgnoreCase("station_id")
        || !header.get(1).strip().equalsIgnoreCase("timestamp")) {
      out.add(
          RowFactory.create(
              day,
              path,
              checksum,
              0,
              0,
              lines[0],
              null,
              null,
              null,
              null,
              null,
              null,
              "bad_header",
              "Cannot ingest "
                  + path
                  + ": line 1 must start station_id,timestamp and name a parameter with its unit per column, "
                  + "e.g. station_id,timestamp,PM2.5 (µg/m³),NO2 (ppb); it is '"
                  + lines[0]
                  + "'"));
      return;
    }
    String[] params = new String[header.size()];
    String[] units = new String[header.size()];
    for (int c = 2; c < header.size(); c++) {
      Matcher m = HEADER_UNIT.matcher(header.get(c).strip());
      params[c] = m.matches() ? m.group(1) : header.get(c).strip();
      units[c] = m.matches() ? m.group(2) : null;
    }
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      List<String> cells = CsvLine.split(lines[i], ',');
      if (cells.size() != header.size()) {
        out.add(
            RowFactory.create(
                day,
                path,
                checksum,
                i + 1,
                0,
                lines[i],
                null,
                null,
                null,
                null,
                null,
                null,
                "wrong_field_count",
                String.format(
                    "%s line %d: %d fields where the header has %d (a truncated line?)",
                    path, i + 1, cells.size(), header.size())));
        continue;
      }
      for (int c = 2; c < cells.size(); c++) {
        String v = cells.get(c).strip();
        if (v.isEmpty()) {
          continue; // no reading for that parameter this hour
        }
        out.add(
            RowFactory.create(
                day,
                path,
                checksum,
                i + 1,
                c + 1,
                lines[i],
                cells.get(0).strip(),
                params[c],
                v,
                units[c],
                cells.get(1).strip(),
                LOCAL_TZ,
                null,
                null));
      }
    }
  }

  private static Row json(Date day, String path, String checksum, int line, String raw) {
    try {
      JsonNode n = JSON.readTree(raw);
      if (n != null && n.isObject()) {
        return RowFactory.create(
            day,
            path,
            checksum,
            line,
            0,
            raw,
            text(n, "station_id"),
            text(n, "parameter"),
            text(n, "value"),
            text(n, "unit"),
            text(n, "timestamp"),
            null,
            null,
            null);
      }
    } catch (IOException e) {
      // falls through: kept for silver to quarantine with the line
    }
    return RowFactory.create(
        day, path, checksum, line, 0, raw, null, null, null, null, null, null, null, null);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
