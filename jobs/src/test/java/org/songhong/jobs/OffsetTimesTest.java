package org.songhong.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written check accepts exactly what the regular expression it replaced accepts. */
class OffsetTimesTest {
  @Test
  void acceptsWhatThePatternFinds() {
    Pattern pattern = Pattern.compile(OffsetTimes.PATTERN);
    String shape = "2025-12-01T08:15:00.123456789+07:00";
    String others = "0123456789-T :.Z+-z\n\r\u0085\u2028\u0663\uFF11x";
    Random random = new Random(8601);
    int accepted = 0;
    for (int n = 0; n < 300_000; n++) {
      // A well-formed time cut, stretched and with characters changed, so that both answers occur.
      StringBuilder b =
          new StringBuilder(shape.substring(0, 16 + random.nextInt(shape.length() - 15)));
      int changes = random.nextInt(3);
      for (int c = 0; c < changes; c++) {
        int at = random.nextInt(b.length() + 1);
        char ch = others.charAt(random.nextInt(others.length()));
        switch (random.nextInt(3)) {
          case 0 -> b.insert(at, ch);
          case 1 -> {
            if (at < b.length()) {
              b.setCharAt(at, ch);
            }
          }
          default -> {
            if (at < b.length()) {
              b.deleteCharAt(at);
            }
          }
        }
      }
      if (random.nextInt(4) == 0) {
        b.append(random.nextBoolean() ? "Z" : random.nextBoolean() ? "+0700" : "-07:00");
      }
      if (random.nextInt(10) == 0) {
        b.append(random.nextBoolean() ? "\n" : "\r\n");
      }
      String s = b.toString();
      boolean expected = pattern.matcher(s).find(0);
      assertThat(OffsetTimes.hasOffset(s)).as("'%s'", s).isEqualTo(expected);
      accepted += expected ? 1 : 0;
    }
    assertThat(accepted).as("accepted strings generated").isGreaterThan(10_000);
    assertThat(OffsetTimes.hasOffset(null)).isFalse();
    assertThat(OffsetTimes.hasOffset("2025-12-01 08:15Z")).isTrue();
    assertThat(OffsetTimes.hasOffset("2025-12-01T08:15:00.1234567890Z")).isFalse();
    assertThat(OffsetTimes.hasOffset("2025-12-01T08:15:00")).isFalse();
  }
}
