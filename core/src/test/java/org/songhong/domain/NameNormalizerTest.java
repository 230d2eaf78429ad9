package org.songhong.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import org.junit.jupiter.api.Test;
import org.songhong.domain.geo.NameNormalizer;

class NameNormalizerTest {
  @Test
  void everySpellingOfGeographyMdGivesOneKey() {
    String nfd = Normalizer.normalize("Hải Phòng", Normalizer.Form.NFD);
    assertThat(nfd).isNotEqualTo("Hải Phòng");
    for (String s :
        new String[] {
          "Hải Phòng",
          "Hai Phong",
          "TP. Hải Phòng",
          "Thành phố Hải Phòng",
          "HẢI PHÒNG",
          nfd,
          "  tp.hải  phòng "
        }) {
      assertThat(NameNormalizer.key(s)).as(s).isEqualTo("hai phong");
    }
  }

  @Test
  void dWithStrokeAndProvincePrefix() {
    assertThat(NameNormalizer.key("Tỉnh Nam Định")).isEqualTo("nam dinh");
    assertThat(NameNormalizer.key("ĐỒNG BẰNG SÔNG HỒNG")).isEqualTo("dong bang song hong");
  }

  @Test
  void differentNamesStayDifferent() {
    assertThat(NameNormalizer.key("Hà Nam")).isNotEqualTo(NameNormalizer.key("Hà Nội"));
    assertThat(NameNormalizer.key(null)).isNull();
  }
}
