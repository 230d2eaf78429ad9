package org.songhong.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatNumbersTest {
  @Test
  void vietnameseNumbers() {
    assertThat(StatNumbers.parse("445.995", "vi")).isEqualTo(445_995.0);
    assertThat(StatNumbers.parse("12,8", "vi")).isEqualTo(12.8);
    assertThat(StatNumbers.parse("1.234.567,89", "vi")).isEqualTo(1_234_567.89);
    assertThat(StatNumbers.parse("-0,5", "vi")).isEqualTo(-0.5);
    assertThat(StatNumbers.parse(" 2 131,4 ", "vi")).isEqualTo(2131.4);
    assertThat(StatNumbers.parse("734420", "vi")).isEqualTo(734_420.0);
    // Ambiguous or wrong for the locale: refused, never guessed.
    assertThat(StatNumbers.parse("12.8", "vi")).isNull();
    assertThat(StatNumbers.parse("445,995.5", "vi")).isNull();
    assertThat(StatNumbers.parse("abc", "vi")).isNull();
  }

  @Test
  void englishNumbers() {
    assertThat(StatNumbers.parse("445,995", "en")).isEqualTo(445_995.0);
    assertThat(StatNumbers.parse("12.8", "en")).isEqualTo(12.8);
    assertThat(StatNumbers.parse("1e3", "en")).isEqualTo(1000.0);
    assertThat(StatNumbers.parse("8,4", "en")).isNull();
    assertThat(StatNumbers.parse("", "en")).isNull();
  }

  @Test
  void yearsAndPreliminaryMarkers() {
    assertThat(StatNumbers.year("2024")).isEqualTo(2024);
    assertThat(StatNumbers.year("Năm 2023")).isEqualTo(2023);
    assertThat(StatNumbers.year("Sơ bộ 2024")).isEqualTo(2024);
    assertThat(StatNumbers.year("2024*")).isEqualTo(2024);
    assertThat(StatNumbers.year("Prel. 2025")).isEqualTo(2025);
    assertThat(StatNumbers.isPreliminary("Sơ bộ 2024")).isTrue();
    assertThat(StatNumbers.isPreliminary("2024 (*)")).isTrue();
    assertThat(StatNumbers.isPreliminary("2024")).isFalse();
    assertThat(StatNumbers.year("24")).isNull();
    assertThat(StatNumbers.year("Tỉnh")).isNull();
  }

  @Test
  void noValueMarks() {
    assertThat(StatNumbers.isNoValue("-")).isTrue();
    assertThat(StatNumbers.isNoValue("..")).isTrue();
    assertThat(StatNumbers.isNoValue("…")).isTrue();
    assertThat(StatNumbers.isNoValue("0")).isFalse();
  }
}
