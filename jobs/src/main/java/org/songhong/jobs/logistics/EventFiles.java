package org.songhong.jobs.logistics;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.songhong.io.LandingFiles;

/**
 * Splits one landed event file into its lines, on an executor: the file's feed and day from its
 * folder ({@code FEED/YYYY-MM-DD/TERMINAL.jsonl}, optionally gzipped), its SHA-256, and one row per
 * non-blank line with its 1-based number. A file that cannot be read as a whole (empty, broken
 * gzip, not UTF-8) yields one row with line 0 and a rule, which goes to quarantine.
 */
public final class EventFiles {
  /**
   * Rows of {@link #SCHEMA}: feed, file_date, source_file, source_checksum, source_line, raw_line,
   * rule, reason.
   */
  public static final StructType SCHEMA =
      new StructType()
          .add("feed", DataTypes.StringType, false)
          .add("file_date", DataTypes.DateType, false)
          .add("source_file", DataTypes.StringType, false)
          .add("source_checksum", DataTypes.StringType, false)
          .add("source_line", DataTypes.IntegerType, false)
          .add("raw_line", DataTypes.StringType, true)
          .add("rule", DataTypes.StringType, true)
          .add("reason", DataTypes.StringType, true);

  private static final Pattern LAYOUT =
      Pattern.compile(".*/([a-z_]+)/(?:date=)?(\\d{4}-\\d{2}-\\d{2})/[^/]+$");

  private EventFiles() {}

  /** The feed and day a file's path says, or empty if it is not in the layout. */
  public static Optional<Object[]> feedAndDate(String path) {
    Matcher m = LAYOUT.matcher(path);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Object[] {m.group(1), LocalDate.parse(m.group(2))});
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The rows of one file (empty if its checksum is in {@code skip}). */
  public static List<Row> lines(String path, byte[] bytes, java.util.Set<String> skip) {
    String checksum = LandingFiles.sha256(bytes);
    List<Row> out = new ArrayList<>();
    if (skip.contains(checksum)) {
      return out;
    }
    Object[] fd =
        feedAndDate(path)
            .orElseThrow(() -> new IllegalArgumentException("not an event file path: " + path));
    String feed = (String) fd[0];
    Date day = Date.valueOf((LocalDate) fd[1]);
    if (bytes.length == 0) {
      out.add(
          RowFactory.create(
              feed,
              day,
              path,
              checksum,
              0,
              null,
              "empty_file",
              "Cannot ingest "
                  + path
                  + ": the file is empty (0 bytes); if the terminal had no moves that day, send no file, else resend it"));
      return out;
    }
    byte[] data = bytes;
    if (path.endsWith(".gz")) {
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
        data = in.readAllBytes();
      } catch (IOException e) {
        out.add(
            RowFactory.create(
                feed,
                day,
                path,
                checksum,
                0,
                null,
                "unreadable_gzip",
                "Cannot ingest "
                    + path
                    + ": it is not a complete gzip file ("
                    + e.getMessage()
                    + "); it may have been cut off in transfer: resend it"));
        return out;
      }
    }
    String text;
    try {
      text = org.songhong.io.Text.decode(data, java.nio.charset.StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      out.add(
          RowFactory.create(
              feed,
              day,
              path,
              checksum,
              0,
              null,
              "not_utf8",
              "Cannot ingest "
                  + path
                  + ": it is not UTF-8 text; the terminal must send JSON lines in UTF-8"));
      return out;
    }
    int line = 0;
    int start = 0;
    if (text.startsWith("\uFEFF")) {
      start = 1;
    }
    while (start <= text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = text.length();
      }
      line++;
      String l = text.substring(start, end);
      if (l.endsWith("\r")) {
        l = l.substring(0, l.length() - 1);
      }
      if (!l.isBlank()) {
        out.add(RowFactory.create(feed, day, path, checksum, line, l, null, null));
      }
      start = end + 1;
    }
    return out;
  }
}
