package org.songhong.io;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Numbers and years as statistics offices write them.
 *
 * <p>Vietnamese ({@code vi}): "." groups thousands and "," marks decimals, so "445.995" is four
 * hundred forty-five thousand nine hundred ninety-five and "12,8" is twelve point eight. English
 * ({@code en}): the other way round. A string that fits neither reading of its locale is not a
 * number (never guessed): "12.8" in a {@code vi} file is refused, since it could be 128 or 12.8.
 */
public final class StatNumbers {
  private static final Pattern VI_GROUPED = Pattern.compile("-?\\d{1,3}(\\.\\d{3})+(,\\d+)?");
  private static final Pattern VI_PLAIN = Pattern.compile("-?\\d+(,\\d+)?");
  private static final Pattern EN_GROUPED = Pattern.compile("-?\\d{1,3}(,\\d{3})+(\\.\\d+)?");
  private static final Pattern EN_PLAIN = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");

  /** "Sơ bộ 2024", "Sơ bộ năm 2024", "Prel. 2024", "2024*", "2024 (*)", "2024 sơ bộ". */
  private static final Pattern PRELIMINARY =
      Pattern.compile(
          "(?iu)^(?:sơ\\s*bộ(?:\\s*năm)?|ước(?:\\s*tính)?|prel\\.?|preliminary)\\s*(\\d{4})$|^(\\d{4})\\s*(?:\\*|\\(\\*\\)|sơ\\s*bộ|\\(sơ\\s*bộ\\))$");

  private static final Pattern YEAR =
      Pattern.compile("^(?:năm\\s*)?(\\d{4})$", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

  /** Cells yearbooks use for "no figure". */
  private static final Pattern NO_VALUE =
      Pattern.compile("^(-|–|—|\\.\\.|\\.\\.\\.|…|x|n/a|na)$", Pattern.CASE_INSENSITIVE);

  private StatNumbers() {}

  /** The number {@code raw} means in {@code locale} ("vi" or "en"), or null if it is not one. */
  public static Double parse(String raw, String locale) {
    if (raw == null) {
      return null;
    }
    String s = raw.replace('\u00a0', ' ').replace(" ", "").strip();
    if (s.isEmpty()) {
      return null;
    }
    boolean vi = "vi".equals(locale);
    String normal;
    if (vi && VI_GROUPED.matcher(s).matches()) {
      normal = s.replace(".", "").replace(',', '.');
    } else if (vi && VI_PLAIN.matcher(s).matches()) {
      normal = s.replace(',', '.');
    } else if (!vi && EN_GROUPED.matcher(s).matches()) {
      normal = s.replace(",", "");
    } else if (!vi && EN_PLAIN.matcher(s).matches()) {
      normal = s;
    } else {
      return null;
    }
    double d = Double.parseDouble(normal);
    return Double.isFinite(d) ? d : null;
  }

  /** Whether the cell is a yearbook's mark for "no figure" ("-", "..", "…", "x"). */
  public static boolean isNoValue(String raw) {
    return raw != null && NO_VALUE.matcher(raw.strip()).matches();
  }

  /** The year a header or cell names, or null; preliminary markers are accepted. */
  public static Integer year(String raw) {
    if (raw == null) {
      return null;
    }
    String s = raw.strip();
    Matcher p = PRELIMINARY.matcher(s);
    if (p.matches()) {
      return Integer.valueOf(p.group(1) != null ? p.group(1) : p.group(2));
    }
    Matcher y = YEAR.matcher(s);
    return y.matches() ? Integer.valueOf(y.group(1)) : null;
  }

  /** Whether a year header carries a preliminary marker ("Sơ bộ 2024", "2024*"). */
  public static boolean isPreliminary(String raw) {
    return raw != null && PRELIMINARY.matcher(raw.strip()).matches();
  }
}
