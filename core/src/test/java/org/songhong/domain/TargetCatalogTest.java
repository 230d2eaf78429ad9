package org.songhong.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.songhong.contract.SchemaResources;
import org.songhong.domain.geo.Geography;
import org.songhong.domain.targets.Target;
import org.songhong.domain.targets.Target.Comparison;
import org.songhong.domain.targets.Target.Measure;
import org.songhong.domain.targets.TargetCatalog;
import org.songhong.error.SonghongException;

class TargetCatalogTest {
  private final SchemaResources schemas = SchemaResources.open("");
  private final IndicatorCatalog indicators = IndicatorCatalog.load(schemas);
  private final Geography geography = Geography.load(schemas);

  private static Target t(
      String indicator, Comparison c, Double v, Double lo, Double hi, Double tol, int t0) {
    return new Target(
        "X-1",
        indicator,
        "VN-31",
        Measure.LEVEL,
        c,
        null,
        v,
        lo,
        hi,
        tol,
        t0,
        2030,
        "%",
        null,
        null,
        null);
  }

  private void refused(Target t, String message) {
    assertThatThrownBy(() -> new TargetCatalog(List.of(t), indicators, geography))
        .isInstanceOf(SonghongException.class)
        .hasMessage(
            "Invalid reference file schemas/catalog/targets.yaml: target X-1: "
                + message
                + " (fix the file in schemas/)");
  }

  @Test
  void theBundledCatalogLoads() {
    TargetCatalog c = TargetCatalog.load(schemas, indicators, geography);
    assertThat(c.all()).extracting(Target::id).contains("HP30-01", "HP30-05", "HP30-13");
  }

  @Test
  void badTargetsAreRefusedWithTheirProblem() {
    refused(
        t("gdp", Comparison.AT_LEAST, 1.0, null, null, null, 2020),
        "unknown indicator 'gdp' (declare it in schemas/reference/indicators.yaml)");
    refused(
        t("urbanization_rate", Comparison.RANGE, null, 76.0, 74.0, null, 2020),
        "range has lo 76.0 > hi 74.0");
    refused(
        t("grdp_per_capita", Comparison.ABOUT, 520.0, null, null, null, 2020),
        "'about' needs a tolerance >= 0 (how close counts as achieved)");
    refused(
        t("poverty_rate", Comparison.AT_MOST, 0.1, null, null, null, 2031),
        "baseline_year 2031 must be before target_year 2030");
  }
}
