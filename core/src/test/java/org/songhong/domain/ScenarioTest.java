package org.songhong.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.songhong.domain.targets.AttainmentCalculator;
import org.songhong.domain.targets.Scenario;
import org.songhong.domain.targets.Target;
import org.songhong.domain.targets.Target.Comparison;
import org.songhong.domain.targets.Target.Measure;

/** docs/METHODS.md section 8, worked by hand on the beds example of section 1. */
class ScenarioTest {
  private final Scenario scenario = new Scenario(new AttainmentCalculator());
  private final Target beds =
      new Target(
          "T",
          "beds",
          "VN-31",
          Measure.LEVEL,
          Comparison.AT_LEAST,
          false,
          45.0,
          null,
          null,
          null,
          2020,
          2030,
          "beds per 10,000 people",
          null,
          null,
          null);

  @Test
  void aYearlyGrowthCompoundsFromTheLatestFigureAndIsMeasuredInTheTargetYear() {
    // 30 (2020), 36 (2024). At 4% a year: 36 * 1.04^6 = 45.55 >= 45: achieved.
    Scenario.Result fast = scenario.growth(beds, Map.of(2020, 30.0, 2024, 36.0), 2024, 4.0);
    assertThat(fast.landedValue()).isCloseTo(45.551, within(1e-3));
    assertThat(fast.met()).isTrue();
    assertThat(fast.status()).isEqualTo("achieved");
    assertThat(fast.path()).hasSize(7).first().isEqualTo(new Scenario.Point(2024, 36.0));
    // At 3%: 36 * 1.03^6 = 42.99; growth 2020-2030 (42.99/30)^(1/10) - 1 = 3.66% against the 4.14%
    // required:
    // rog 0.884, moderate progress.
    Scenario.Result slow = scenario.growth(beds, Map.of(2020, 30.0, 2024, 36.0), 2024, 3.0);
    assertThat(slow.landedValue()).isCloseTo(42.986, within(1e-3));
    assertThat(slow.met()).isFalse();
    assertThat(slow.status()).isEqualTo("moderate_progress");
    // Falling 2% a year: below the 2020 figure by 2030? 36 * 0.98^6 = 31.9 > 30, so still
    // insufficient progress.
    assertThat(scenario.growth(beds, Map.of(2020, 30.0, 2024, 36.0), 2024, -2.0).status())
        .isEqualTo("insufficient_progress");
    assertThat(scenario.growth(beds, Map.of(2020, 30.0, 2024, 36.0), 2024, -5.0).status())
        .isEqualTo("moving_away");
  }

  @Test
  void aPathHoldsItsLastValueAndAnAverageGrowthTakesItsRates() {
    Scenario.Result held =
        scenario.path(beds, Map.of(2020, 30.0, 2024, 36.0), 2024, List.of(40.0, 46.0));
    assertThat(held.path())
        .extracting(Scenario.Point::value)
        .containsExactly(36.0, 40.0, 46.0, 46.0, 46.0, 46.0, 46.0);
    assertThat(held.landedValue()).isEqualTo(46.0);
    assertThat(held.status()).isEqualTo("achieved");
    // HP30-01: rates 12.38, 12.32, 10.34, 11.01 (2021-2024), then 11% for 2025-2030:
    // (1.54611 * 1.11^6)^(1/10) - 1 = 11.20%: outside about 12.8 (+/- 0.5); rog 11.20 / 12.8 =
    // 0.875.
    Target hp01 =
        new Target(
            "HP30-01",
            "grdp_growth_real",
            "VN-31",
            Measure.AVERAGE_GROWTH,
            Comparison.ABOUT,
            false,
            12.8,
            null,
            null,
            0.5,
            2020,
            2030,
            "% per year",
            null,
            null,
            null);
    Scenario.Result r =
        scenario.growth(
            hp01, Map.of(2021, 12.38, 2022, 12.32, 2023, 10.34, 2024, 11.01), 2024, 11.0);
    assertThat(r.landedValue()).isCloseTo(11.203, within(1e-3));
    assertThat(r.status()).isEqualTo("moderate_progress");
    assertThat(r.path())
        .extracting(Scenario.Point::value)
        .containsExactly(11.01, 11.0, 11.0, 11.0, 11.0, 11.0, 11.0);
  }
}
