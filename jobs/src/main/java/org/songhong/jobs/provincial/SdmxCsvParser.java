package org.songhong.jobs.provincial;

import java.nio.charset.CharacterCodingException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.songhong.domain.IndicatorCatalog;
import org.songhong.io.CsvLine;
import org.songhong.io.Reject;
import org.songhong.io.SourceDescriptor;

/**
 * Reads SDMX-CSV (1.0: a {@code DATAFLOW} column; 2.0: {@code STRUCTURE}, {@code STRUCTURE_ID} and
 * an optional {@code ACTION}) into raw records, one per observation line, placing each by the
 * descriptor's {@code codes}: the indicator, area and time dimensions, {@code OBS_VALUE}, the unit
 * ({@code UNIT_MEASURE} and {@code UNIT_MULT}, as the catalog unit and its multiplier) and the
 * release ({@code OBS_STATUS}, and optionally columns holding the release and its date). Headers
 * and codes may carry labels ({@code REF_AREA: Reference area}, {@code VN-31: Hải Phòng}). A column
 * the descriptor does not place rejects the file (an extra dimension would otherwise merge
 * different series); an observation that cannot be placed is rejected with its line and the fix.
 * Pure Java.
 */
public final class SdmxCsvParser {
  /** Columns SDMX-CSV defines besides the dimensions and attributes. */
  static final Set<String> STRUCTURAL =
      Set.of("DATAFLOW", "STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME", "ACTION");

  /** Attributes read for their meaning. */
  static final Set<String> UNDERSTOOD =
      Set.of("OBS_VALUE", "UNIT_MEASURE", "UNIT_MULT", "OBS_STATUS", "DECIMALS");

  private static final Pattern ANNUAL = Pattern.compile("^(\\d{4})(-A1)?$");

  /** Accepted records and rejects; {@code records + rejects} is every data line. */
  public record Parsed(List<RawRecord> records, List<Reject> rejects) {}

  private SdmxCsvParser() {}

