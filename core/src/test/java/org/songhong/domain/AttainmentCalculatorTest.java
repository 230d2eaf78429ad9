package org.songhong.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.songhong.domain.targets.Attainment;
import org.songhong.domain.targets.AttainmentCalculator;
import org.songhong.domain.targets.Target;
import org.songhong.domain.targets.Target.Comparison;
import org.songhong.domain.targets.Target.Measure;

/** Expected values are worked by hand in the comments (docs/METHODS.md section 1). */
class AttainmentCalculatorTest {
  private final AttainmentCalculator calc = new AttainmentCalculator();

  private static Target target(
      Measure m, Comparison c, Boolean strict, Double v, Double lo, Double hi, Double tol) {
    return new Target(
        "T", "x", "VN-31", m, c, strict, v, lo, hi, tol, 2020, 2030, "u", null, null, null);
  }

  @Test
  void theWorkedExampleOfMethodsMd() {
    // Beds per 10,000: 30 (2020) -> 36 (2024), target 45 in 2030.
    // cs = (36-30)/(45-30) = 0.40; cagr_actual = 1.2^(1/4) - 1 = 4.66%; cagr_required = 1.5^(1/10)
    // - 1 = 4.14%;
    // rog = 4.6635/4.1380 = 1.127 -> on_track; projected = 36 * 1.046635^6 = 47.32; ap = 17.32/15 =
    // 1.155;
    // still needed = (45/36)^(1/6) - 1 = 3.79%.
    Attainment a =
        calc.compute(
            target(Measure.LEVEL, Comparison.AT_LEAST, null, 45.0, null, null, null),
            Map.of(2020, 30.0, 2024, 36.0),
            2024);
    assertThat(a.cs()).isCloseTo(0.40, within(1e-9));
    assertThat(a.cagrActualPct()).isCloseTo(4.6635, within(1e-4));
    assertThat(a.cagrRequiredPct()).isCloseTo(4.1380, within(1e-4));
    assertThat(a.rog()).isCloseTo(1.127, within(1e-3));
    assertThat(a.projectedT()).isCloseTo(47.32, within(0.01));
    assertThat(a.ap()).isCloseTo(1.155, within(1e-3));
    assertThat(a.cagrNeededFromNowPct()).isCloseTo(3.789, within(1e-3));
    assertThat(a.status()).isEqualTo(Attainment.ON_TRACK);
    // Linear trend through (2020, 30) and (2024, 36): slope 1.5 a year -> 36 + 6 * 1.5 = 45.
    assertThat(a.projectedTLinear()).isCloseTo(45.0, within(1e-9));
    assertThat(a.observationYears()).containsExactly(2020, 2024);
  }

  @Test
  void aStrictBoundaryIsNotAchieved() {
    // Urban unemployment below 3.0: exactly 3.0 is not below. 3.6 -> 3.0 over 4 years:
    // cagr_actual = (3.0/3.6)^(1/4) - 1 = -4.456%, required = (3.0/3.6)^(1/10) - 1 = -1.807%, rog =
    // 2.47.
    Target below = target(Measure.LEVEL, Comparison.AT_MOST, true, 3.0, null, null, null);
    Attainment a = calc.compute(below, Map.of(2020, 3.6, 2024, 3.0), 2024);
    assertThat(a.status()).isEqualTo(Attainment.ON_TRACK);
    assertThat(a.rog()).isCloseTo(0.044557 / 0.018067, within(1e-3));
    assertThat(calc.compute(below, Map.of(2020, 3.6, 2024, 2.99), 2024).status())
        .isEqualTo(Attainment.ACHIEVED);
    Target atMost = target(Measure.LEVEL, Comparison.AT_MOST, false, 3.0, null, null, null);
    assertThat(calc.compute(atMost, Map.of(2020, 3.6, 2024, 3.0), 2024).status())
        .isEqualTo(Attainment.ACHIEVED);
  }

