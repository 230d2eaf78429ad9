package org.songhong.domain.logistics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.songhong.contract.SchemaResources;

class LogisticsCatalogTest {
  private final LogisticsCatalog catalog =
      LogisticsCatalog.load(
          SchemaResources.open(Path.of("..", "schemas").toAbsolutePath().toString()));

  @Test
  void teuComesFromTheIsoSizeCodeAndUnknownSizesAreNotGuessed() {
    assertThat(catalog.size("22G1")).get().satisfies(s -> assertThat(s.teu()).isEqualTo(1.0));
    assertThat(catalog.size("42G1")).get().satisfies(s -> assertThat(s.teu()).isEqualTo(2.0));
    assertThat(catalog.size("45R1")).get().satisfies(s -> assertThat(s.lengthFt()).isEqualTo(40));
    assertThat(catalog.size("L5G1")).get().satisfies(s -> assertThat(s.teu()).isEqualTo(2.25));
    assertThat(catalog.size("l5g1")).get().satisfies(s -> assertThat(s.lengthFt()).isEqualTo(45));
    assertThat(catalog.size("M5G1")).isEmpty(); // 48 ft
    assertThat(catalog.size("12G1")).isEmpty(); // 10 ft
    assertThat(catalog.size("22G")).isEmpty();
    assertThat(catalog.size(null)).isEmpty();
  }

  @Test
  void terminalsMatchByIdNameOrAliasIgnoringCaseAndDiacritics() {
    assertThat(catalog.match("Nam Đình Vũ"))
        .get()
        .extracting(LogisticsCatalog.Terminal::id)
        .isEqualTo("NDV");
    assertThat(catalog.match("NAM DINH VU"))
        .get()
        .extracting(LogisticsCatalog.Terminal::id)
        .isEqualTo("NDV");
    assertThat(catalog.match("hict"))
        .get()
        .extracting(LogisticsCatalog.Terminal::portArea)
        .isEqualTo("lach_huyen");
    assertThat(catalog.match("Lạch Huyện 3-4"))
        .get()
        .extracting(LogisticsCatalog.Terminal::id)
        .isEqualTo("HHIT");
    assertThat(catalog.match("Cảng Xanh VIP")).isEmpty();
  }

  @Test
  void checkDigitsOfContainerAndImoNumbers() {
    // ISO 6346's own example, and a known ship (IMO 9074729).
    assertThat(Iso6346.checkDigit("CSQU305438")).isEqualTo(3);
    assertThat(Iso6346.validContainerId("CSQU3054383")).isTrue();
    assertThat(Iso6346.validContainerId("CSQU3054384")).isFalse();
    assertThat(Iso6346.validContainerId("CSQ3054383")).isFalse();
    assertThat(Iso6346.validImo("9074729")).isTrue();
    assertThat(Iso6346.validImo("IMO 9074729")).isTrue();
    assertThat(Iso6346.validImo("9074728")).isFalse();
    assertThat(Iso6346.validImo("907472")).isFalse();
  }
}
