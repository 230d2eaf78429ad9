package org.songhong.jobs.provincial;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.songhong.domain.IndicatorCatalog;
import org.songhong.io.Reject;
import org.songhong.io.SourceDescriptor;

/**
 * Reads a PC-Axis file (.px, the format behind PX-Web) into raw records, one per cell of its {@code
 * DATA}: the file is decoded with its {@code CODEPAGE} (a file whose bytes are UTF-8 while it
 * declares a single-byte code page is rejected, since its Vietnamese letters would be garbled), the
 * cells are placed on the {@code STUB} and {@code HEADING} variables in the order PX writes them
 * (the last variable changing fastest), and each variable is the indicator, area or time dimension
 * of the descriptor's {@code codes}, or one of its {@code select}ed dimensions. {@code UNITS} (one
 * for the file, or one per value of the {@code CONTVARIABLE}) maps to a catalog unit through {@code
 * codes.units}; {@code LAST-UPDATED}, else {@code CREATION-DATE}, is the release's date.
 * Missing-value marks ({@code ".."} and the other dot runs, {@code "-"}) are rejected as {@code
 * no_value}. Only the default language is read. Pure Java.
 */
public final class PxParser {
  private static final Pattern CODEPAGE = Pattern.compile("CODEPAGE\\s*=\\s*\"([^\"]+)\"");
  private static final Pattern KEY =
      Pattern.compile("^([A-Za-z0-9-]+)(\\[[^\\]]*\\])?(\\((.*)\\))?$", Pattern.DOTALL);
  private static final Pattern PX_DATE = Pattern.compile("^(\\d{4})(\\d{2})(\\d{2})(\\s.*)?$");
  private static final Set<String> MISSING =
      Set.of(".", "..", "...", "....", ".....", "......", "-");

  /** Accepted records and rejects; {@code records + rejects} is every cell. */
  public record Parsed(List<RawRecord> records, List<Reject> rejects) {}

  /**
   * A keyword's value: its strings (a list), and for DATA its cells with their line and place on
   * the line.
   */
  private record Entry(List<String> strings, List<Cell> cells) {}

  private record Cell(String text, int line, int column, String lineText) {}

  private PxParser() {}

