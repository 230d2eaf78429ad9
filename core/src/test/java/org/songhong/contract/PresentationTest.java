package org.songhong.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * schemas/reference/presentation.yaml: every status has its words and colour, and the dashboard
 * page says the same.
 */
class PresentationTest {
  private static final SchemaResources SCHEMAS =
      SchemaResources.open(Path.of("..", "schemas").toString());

  @Test
  void everyStatusTheMartsCanHoldHasWordsInBothLanguagesAndAColour() {
    Presentation p = Presentation.load(SCHEMAS);
    String check =
        ContractCatalog.load(SCHEMAS).get("gold.target_attainment").checks().stream()
            .filter(c -> c.name().equals("status_known"))
            .findFirst()
            .orElseThrow()
            .expression();
    Matcher code = Pattern.compile("'([a-z_]+)'").matcher(check);
    int n = 0;
    while (code.find()) {
      Presentation.Status s = p.status(code.group(1));
      assertThat(s.en()).as(code.group(1)).isNotEqualTo(code.group(1));
      assertThat(s.vi()).as(code.group(1)).isNotEqualTo(code.group(1)).isNotEqualTo(s.en());
      assertThat(s.colour()).matches("[0-9a-f]{6}");
      n++;
    }
    assertThat(n).isEqualTo(p.statuses().size()).isEqualTo(6);
  }

  @Test
  void theDashboardPageUsesTheSameWordsAndColours() throws Exception {
    String app =
        Files.readString(
            Path.of("..", "serving", "src", "main", "resources", "dashboard", "app.js"));
    for (Presentation.Status s : Presentation.load(SCHEMAS).statuses()) {
      assertThat(app)
          .contains(
              s.code() + ": \"" + s.vi() + "\"",
              s.code() + ": \"" + s.en() + "\"",
              s.code() + ": \"#" + s.colour() + "\"");
    }
  }

  @Test
  void aFigureTakesItsUnitsDecimals() {
    Presentation p = Presentation.load(SCHEMAS);
    assertThat(
            List.of(
                p.numberFormat("% per year"),
                p.numberFormat("billion VND"),
                p.numberFormat("x the 2020 value"),
                p.numberFormat("hectares")))
        .containsExactly("#,##0.0", "#,##0", "#,##0.00", "#,##0.00");
    assertThat(p.format(11.509097587826144, "% per year")).isEqualTo("11.5");
    assertThat(p.format(1234567.8, "billion VND")).isEqualTo("1,234,568");
    assertThat(p.status("no_such_status").en()).isEqualTo("no_such_status");
  }
}
