package org.songhong.domain.geo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** NameNormalizer remembers the keys it computed: the same answers, in bounded memory. */
class NameNormalizerMemoTest {
  @Test
  void theMemoAnswersAsComputedAndStaysBounded() {
    // Many distinct names (a column of free text): the memo empties itself instead of growing, and
    // a
    // remembered key is the one computed.
    for (int i = 0; i < 3 * NameNormalizer.MEMO_LIMIT; i++) {
      assertThat(NameNormalizer.key("TP. Trạm " + i)).isEqualTo("tram " + i);
      assertThat(NameNormalizer.memoSize()).isLessThanOrEqualTo(NameNormalizer.MEMO_LIMIT);
    }
    assertThat(NameNormalizer.key("TP. Trạm 7")).isEqualTo("tram 7");
    assertThat(NameNormalizer.key("Thành phố Hải Phòng"))
        .isEqualTo(NameNormalizer.key("Hai Phong"));
  }
}