  public static Parsed parse(
      String file, byte[] bytes, SourceDescriptor source, IndicatorCatalog indicators) {
    List<RawRecord> records = new ArrayList<>();
    List<Reject> rejects = new ArrayList<>();
    String head = new String(bytes, 0, Math.min(bytes.length, 65536), StandardCharsets.ISO_8859_1);
    Matcher cp = CODEPAGE.matcher(head);
    String codepage = cp.find() ? cp.group(1).strip() : "iso-8859-1";
    Charset charset;
    try {
      charset = Charset.forName(codepage);
    } catch (IllegalArgumentException e) {
      rejects.add(
          fileReject(
              "unknown_codepage",
              String.format(
                  "Cannot ingest %s: CODEPAGE \"%s\" is not a character set "
                      + "this machine knows (use utf-8, windows-1258 or iso-8859-1)",
                  file, codepage)));
      return new Parsed(records, rejects);
    }
    if (!charset.equals(StandardCharsets.UTF_8) && looksUtf8(bytes)) {
      rejects.add(
          fileReject(
              "wrong_codepage",
              String.format(
                  "Cannot ingest %s: it declares CODEPAGE \"%s\" but its bytes are "
                      + "UTF-8, so its Vietnamese letters would be read garbled (write CODEPAGE=\"utf-8\", or save the file in %s)",
                  file, codepage, codepage)));
      return new Parsed(records, rejects);
    }
    String text;
    try {
      text = org.songhong.io.Text.decode(bytes, charset);
    } catch (CharacterCodingException e) {
      rejects.add(
          fileReject(
              "wrong_codepage",
              String.format(
                  "Cannot ingest %s: its bytes are not %s text as its CODEPAGE "
                      + "says (save it in %s, or correct CODEPAGE)",
                  file, codepage, codepage)));
      return new Parsed(records, rejects);
    }
    // Windows-1258 writes most Vietnamese letters as a letter and a combining tone mark: composed,
    // so
    // that names compare with the descriptor's.
    text = java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFC);
    Map<String, Entry> keys = new LinkedHashMap<>();
    String problem = read(text, keys);
    if (problem != null) {
      rejects.add(
          fileReject(
              "px_syntax",
              "Cannot ingest "
                  + file
                  + ": "
                  + problem
                  + " (is the file complete? download it again)"));
      return new Parsed(records, rejects);
    }
    String sparse =
        keys.keySet().stream().filter(k -> k.startsWith("KEYS(")).findFirst().orElse(null);
    if (sparse != null) {
      rejects.add(
          fileReject(
              "px_keys",
              String.format(
                  "Cannot ingest %s: it stores its DATA sparsely (%s), a PX form this "
                      + "reader does not read; export the table with every cell (no KEYS keyword)",
                  file, sparse)));
      return new Parsed(records, rejects);
    }
    List<String> stub = strings(keys, "STUB");
    List<String> heading = strings(keys, "HEADING");
    List<String> vars = new ArrayList<>(stub);
    vars.addAll(heading);
    Entry data = keys.get("DATA");
    if (vars.isEmpty() || data == null) {
      rejects.add(
          fileReject(
              "px_syntax",
              "Cannot ingest "
                  + file
                  + ": it has no "
                  + (vars.isEmpty() ? "STUB or HEADING" : "DATA")
                  + " keyword (is it a PX file?)"));
      return new Parsed(records, rejects);
    }
    List<List<String>> values = new ArrayList<>();
    List<List<String>> codesOf = new ArrayList<>();
    long expected = 1;
    for (String v : vars) {
      List<String> vals = strings(keys, "VALUES(\"" + v + "\")");
      if (vals.isEmpty()) {
        rejects.add(
            fileReject(
                "px_syntax", "Cannot ingest " + file + ": variable '" + v + "' has no VALUES"));
        return new Parsed(records, rejects);
      }
      List<String> cs = strings(keys, "CODES(\"" + v + "\")");
      values.add(vals);
      codesOf.add(cs.size() == vals.size() ? cs : vals);
      expected *= vals.size();
    }
    if (data.cells().size() != expected) {
      rejects.add(
          fileReject(
              "px_truncated",
              String.format(
                  "Cannot ingest %s: DATA holds %d cells and its variables (%s) "
                      + "make %d; the file is cut off or its VALUES changed (download it again)",
                  file, data.cells().size(), String.join(" x ", vars), expected)));
      return new Parsed(records, rejects);
    }
    SourceDescriptor.Codes codes = source.codes();
    int indicatorVar = find(vars, codes.indicator().dimension());
    int areaVar = find(vars, codes.area().dimension());
    int timeVar = find(vars, codes.time().dimension());
    List<String> unplaced = new ArrayList<>();
    Map<Integer, String> select = new LinkedHashMap<>();
    for (int i = 0; i < vars.size(); i++) {
      if (i == indicatorVar || i == areaVar || i == timeVar) {
        continue;
      }
      String wanted = null;
      for (var s : codes.select().entrySet()) {
        if (s.getKey().equalsIgnoreCase(vars.get(i))) {
          wanted = s.getValue();
        }
      }
      if (wanted == null) {
        unplaced.add(vars.get(i));
      } else {
        select.put(i, wanted);
      }
    }
    List<String> missing = new ArrayList<>();
    if (indicatorVar < 0 && codes.indicator().fixed() == null) {
      missing.add("indicator '" + codes.indicator().dimension() + "'");
    }
    if (areaVar < 0) {
      missing.add("area '" + codes.area().dimension() + "'");
    }
    if (timeVar < 0) {
      missing.add("time '" + codes.time().dimension() + "'");
    }
    if (!missing.isEmpty() || !unplaced.isEmpty()) {
      rejects.add(
          fileReject(
              missing.isEmpty() ? "unknown_dimension" : "bad_header",
              String.format(
                  "Cannot ingest %s: its variables are %s; %s (fix codes in the descriptor %s)",
                  file,
                  vars,
                  missing.isEmpty()
                      ? "variable(s) "
                          + unplaced
                          + " are not placed: select one value of each (codes.select)"
                      : "the descriptor's " + String.join(", ", missing) + " is not among them",
                  source.sourceId())));
      return new Parsed(records, rejects);
    }
    LocalDate published = date(first(keys, "LAST-UPDATED"));
    if (published == null) {
      published = date(first(keys, "CREATION-DATE"));
    }
    String contVar = first(keys, "CONTVARIABLE");
    int contIdx = contVar == null ? -1 : vars.indexOf(contVar);
    String fileUnit = first(keys, "UNITS");
    int[] sizes = values.stream().mapToInt(List::size).toArray();
    for (int n = 0; n < data.cells().size(); n++) {
      Cell c = data.cells().get(n);
      int[] at = position(n, sizes);
      String where = String.format("%s line %d value %d", file, c.line(), c.column());
      StringBuilder key = new StringBuilder();
      for (int i = 0; i < vars.size(); i++) {
        key.append(i == 0 ? "" : ", ")
            .append(vars.get(i))
            .append('=')
            .append(values.get(i).get(at[i]));
      }
      String raw = key + ": " + c.text();
      Reject r = null;
      for (var s : select.entrySet()) {
        int i = s.getKey();
        String code = codesOf.get(i).get(at[i]);
        String value = values.get(i).get(at[i]);
        if (!s.getValue().equals(code) && !s.getValue().equals(value)) {
          r =
              new Reject(
                  "",
                  c.line(),
                  c.column(),
                  raw,
                  "not_selected",
                  String.format(
                      "%s (%s): %s is '%s' and the "
                          + "descriptor %s loads %s=%s only (counted here, not loaded)",
                      where,
                      key,
                      vars.get(i),
                      value,
                      source.sourceId(),
                      vars.get(i),
                      s.getValue()));
        }
      }
      if (r == null && MISSING.contains(c.text())) {
        r =
            new Reject(
                "",
                c.line(),
                c.column(),
                raw,
                "no_value",
                String.format(
                    "%s (%s): the cell is '%s', PX's mark for "
                        + "a missing figure (nothing to load; kept here so every cell is accounted for)",
                    where, key, c.text()));
      }
      String indicator = codes.indicator().fixed();
      if (r == null && indicator == null) {
        String code = codesOf.get(indicatorVar).get(at[indicatorVar]);
        String value = values.get(indicatorVar).get(at[indicatorVar]);
        indicator = codes.indicator().map().getOrDefault(code, codes.indicator().map().get(value));
        if (indicator == null && indicators.get(code.toLowerCase(Locale.ROOT)).isPresent()) {
          indicator = code.toLowerCase(Locale.ROOT);
        }
        if (indicator == null) {
          r =
              new Reject(
                  "",
                  c.line(),
                  c.column(),
                  raw,
                  "unknown_code",
                  String.format(
                      "%s (%s): %s '%s' is neither in the "
                          + "descriptor %s's codes.indicator.map nor a catalog indicator (map it: \"%s\": <code from "
                          + "schemas/reference/indicators.yaml>)",
                      where, key, vars.get(indicatorVar), value, source.sourceId(), code));
        }
      }
      String unitText =
          contIdx >= 0
              ? first(keys, "UNITS(\"" + values.get(contIdx).get(at[contIdx]) + "\")")
              : null;
      unitText = unitText == null ? fileUnit : unitText;
      SourceDescriptor.UnitCode unit = unitText == null ? null : codes.units().get(unitText);
      if (r == null && unitText != null && unit == null) {
        r =
            new Reject(
                "",
                c.line(),
                c.column(),
                raw,
                "unknown_unit",
                String.format(
                    "%s (%s): UNITS '%s' is not in the "
                        + "descriptor %s's codes.units (map it to a catalog unit: \"%s\": {unit: <unit>})",
                    where, key, unitText, source.sourceId(), unitText));
      }
      if (r != null) {
        rejects.add(r);
        continue;
      }
      String areaCode = codesOf.get(areaVar).get(at[areaVar]);
      String areaValue = values.get(areaVar).get(at[areaVar]);
      String area =
          codes
              .area()
              .map()
              .getOrDefault(areaCode, codes.area().map().getOrDefault(areaValue, areaValue));
      String year = codesOf.get(timeVar).get(at[timeVar]);
      records.add(
          new RawRecord(
              "",
              c.line(),
              c.column(),
              raw,
              indicator,
              area,
              year,
              c.text(),
              unitText,
              "en",
              unit == null ? 1.0 : Math.pow(10, -unit.power()),
              unit == null ? null : unit.unit(),
              null,
              published,
              null));
    }
    return new Parsed(records, rejects);
  }

  /** The variables' value indices of the n-th cell, the last variable changing fastest. */
  static int[] position(int n, int[] sizes) {
    int[] at = new int[sizes.length];
    for (int i = sizes.length - 1; i >= 0; i--) {
      at[i] = n % sizes[i];
      n /= sizes[i];
    }
    return at;
  }

  /**
   * Splits the text into keywords and values (strings in quotes, several of them a list; DATA's
   * cells with their line and place on it). Keywords in another language ({@code VALUES[en]}) are
   * skipped. Returns a problem, or null.
   */
  static String read(String text, Map<String, Entry> keys) {
    int i = 0;
    int line = 1;
    int n = text.length();
    while (i < n) {
      while (i < n && Character.isWhitespace(text.charAt(i))) {
        line += text.charAt(i) == '\n' ? 1 : 0;
        i++;
      }
      if (i >= n) {
        break;
      }
      int eq = i;
      boolean quoted = false;
      while (eq < n && (quoted || text.charAt(eq) != '=')) {
        quoted ^= text.charAt(eq) == '"';
        eq++;
      }
      if (eq >= n) {
        return "line " + line + " has text with no keyword (" + abbreviate(text.substring(i)) + ")";
      }
      String rawKey = text.substring(i, eq).strip().replaceAll("\\s+", " ");
      Matcher k = KEY.matcher(rawKey);
      if (!k.matches()) {
        return "line " + line + ": '" + abbreviate(rawKey) + "' is not a keyword";
      }
      int keyLine = line;
      for (int j = i; j < eq; j++) {
        line += text.charAt(j) == '\n' ? 1 : 0;
      }
      i = eq + 1;
      String name =
          k.group(1).toUpperCase(Locale.ROOT)
              + (k.group(3) == null ? "" : k.group(3).replaceAll("\"\\s*,\\s*\"", "\",\""));
      boolean otherLanguage = k.group(2) != null;
      List<String> strings = new ArrayList<>();
      List<Cell> cells = new ArrayList<>();
      boolean isData = name.equals("DATA");
      int column = 0;
      int cellLine = line;
      StringBuilder token = new StringBuilder();
      boolean inQuote = false;
      boolean ended = false;
      int lineStart = text.lastIndexOf('\n', i - 1) + 1;
      while (i < n) {
        char ch = text.charAt(i);
        if (inQuote) {
          if (ch == '"') {
            inQuote = false;
          } else {
            token.append(ch == '\n' || ch == '\r' ? "" : String.valueOf(ch));
          }
          line += ch == '\n' ? 1 : 0;
          i++;
          continue;
        }
        if (ch == '"') {
          inQuote = true;
          if (!isData
              && !strings.isEmpty()
              && token.length() == 0
              && i > 0
              && isContinuation(text, i)) {
            // "a" "b" on following lines continue one string
            token.append(strings.remove(strings.size() - 1));
          }
          i++;
          continue;
        }
        if (ch == ';' || ch == ',' || Character.isWhitespace(ch)) {
          if (token.length() > 0 || (i > 0 && text.charAt(i - 1) == '"')) {
            if (isData) {
              if (cellLine != line) {
                cellLine = line;
                column = 0;
              }
              cells.add(new Cell(token.toString(), line, ++column, lineText(text, lineStart)));
            } else {
              strings.add(token.toString());
            }
            token.setLength(0);
          }
          if (ch == '\n') {
            line++;
            lineStart = i + 1;
          }
          i++;
          if (ch == ';') {
            ended = true;
            break;
          }
          continue;
        }
        token.append(ch);
        i++;
      }
      if (!ended) {
        return name + " (line " + keyLine + ") does not end with ';'";
      }
      if (!otherLanguage) {
        keys.put(name, new Entry(strings, cells));
      }
    }
    return null;
  }

  private static boolean isContinuation(String text, int quoteAt) {
    int j = quoteAt - 1;
    boolean newline = false;
    while (j >= 0 && Character.isWhitespace(text.charAt(j))) {
      newline |= text.charAt(j) == '\n';
      j--;
    }
    return newline && j >= 0 && text.charAt(j) == '"';
  }

  private static String lineText(String text, int start) {
    int end = text.indexOf('\n', start);
    return text.substring(start, end < 0 ? text.length() : end).strip();
  }

  private static String abbreviate(String s) {
    String t = s.strip().replaceAll("\\s+", " ");
    return t.length() > 40 ? t.substring(0, 40) + "..." : t;
  }

  private static List<String> strings(Map<String, Entry> keys, String name) {
    Entry e = keys.get(name);
    return e == null ? List.of() : e.strings();
  }

  private static String first(Map<String, Entry> keys, String name) {
    List<String> s = strings(keys, name);
    return s.isEmpty() ? null : s.get(0);
  }

  private static int find(List<String> vars, String name) {
    for (int i = 0; name != null && i < vars.size(); i++) {
      if (vars.get(i).equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  /** A PX date ({@code 20250630 10:00}) as a date, or null. */
  static LocalDate date(String px) {
    if (px == null) {
      return null;
    }
    Matcher m = PX_DATE.matcher(px.strip());
    if (!m.matches()) {
      return null;
    }
    try {
      return LocalDate.of(
          Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    } catch (java.time.DateTimeException e) {
      return null;
    }
  }

  /** Bytes with non-ASCII characters that decode as UTF-8 without error. */
  static boolean looksUtf8(byte[] bytes) {
    boolean nonAscii = false;
    for (byte b : bytes) {
      if (b < 0) {
        nonAscii = true;
        break;
      }
    }
    if (!nonAscii) {
      return false;
    }
    try {
      org.songhong.io.Text.decode(bytes, java.nio.charset.StandardCharsets.UTF_8);
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static Reject fileReject(String rule, String reason) {
    return new Reject("", 0, 0, "", rule, reason);
  }
}
