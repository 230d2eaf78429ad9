package org.songhong.domain.geo;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Normalises a place name as it appears in source files to a matching key, per docs/METHODS.md
 * section 6: Unicode form (NFC and NFD spell the same name), case, diacritics (including đ),
 * punctuation and the administrative prefixes "TP.", "Thành phố", "Tỉnh". "TP. HẢI PHÒNG" and "Hai
 * Phong" both become "hai phong".
 */
public final class NameNormalizer {
  private static final Pattern MARKS = Pattern.compile("\\p{M}+");
  private static final Pattern NON_ALNUM = Pattern.compile("[^a-z0-9]+");
  private static final Pattern PREFIX = Pattern.compile("^(thanh pho|tp|tinh)\\s+");

  /**
   * Keys already computed: the names a job meets are few (stations, parameters, terminals,
   * provinces) but it meets them on every row, and a key costs a Unicode normalisation and four
   * regular expressions (measured: ~3 million calls in a year of one province's readings). Bounded:
   * emptied when it reaches {@link #MEMO_LIMIT} entries, so a column of many distinct values costs
   * what it did without it.
   */
  private static final java.util.concurrent.ConcurrentHashMap<String, String> MEMO =
      new java.util.concurrent.ConcurrentHashMap<>();

  static final int MEMO_LIMIT = 10_000;

  private NameNormalizer() {}

  public static String key(String raw) {
    if (raw == null) {
      return null;
    }
    String known = MEMO.get(raw);
    if (known != null) {
      return known;
    }
    String k = compute(raw);
    if (MEMO.size() >= MEMO_LIMIT) {
      MEMO.clear();
    }
    MEMO.put(raw, k);
    return k;
  }

  /** How many keys are remembered (for the memo's test). */
  static int memoSize() {
    return MEMO.size();
  }

  private static String compute(String raw) {
    String s = Normalizer.normalize(raw, Normalizer.Form.NFD);
    s = MARKS.matcher(s).replaceAll("");
    s = s.replace('đ', 'd').replace('Đ', 'D').toLowerCase(Locale.ROOT);
    s = NON_ALNUM.matcher(s).replaceAll(" ").strip();
    String before;
    do {
      before = s;
      s = PREFIX.matcher(s).replaceFirst("");
    } while (!s.equals(before));
    return s;
  }
}