  @Test
  void averageGrowthUsesTheGeometricMeanOfTheYearlyRates() {
    // HP30-01 on Hai Phong's published rates 2021-2024: 12.38, 12.32, 10.34, 11.01.
    // prod(1+g) = 1.1238 * 1.1232 * 1.1034 * 1.1101 = 1.54611; mean = 1.54611^(1/4) - 1 = 11.509%;
    // rog = 11.509/12.8 = 0.899 -> moderate_progress (about 12.8 +/- 0.5 is not met);
    // still needed = (1.128^10 / 1.54611)^(1/6) - 1 = 13.67% a year; cs = (1.54611-1)/(1.128^10-1)
    // = 0.2339.
    Target t = target(Measure.AVERAGE_GROWTH, Comparison.ABOUT, null, 12.8, null, null, 0.5);
    Attainment a =
        calc.compute(
            t, Map.of(2020, 11.22, 2021, 12.38, 2022, 12.32, 2023, 10.34, 2024, 11.01), 2024);
    assertThat(a.measuredValue()).isCloseTo(11.509, within(1e-3));
    assertThat(a.rog()).isCloseTo(0.899, within(1e-3));
    assertThat(a.cagrNeededFromNowPct()).isCloseTo(13.669, within(1e-3));
    assertThat(a.cs()).isCloseTo(0.2339, within(1e-4));
    assertThat(a.status()).isEqualTo(Attainment.MODERATE_PROGRESS);
    assertThat(a.observationYears()).containsExactly(2021, 2022, 2023, 2024);
  }

  @Test
  void anAverageOverAPeriodIsAchievedOnlyWhenThePeriodEnds() {
    // HP30-01's wording: about 12.8% a year over 2021-2030. 12.5% in 2021 and 2022 is within the
    // tolerance (|12.5 - 12.8| = 0.3 <= 0.5), but eight years are still to come: on track, not
    // achieved.
    Target t = target(Measure.AVERAGE_GROWTH, Comparison.ABOUT, null, 12.8, null, null, 0.5);
    Attainment midway = calc.compute(t, Map.of(2021, 12.5, 2022, 12.5), 2022);
    assertThat(midway.status()).isEqualTo(Attainment.ON_TRACK);
    assertThat(midway.measuredValue()).isCloseTo(12.5, within(1e-9));
    assertThat(midway.note())
        .isEqualTo(
            "the average of 2021-2022 meets the target; an average over 2021-2030 is achieved "
                + "only when the period ends");
    // The same 12.5% in every year of the period, as of 2030: achieved.
    Map<Integer, Double> whole = new java.util.HashMap<>();
    for (int y = 2021; y <= 2030; y++) {
      whole.put(y, 12.5);
    }
    assertThat(calc.compute(t, whole, 2030).status()).isEqualTo(Attainment.ACHIEVED);
    // A mid-period average outside the tolerance is classified by its ratio of growth as before.
    assertThat(calc.compute(t, Map.of(2021, 11.0, 2022, 11.0), 2022).status())
        .isEqualTo(Attainment.MODERATE_PROGRESS);
    // A level, once reached, meets its wording: achieved mid-period.
    Target level = target(Measure.LEVEL, Comparison.AT_LEAST, null, 45.0, null, null, null);
    assertThat(calc.compute(level, Map.of(2020, 30.0, 2024, 46.0), 2024).status())
        .isEqualTo(Attainment.ACHIEVED);
  }

  @Test
  void aGapInTheYearlyRatesIsInsufficientData() {
    Target t = target(Measure.AVERAGE_GROWTH, Comparison.AT_LEAST, null, 8.9, null, null, null);
    Attainment a = calc.compute(t, Map.of(2021, 9.0, 2023, 9.0), 2023);
    assertThat(a.status()).isEqualTo(Attainment.INSUFFICIENT_DATA);
    assertThat(a.note())
        .isEqualTo("yearly rates missing between 2021 and 2023 (an average needs every year)");
  }

