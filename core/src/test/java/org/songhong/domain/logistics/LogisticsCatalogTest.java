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

  /**
   * The shapes of a container number and a size/type code are checked by hand on the hot path; they
   * accept exactly what the regular expressions they replaced accept (ASCII only: a full-width or
   * Arabic-Indic digit is not a digit here), over strings built from the characters that matter.
   */
  @Test
  void handWrittenShapeChecksAcceptWhatTheRegularExpressionsAccepted() {
    java.util.regex.Pattern first10 = java.util.regex.Pattern.compile("[A-Z]{3}[UJZR][0-9]{6}");
    java.util.regex.Pattern sizeCode = java.util.regex.Pattern.compile("[0-9A-Za-z]{4}");
    String alphabet = "AUJZRQaz09 5\u0663\uFF11-@[`{/:\u00C0\uD83D";
    java.util.Random random = new java.util.Random(6346);
    int accepted10 = 0;
    int acceptedCode = 0;
    for (int n = 0; n < 200_000; n++) {
      int length = random.nextInt(13);
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < length; i++) {
        // Mostly characters a well-formed value has at that place, so that both answers occur.
        b.append(
            random.nextInt(3) == 0
                ? alphabet.charAt(random.nextInt(alphabet.length()))
                : i < 3
                    ? (char) ('A' + random.nextInt(26))
                    : i == 3 ? 'U' : (char) ('0' + random.nextInt(10)));
      }
      String s = b.toString();
      boolean expected10 = first10.matcher(s).matches();
      assertThat(Iso6346.wellFormed(s))
          .as("container number shape of '%s'", s)
          .isEqualTo(expected10);
      boolean expectedCode = sizeCode.matcher(s).matches();
      assertThat(LogisticsCatalog.isSizeTypeCode(s))
          .as("size code shape of '%s'", s)
          .isEqualTo(expectedCode);
      assertThat(Iso6346.normalizedContainerId(s))
          .as("container number as normalised from '%s'", s)
          .isEqualTo(s.replaceAll("[^A-Za-z0-9]", "").toUpperCase(java.util.Locale.ROOT));
      accepted10 += expected10 ? 1 : 0;
      acceptedCode += expectedCode ? 1 : 0;
    }
    assertThat(accepted10).as("well-formed container numbers generated").isGreaterThan(100);
    assertThat(acceptedCode).as("well-formed size codes generated").isGreaterThan(100);
    assertThat(Iso6346.wellFormed(null)).isFalse();
    assertThat(Iso6346.normalizedContainerId(null)).isNull();
    assertThat(Iso6346.normalizedContainerId(" mscu-123456 5\uD83D\uDE00"))
        .isEqualTo("MSCU1234565");
    assertThat(LogisticsCatalog.isSizeTypeCode(null)).isFalse();
    assertThat(catalog.size(" 22g1 ")).as("stripped, either case").isPresent();
  }
}
