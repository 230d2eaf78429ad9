package org.songhong.domain.logistics;

/**
 * Check digits of container numbers (ISO 6346) and IMO ship numbers. A wrong digit usually means a
 * typo at the gate, so container moves keep it as a flag; an IMO number must be right to be used.
 */
public final class Iso6346 {
  // Compiled once: these run on every vessel call (String.matches compiles its pattern per call).
  // A container number's shape is checked by hand (see wellFormed).
  private static final java.util.regex.Pattern IMO_PREFIX =
      java.util.regex.Pattern.compile("^IMO\\s*");
  private static final java.util.regex.Pattern SEVEN_DIGITS =
      java.util.regex.Pattern.compile("[0-9]{7}");

  private Iso6346() {}

  /**
   * Letter values of ISO 6346: A=10, then skipping multiples of 11 (B=12 ... U=32, V=34 ... Z=38).
   */
  static int letterValue(char c) {
    int v = 10;
    for (char x = 'A'; x < c; x++) {
      v++;
      if (v % 11 == 0) {
        v++;
      }
    }
    return v;
  }

  /**
   * The check digit for the first 10 characters (owner code, category, serial), or -1 if malformed.
   */
  public static int checkDigit(String first10) {
    if (!wellFormed(first10)) {
      return -1;
    }
    int sum = 0;
    for (int i = 0; i < 10; i++) {
      char c = first10.charAt(i);
      int v = Character.isDigit(c) ? c - '0' : letterValue(c);
      sum += v << i;
    }
    return sum % 11 % 10;
  }

  /**
   * Whether the first 10 characters of a container number have its shape: three capital letters
   * (the owner), U, J, Z or R (the category), six digits. By hand rather than a regular expression:
   * it runs on every gate move, where the {@code Matcher} was 0.5% of {@code
   * logistics_events_silver}'s samples.
   */
  static boolean wellFormed(String first10) {
    if (first10 == null || first10.length() != 10) {
      return false;
    }
    for (int i = 0; i < 3; i++) {
      char c = first10.charAt(i);
      if (c < 'A' || c > 'Z') {
        return false;
      }
    }
    char category = first10.charAt(3);
    if (category != 'U' && category != 'J' && category != 'Z' && category != 'R') {
      return false;
    }
    for (int i = 4; i < 10; i++) {
      char c = first10.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * A container number as written at the gate ("mscu 123456-5") with only its ASCII letters, in
   * capitals, and digits kept ("MSCU1234565"); null for null. What {@code upper(regexp_replace(raw,
   * '[^A-Za-z0-9]', ''))} gives, by hand: it runs on every gate move, where Java's matcher scanning
   * eleven characters for none to remove took 0.3 microseconds a line (bench/README.md, "6
   * December, after midnight").
   */
  public static String normalizedContainerId(String raw) {
    if (raw == null) {
      return null;
    }
    char[] kept = new char[raw.length()];
    int n = 0;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c >= 'a' && c <= 'z') {
        kept[n++] = (char) (c - ('a' - 'A'));
      } else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        kept[n++] = c;
      }
    }
    return new String(kept, 0, n);
  }

  /** Whether a container number ("MSCU1234565") has the right check digit. */
  public static boolean validContainerId(String id) {
    if (id == null || id.length() != 11 || !Character.isDigit(id.charAt(10))) {
      return false;
    }
    int d = checkDigit(id.substring(0, 10));
    return d >= 0 && d == id.charAt(10) - '0';
  }

  /** Whether an IMO ship number (7 digits, optionally prefixed "IMO") has the right check digit. */
  public static boolean validImo(String imo) {
    if (imo == null) {
      return false;
    }
    String s = imoDigits(imo);
    if (!SEVEN_DIGITS.matcher(s).matches()) {
      return false;
    }
    int sum = 0;
    for (int i = 0; i < 6; i++) {
      sum += (s.charAt(i) - '0') * (7 - i);
    }
    return sum % 10 == s.charAt(6) - '0';
  }

  /** The IMO number as 7 digits, without the "IMO" prefix. */
  public static String imoDigits(String imo) {
    return imo == null
        ? null
        : IMO_PREFIX.matcher(imo.strip().toUpperCase(java.util.Locale.ROOT)).replaceFirst("");
  }
}