  @Test
  void aRangeIsMeasuredTowardItsNearerBound() {
    // Urbanization 46% (2020) -> 50% (2024), target 74-76%: below the range, so toward 74.
    // cs = (50-46)/(74-46) = 0.1429; actual = (50/46)^(1/4) - 1 = 2.106%; required = (74/46)^(1/10)
    // - 1 = 4.869%;
    // rog = 0.4326 -> insufficient_progress.
    Target t = target(Measure.LEVEL, Comparison.RANGE, null, null, 74.0, 76.0, null);
    Attainment a = calc.compute(t, Map.of(2020, 46.0, 2024, 50.0), 2024);
    assertThat(a.targetLevel()).isEqualTo(74.0);
    assertThat(a.cs()).isCloseTo(0.1429, within(1e-4));
    assertThat(a.rog()).isCloseTo(2.10642 / 4.86906, within(1e-4));
    assertThat(a.status()).isEqualTo(Attainment.INSUFFICIENT_PROGRESS);
    assertThat(calc.compute(t, Map.of(2020, 46.0, 2024, 75.0), 2024).status())
        .isEqualTo(Attainment.ACHIEVED);
    assertThat(calc.compute(t, Map.of(2020, 46.0, 2024, 76.0), 2024).status())
        .isEqualTo(Attainment.ACHIEVED);
  }

  @Test
  void aboutWithToleranceAndMovingAway() {
    Target t = target(Measure.LEVEL, Comparison.ABOUT, null, 520.0, null, null, 26.0);
    assertThat(calc.compute(t, Map.of(2020, 135.0, 2029, 494.0), 2029).status())
        .isEqualTo(Attainment.ACHIEVED);
    assertThat(calc.compute(t, Map.of(2020, 135.0, 2029, 493.9), 2029).status())
        .isNotEqualTo(Attainment.ACHIEVED);
    // Falling away from a higher target: actual growth negative, rog < 0.
    assertThat(calc.compute(t, Map.of(2020, 135.0, 2024, 120.0), 2024).status())
        .isEqualTo(Attainment.MOVING_AWAY);
  }

  @Test
  void multipleOfTheBaseYear() {
    // GRDP 5x 2020 at current prices: 277 -> 446 by 2024. TV = 5 * 277 = 1385;
    // required = 5^(1/10) - 1 = 17.46%; actual = (446/277)^(1/4) - 1 = 12.65%; rog = 0.7242 ->
    // moderate;
    // measured multiple = 446/277 = 1.610; still needed = (1385/446)^(1/6) - 1 = 20.79%.
    Target t = target(Measure.MULTIPLE_OF_BASE, Comparison.ABOUT, null, 5.0, null, null, 0.25);
    Attainment a = calc.compute(t, Map.of(2020, 277.0, 2024, 446.0), 2024);
    assertThat(a.cagrRequiredPct()).isCloseTo(17.462, within(1e-3));
    assertThat(a.measuredValue()).isCloseTo(1.6101, within(1e-4));
    assertThat(a.targetLevel()).isCloseTo(1385.0, within(1e-9));
    assertThat(a.cagrNeededFromNowPct()).isCloseTo(20.787, within(1e-3));
    assertThat(a.status()).isEqualTo(Attainment.MODERATE_PROGRESS);
  }

  @Test
  void missingDataIsAStatusNotACrash() {
    Target t = target(Measure.LEVEL, Comparison.AT_LEAST, null, 45.0, null, null, null);
    Attainment noBaseline = calc.compute(t, Map.of(2023, 33.0, 2024, 36.0), 2024);
    assertThat(noBaseline.status()).isEqualTo(Attainment.INSUFFICIENT_DATA);
    assertThat(noBaseline.note()).isEqualTo("no observation for the baseline year 2020");
    Attainment nothing = calc.compute(t, Map.of(), 2024);
    assertThat(nothing.status()).isEqualTo(Attainment.INSUFFICIENT_DATA);
    assertThat(nothing.cs()).isNull();
    Attainment onePoint = calc.compute(t, Map.of(2020, 30.0), 2020);
    assertThat(onePoint.status()).isEqualTo(Attainment.INSUFFICIENT_DATA);
    assertThat(onePoint.note()).isEqualTo("fewer than two observations since 2020");
  }

  @Test
  void laterYearsThanAsOfAreIgnored() {
    Target t = target(Measure.LEVEL, Comparison.AT_LEAST, null, 45.0, null, null, null);
    Attainment a = calc.compute(t, Map.of(2020, 30.0, 2022, 33.0, 2024, 50.0), 2022);
    assertThat(a.latestValue()).isEqualTo(33.0);
    assertThat(a.status()).isNotEqualTo(Attainment.ACHIEVED);
  }
}