  public static Parsed parse(
      String file, byte[] bytes, SourceDescriptor source, IndicatorCatalog indicators) {
    List<RawRecord> records = new ArrayList<>();
    List<Reject> rejects = new ArrayList<>();
    String text;
    try {
      text = org.songhong.io.Text.decode(bytes, java.nio.charset.StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      rejects.add(
          fileReject(
              "not_utf8",
              "Cannot ingest "
                  + file
                  + ": SDMX-CSV is UTF-8 text and this file is not "
                  + "(export it again as UTF-8)"));
      return new Parsed(records, rejects);
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    String[] lines = text.split("\r\n|\n|\r", -1);
    int headerIdx = 0;
    while (headerIdx < lines.length && lines[headerIdx].isBlank()) {
      headerIdx++;
    }
    if (headerIdx == lines.length) {
      rejects.add(
          fileReject(
              "empty_file", "Cannot ingest " + file + ": the file is empty (export it again)"));
      return new Parsed(records, rejects);
    }
    String header = lines[headerIdx];
    char delimiter = header.indexOf(';') >= 0 && header.indexOf(',') < 0 ? ';' : ',';
    List<String> names = CsvLine.split(header, delimiter);
    if (names == null) {
      rejects.add(
          fileReject(
              "bad_header", "Cannot ingest " + file + ": its header line has an unclosed quote"));
      return new Parsed(records, rejects);
    }
    Map<String, Integer> idx = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      idx.put(code(names.get(i)).toUpperCase(Locale.ROOT), i);
    }
    SourceDescriptor.Codes codes = source.codes();
    String indicatorDim = dim(codes.indicator());
    String areaDim = dim(codes.area());
    String timeDim = dim(codes.time());
    Set<String> placed = new LinkedHashSet<>(STRUCTURAL);
    placed.addAll(UNDERSTOOD);
    for (String c :
        new String[] {
          indicatorDim,
          areaDim,
          timeDim,
          upper(codes.vintageColumn()),
          upper(codes.publishedOnColumn())
        }) {
      if (c != null) {
        placed.add(c);
      }
    }
    codes.select().keySet().forEach(k -> placed.add(k.toUpperCase(Locale.ROOT)));
    codes.ignore().forEach(k -> placed.add(k.toUpperCase(Locale.ROOT)));
    List<String> unplaced =
        idx.keySet().stream().filter(c -> !placed.contains(c)).sorted().toList();
    List<String> missing = new ArrayList<>();
    for (String c : new String[] {indicatorDim, areaDim, timeDim, "OBS_VALUE"}) {
      if (c != null && !idx.containsKey(c)) {
        missing.add(c);
      }
    }
    if (!idx.containsKey("DATAFLOW") && !idx.containsKey("STRUCTURE_ID")) {
      missing.add("DATAFLOW (SDMX-CSV 1.0) or STRUCTURE and STRUCTURE_ID (2.0)");
    }
    if (!missing.isEmpty()) {
      rejects.add(
          new Reject(
              "",
              headerIdx + 1,
              0,
              header,
              "bad_header",
              String.format(
                  "Cannot ingest %s: the header lacks %s (is it SDMX-CSV? does the descriptor %s name the file's dimensions?)",
                  file, String.join(", ", missing), source.sourceId())));
      return new Parsed(records, rejects);
    }
    if (!unplaced.isEmpty()) {
      rejects.add(
          new Reject(
              "",
              headerIdx + 1,
              0,
              header,
              "unknown_dimension",
              String.format(
                  "Cannot ingest %s: column(s) %s are not placed by the descriptor %s: a dimension must be selected "
                      + "(codes.select: {%s: <the one value to load>}) or, if it is an attribute, ignored (codes.ignore), so "
                      + "that observations of different series are not merged",
                  file, String.join(", ", unplaced), source.sourceId(), unplaced.get(0))));
      return new Parsed(records, rejects);
    }
    for (int i = headerIdx + 1; i < lines.length; i++) {
      String raw = lines[i];
      if (raw.isBlank()) {
        continue;
      }
      int lineNo = i + 1;
      String at = file + " line " + lineNo;
      List<String> f = CsvLine.split(raw, delimiter);
      if (f == null) {
        rejects.add(
            new Reject(
                "",
                lineNo,
                0,
                raw,
                "csv_syntax",
                at + " has an unclosed quote (close the quote or remove it)"));
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
                    "%s has %d fields, the header %d (a key with more or fewer dimensions than the header, or a cut-off line: "
                        + "export the file again)",
                    at, f.size(), names.size())));
        continue;
      }
      Reject r = place(file, at, lineNo, raw, f, idx, source, indicators, records);
      if (r != null) {
        rejects.add(r);
      }
    }
    return new Parsed(records, rejects);
  }

  private static Reject place(
      String file,
      String at,
      int lineNo,
      String raw,
      List<String> f,
      Map<String, Integer> idx,
      SourceDescriptor source,
      IndicatorCatalog indicators,
      List<RawRecord> records) {
    SourceDescriptor.Codes codes = source.codes();
    if (idx.containsKey("ACTION") && code(f.get(idx.get("ACTION"))).equalsIgnoreCase("D")) {
      return new Reject(
          "",
          lineNo,
          0,
          raw,
          "sdmx_deletion",
          at
              + ": ACTION D deletes an observation; a lake keeps every "
              + "release, so send the corrected release as its own file (this line is not loaded)");
    }
    for (Map.Entry<String, String> s : codes.select().entrySet()) {
      String v = code(f.get(idx.get(s.getKey().toUpperCase(Locale.ROOT))));
      if (!v.equals(s.getValue())) {
        return new Reject(
            "",
            lineNo,
            0,
            raw,
            "not_selected",
            String.format(
                "%s: %s is '%s' and the descriptor %s loads %s=%s "
                    + "only (counted here, not loaded)",
                at, s.getKey(), v, source.sourceId(), s.getKey(), s.getValue()));
      }
    }
    String indicator;
    if (codes.indicator().fixed() != null) {
      indicator = codes.indicator().fixed();
    } else {
      String c = code(f.get(idx.get(dim(codes.indicator()))));
      indicator = codes.indicator().map().get(c);
      if (indicator == null && indicators.get(c.toLowerCase(Locale.ROOT)).isPresent()) {
        indicator = c.toLowerCase(Locale.ROOT);
      }
      if (indicator == null) {
        return new Reject(
            "",
            lineNo,
            0,
            raw,
            "unknown_code",
            String.format(
                "%s: %s code '%s' is neither in the "
                    + "descriptor %s's codes.indicator.map nor a catalog indicator (map it: %s: <code from "
                    + "schemas/reference/indicators.yaml>)",
                at, dim(codes.indicator()), c, source.sourceId(), c));
      }
    }
    String areaCode = code(f.get(idx.get(dim(codes.area()))));
    String area = codes.area().map().getOrDefault(areaCode, areaCode);
    String time = code(f.get(idx.get(dim(codes.time()))));
    var annual = ANNUAL.matcher(time);
    if (!annual.matches()) {
      return new Reject(
          "",
          lineNo,
          0,
          raw,
          "not_annual",
          String.format(
              "%s: %s '%s' is not a year (the lake holds yearly "
                  + "figures: 2024 or 2024-A1; select the annual series, e.g. codes.select: {FREQ: A})",
              at, dim(codes.time()), time));
    }
    String value = f.get(idx.get("OBS_VALUE")).strip();
    if (value.isEmpty() || value.equalsIgnoreCase("NaN")) {
      return new Reject(
          "",
          lineNo,
          0,
          raw,
          "no_value",
          String.format(
              "%s: OBS_VALUE is %s, no figure (OBS_STATUS %s); "
                  + "nothing to load, kept here so every observation is accounted for",
              at,
              value.isEmpty() ? "empty" : "'" + value + "'",
              idx.containsKey("OBS_STATUS")
                  ? "'" + code(f.get(idx.get("OBS_STATUS"))) + "'"
                  : "not given"));
    }
    String unit = null;
    String unitExpected = null;
    int power = 0;
    if (idx.containsKey("UNIT_MEASURE")) {
      unit = code(f.get(idx.get("UNIT_MEASURE")));
      SourceDescriptor.UnitCode u = codes.units().get(unit);
      if (u == null) {
        return new Reject(
            "",
            lineNo,
            0,
            raw,
            "unknown_unit",
            String.format(
                "%s: UNIT_MEASURE '%s' is not in the descriptor "
                    + "%s's codes.units (map it to a catalog unit: %s: {unit: <unit>, unit_mult: <power of ten>})",
                at, unit, source.sourceId(), unit));
      }
      unitExpected = u.unit();
      power = u.power();
    }
    int mult = 0;
    if (idx.containsKey("UNIT_MULT")) {
      String m = code(f.get(idx.get("UNIT_MULT")));
      if (!m.isEmpty()) {
        try {
          mult = Integer.parseInt(m);
        } catch (NumberFormatException e) {
          return new Reject(
              "",
              lineNo,
              0,
              raw,
              "bad_unit_mult",
              String.format(
                  "%s: UNIT_MULT '%s' is not a whole number "
                      + "(the power of ten the value is in: 0, 3, 6, 9)",
                  at, m));
        }
      }
    }
    String status = null;
    if (idx.containsKey("OBS_STATUS")) {
      status = codes.status().get(code(f.get(idx.get("OBS_STATUS"))));
    }
    String vintage = null;
    if (codes.vintageColumn() != null) {
      vintage = f.get(idx.get(upper(codes.vintageColumn()))).strip();
      if (vintage.isEmpty()) {
        return new Reject(
            "",
            lineNo,
            0,
            raw,
            "no_release",
            String.format(
                "%s: %s is empty; it names the release this "
                    + "observation belongs to (fill it in)",
                at, codes.vintageColumn()));
      }
    }
    LocalDate publishedOn = null;
    if (codes.publishedOnColumn() != null) {
      String d = f.get(idx.get(upper(codes.publishedOnColumn()))).strip();
      try {
        publishedOn = LocalDate.parse(d);
      } catch (DateTimeParseException e) {
        return new Reject(
            "",
            lineNo,
            0,
            raw,
            "bad_date",
            String.format(
                "%s: %s '%s' is not a date (write 2025-06-30)", at, codes.publishedOnColumn(), d));
      }
    }
    double multiplier = Math.pow(10, mult - power);
    records.add(
        new RawRecord(
            "",
            lineNo,
            0,
            raw,
            indicator,
            area,
            annual.group(1),
            value,
            unit,
            "en",
            multiplier,
            unitExpected,
            vintage,
            publishedOn,
            status));
    return null;
  }

  /** The code of a value or header written with its label ({@code VN-31: Hải Phòng}). */
  static String code(String field) {
    String s = field.strip();
    int i = s.indexOf(": ");
    return i > 0 ? s.substring(0, i).strip() : s;
  }

  private static String dim(SourceDescriptor.Dimension d) {
    return d == null || d.dimension() == null ? null : d.dimension().toUpperCase(Locale.ROOT);
  }

  private static String upper(String s) {
    return s == null ? null : s.toUpperCase(Locale.ROOT);
  }

  private static Reject fileReject(String rule, String reason) {
    return new Reject("", 0, 0, "", rule, reason);
  }
}
