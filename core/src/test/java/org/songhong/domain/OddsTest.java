package org.songhong.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.songhong.domain.targets.Attainment;
import org.songhong.domain.targets.AttainmentCalculator;
import org.songhong.domain.targets.Odds;
import org.songhong.domain.targets.Target;
import org.songhong.domain.targets.Target.Comparison;
import org.songhong.domain.targets.Target.Measure;

/** The odds of docs/METHODS.md section 7 on series whose answer is known by hand. */
class OddsTest {
  private final Odds odds = new Odds();

  private static Target target(Measure m, Comparison c, double v, String unit) {
    return new Target(
        "T",
        "x",
        "VN-31",
        m,
        c,
        false,
        v,
        null,
        null,
        c == Comparison.ABOUT ? 0.5 : null,
        2020,
        2030,
        unit,
        null,
        null,
        null);
  }

  /** 100 in 2015 growing by exactly {@code rate} a year to 2024. */
  private static Map<Integer, Double> constant(double rate) {
    Map<Integer, Double> s = new TreeMap<>();
    for (int y = 2015; y <= 2024; y++) {
      s.put(y, 100 * Math.pow(1 + rate, y - 2015));
    }
    return s;
  }

  /** A noisy series: 5% a year on average, yearly changes between about 1% and 9% (seeded). */
  private static Map<Integer, Double> noisy() {
    SplittableRandom r = new SplittableRandom(7);
    Map<Integer, Double> s = new TreeMap<>();
    double v = 100;
    for (int y = 2012; y <= 2024; y++) {
      s.put(y, v);
      v *= 1.05 + (r.nextDouble() - 0.5) * 0.08;
    }
    return s;
  }

  @Test
  void aConstantGrowthRateMeetsItsOwnTargetAndItsProjectionIsTheCompoundOne() {
    // 8% a year from 100 (2015): 2024 = 199.90; 2030 = 100 * 1.08^15 = 317.22. Every change is the
    // same,
    // so every draw walks the same path: the interval collapses onto the compound projection, which
    // is
    // also AttainmentCalculator's projected_target_year.
    Map<Integer, Double> s = constant(0.08);
    double in2030 = 100 * Math.pow(1.08, 15);
    Target own = target(Measure.LEVEL, Comparison.AT_LEAST, in2030 * (1 - 1e-9), "VND");
    Odds.Result r = odds.compute(own, s, 2024, "k", null);
    assertThat(r.pMeet()).isEqualTo(1.0);
    assertThat(r.central()).isCloseTo(in2030, within(1e-6));
    assertThat(r.lo95()).isCloseTo(in2030, within(1e-6));
    assertThat(r.hi95()).isCloseTo(in2030, within(1e-6));
    assertThat(r.changes()).isEqualTo(9);
    assertThat(r.draws()).isEqualTo(2000);
    Attainment a = new AttainmentCalculator().compute(own, s, 2024);
    assertThat(r.central()).isCloseTo(a.projectedT(), within(1e-6));
    // A hair above its own path, it is never met.
    Target above = target(Measure.LEVEL, Comparison.AT_LEAST, in2030 * (1 + 1e-6), "VND");
    assertThat(odds.compute(above, s, 2024, "k", null).pMeet()).isEqualTo(0.0);
  }

  @Test
  void aSeriesFarBelowItsTargetHasOddsNearZeroAndOneFarAboveNearOne() {
    Map<Integer, Double> s = noisy(); // ~5% a year: 2024 ~ 180, 2030 ~ 240
    double central =
        odds.compute(target(Measure.LEVEL, Comparison.AT_LEAST, 1.0, "VND"), s, 2024, "k", null)
            .central();
    assertThat(
            odds.compute(
                    target(Measure.LEVEL, Comparison.AT_LEAST, central * 2, "VND"),
                    s,
                    2024,
                    "k",
                    null)
                .pMeet())
        .isLessThan(0.01);
    assertThat(
            odds.compute(
                    target(Measure.LEVEL, Comparison.AT_LEAST, central / 2, "VND"),
                    s,
                    2024,
                    "k",
                    null)
                .pMeet())
        .isGreaterThan(0.99);
    // The median path is the target: about even odds.
    assertThat(
            odds.compute(
                    target(Measure.LEVEL, Comparison.AT_LEAST, central, "VND"), s, 2024, "k", null)
                .pMeet())
        .isCloseTo(0.5, within(0.03));
  }

  @Test
  void raisingAnAtLeastTargetNeverRaisesTheOddsAndRaisingAnAtMostOneNeverLowersThem() {
    Map<Integer, Double> s = noisy();
    double previousAtLeast = 1.0;
    double previousAtMost = 0.0;
    for (double v = 150; v <= 400; v += 5) {
      double atLeast =
          odds.compute(target(Measure.LEVEL, Comparison.AT_LEAST, v, "VND"), s, 2024, "k", null)
              .pMeet();
      double atMost =
          odds.compute(target(Measure.LEVEL, Comparison.AT_MOST, v, "VND"), s, 2024, "k", null)
              .pMeet();
      assertThat(atLeast).as("at least %s", v).isLessThanOrEqualTo(previousAtLeast);
      assertThat(atMost).as("at most %s", v).isGreaterThanOrEqualTo(previousAtMost);
      // the same draws: a value either meets "at least v" or "at most v" (both when it equals v)
      assertThat(atLeast + atMost).isGreaterThanOrEqualTo(1.0 - 1e-12);
      previousAtLeast = atLeast;
      previousAtMost = atMost;
    }
    assertThat(previousAtLeast).isLessThan(0.05);
    assertThat(previousAtMost).isGreaterThan(0.95);
  }

  @Test
  void theIntervalsAreNestedAndWidenWithTheYearsLeft() {
    Map<Integer, Double> s = noisy();
    Target t = target(Measure.LEVEL, Comparison.AT_LEAST, 250, "VND");
    Odds.Result r = odds.computeWithFan(t, s, 2024, "k", null);
    assertThat(odds.compute(t, s, 2024, "k", null).fan()).isEmpty();
    assertThat(odds.compute(t, s, 2024, "k", null).pMeet()).isEqualTo(r.pMeet());
    assertThat(r.lo95()).isLessThan(r.lo80());
    assertThat(r.lo80()).isLessThan(r.central());
    assertThat(r.central()).isLessThan(r.hi80());
    assertThat(r.hi80()).isLessThan(r.hi95());
    // The fan: a year each from 2025 to 2030, widening, its last year the target year's interval.
    assertThat(r.fan())
        .extracting(Odds.FanPoint::year)
        .containsExactly(2025, 2026, 2027, 2028, 2029, 2030);
    for (int i = 1; i < r.fan().size(); i++) {
      assertThat(r.fan().get(i).hi80() - r.fan().get(i).lo80())
          .isGreaterThan(r.fan().get(i - 1).hi80() - r.fan().get(i - 1).lo80());
    }
    assertThat(r.fan().get(5).lo80()).isEqualTo(r.lo80());
    assertThat(r.fan().get(5).hi95()).isEqualTo(r.hi95());
    Odds.Result earlier = odds.compute(t, s, 2020, "k", null);
    assertThat((earlier.hi80() - earlier.lo80()) / earlier.central())
        .isGreaterThan((r.hi80() - r.lo80()) / r.central());
  }

  @Test
  void theSameRowGivesTheSameAnswerAndTheSeedComesFromItsKey() {
    Map<Integer, Double> s = noisy();
    Target t = target(Measure.LEVEL, Comparison.AT_LEAST, 240, "VND");
    String key = Odds.key("HP30-05", "VN-31", "yearbook-2024", 2024);
    assertThat(odds.compute(t, s, 2024, key, null)).isEqualTo(odds.compute(t, s, 2024, key, null));
    assertThat(odds.compute(t, s, 2024, key, null).seed())
        .isEqualTo(Odds.seed("HP30-05|VN-31|yearbook-2024|2024"))
        .isNotEqualTo(Odds.seed("HP30-05|VN-31|yearbook-2025|2024"));
  }

  @Test
  void aShareStaysWithinAHundredAndASeriesWithZerosMovesByPoints() {
    // A share rising 4 points a year from 80 (2019) reaches 100 in 2024: its walk stops at 100.
    Map<Integer, Double> s = new TreeMap<>();
    for (int y = 2019; y <= 2024; y++) {
      s.put(y, 80.0 + 4 * (y - 2019));
    }
    Odds.Result r =
        odds.compute(
            target(Measure.LEVEL, Comparison.AT_LEAST, 95, "% of households"), s, 2024, "k", null);
    assertThat(r.hi95()).isEqualTo(100.0);
    assertThat(r.pMeet()).isEqualTo(1.0);
    // Communes meeting a standard: 0 until 2018, then 2, 10, 18 ... 42. No log ratio from 0:
    // differences. The
    // median path adds about the mean change, 42/9 = 4.67 points a year (42 + 6 * 4.67 = 70 in
    // 2030); 100 needs
    // 9.7 a year, more than any change seen: only the draws that keep picking 8s get near it.
    Map<Integer, Double> communes =
        new TreeMap<>(
            Map.of(
                2015, 0.0, 2016, 0.0, 2017, 0.0, 2018, 0.0, 2019, 2.0, 2020, 10.0, 2021, 18.0, 2022,
                26.0, 2023, 34.0, 2024, 42.0));
    Odds.Result c =
        odds.compute(
            target(Measure.LEVEL, Comparison.AT_LEAST, 100, "% of communes"),
            communes,
            2024,
            "k",
            null);
    assertThat(c.central()).isBetween(70.0 - 1e-9, 90.0);
    assertThat(c.pMeet()).isLessThan(0.05);
  }

  @Test
  void anAverageGrowthOverThePeriodDrawsItsRemainingYearsFromTheRatesSeen() {
    // 12% every year since 2016: the 2021-2030 average is 12% in every draw; about 12.8 (+/- 0.5)
    // never holds,
    // about 12 always.
    Map<Integer, Double> rates = new TreeMap<>();
    for (int y = 2016; y <= 2024; y++) {
      rates.put(y, 12.0);
    }
    Odds.Result off =
        odds.compute(
            target(Measure.AVERAGE_GROWTH, Comparison.ABOUT, 12.8, "% per year"),
            rates,
            2024,
            "k",
            null);
    assertThat(off.pMeet()).isEqualTo(0.0);
    assertThat(off.central()).isCloseTo(12.0, within(1e-9));
    assertThat(
            odds.compute(
                    target(Measure.AVERAGE_GROWTH, Comparison.ABOUT, 12.0, "% per year"),
                    rates,
                    2024,
                    "k",
                    null)
                .pMeet())
        .isEqualTo(1.0);
    // Half the years at 10, half at 14: the period's average is spread around 12 and rarely reaches
    // 13.5.
    Map<Integer, Double> mixed = new TreeMap<>();
    for (int y = 2015; y <= 2024; y++) {
      mixed.put(y, y % 2 == 0 ? 10.0 : 14.0);
    }
    Odds.Result m =
        odds.compute(
            target(Measure.AVERAGE_GROWTH, Comparison.AT_LEAST, 13.5, "% per year"),
            mixed,
            2024,
            "k",
            null);
    assertThat(m.central()).isCloseTo(12.0, within(0.2));
    assertThat(m.pMeet()).isLessThan(0.05);
  }

  @Test
  void anAverageGrowthsFanIsTheAverageSinceTheBaselineEndingOnTheMeasuredInterval() {
    // 2021-2024 at 10%, 14%, 10%, 14% (baseline 2020): the fan's years are the average from 2021 to
    // each year,
    // starting near the 2021-2024 average, and its last year is the period's average (the measured
    // value).
    Map<Integer, Double> rates = new TreeMap<>();
    for (int y = 2015; y <= 2024; y++) {
      rates.put(y, y % 2 == 0 ? 14.0 : 10.0);
    }
    Target t = target(Measure.AVERAGE_GROWTH, Comparison.AT_LEAST, 12.5, "% per year");
    assertThat(odds.compute(t, rates, 2024, "k", null).fan()).isEmpty();
    Odds.Result r = odds.computeWithFan(t, rates, 2024, "k", null);
    assertThat(r.fan())
        .extracting(Odds.FanPoint::year)
        .containsExactly(2025, 2026, 2027, 2028, 2029, 2030);
    double soFar = (Math.pow(1.10 * 1.14 * 1.10 * 1.14, 1 / 4.0) - 1) * 100;
    Odds.FanPoint first = r.fan().get(0);
    assertThat(first.central()).isBetween(soFar - 1.0, soFar + 1.0);
    assertThat(first.lo95()).isGreaterThan(10.0 * 4 / 5).isLessThan(first.central());
    Odds.FanPoint last = r.fan().get(5);
    assertThat(last.central()).isEqualTo(r.central());
    assertThat(last.lo80()).isEqualTo(r.lo80());
    assertThat(last.hi95()).isEqualTo(r.hi95());
    // The years added so far weigh less each year: a draw's average moves less, the fan still
    // widens.
    assertThat(last.hi80() - last.lo80()).isGreaterThan(first.hi80() - first.lo80());
  }

  @Test
  void inTheTargetYearTheOutcomeIsKnown() {
    Map<Integer, Double> s = new TreeMap<>(noisy());
    s.put(2030, 260.0);
    for (int y = 2025; y < 2030; y++) {
      s.put(y, 200.0 + 10 * (y - 2025));
    }
    Odds.Result r =
        odds.compute(target(Measure.LEVEL, Comparison.AT_LEAST, 250, "VND"), s, 2030, "k", null);
    assertThat(r.pMeet()).isEqualTo(1.0);
    assertThat(r.lo95()).isEqualTo(260.0);
    assertThat(r.hi95()).isEqualTo(260.0);
  }

  @Test
  void tooShortASeriesOrOneAcrossABoundaryBreakIsRefusedWithTheReason() {
    Map<Integer, Double> s = Map.of(2020, 10.0, 2021, 11.0, 2022, 12.0, 2023, 13.0);
    Odds.Result r =
        odds.compute(target(Measure.LEVEL, Comparison.AT_LEAST, 20, "VND"), s, 2023, "k", null);
    assertThat(r.refused()).isTrue();
    assertThat(r.note())
        .isEqualTo(
            "3 yearly change(s) between consecutive years up to 2023; the odds need at least 4");
    assertThat(r.central()).isNull();
    // Gaps do not make changes: 2018 and 2020 are two years apart.
    assertThat(
            odds.compute(
                    target(Measure.LEVEL, Comparison.AT_LEAST, 20, "VND"),
                    Map.of(2016, 8.0, 2018, 9.0, 2020, 10.0, 2021, 11.0, 2022, 12.0, 2023, 13.0),
                    2023,
                    "k",
                    null)
                .refused())
        .isTrue();

    Map<Integer, Double> merged = new TreeMap<>(noisy());
    merged.put(2025, 400.0);
    Odds.Result broken =
        odds.compute(
            target(Measure.LEVEL, Comparison.AT_LEAST, 500, "VND"), merged, 2025, "k", 2025);
    assertThat(broken.refused()).isTrue();
    assertThat(broken.note()).contains("boundary change of 2025");
    // Before the break year the same unit's series is one piece.
    assertThat(
            odds.compute(
                    target(Measure.LEVEL, Comparison.AT_LEAST, 500, "VND"), merged, 2024, "k", 2025)
                .refused())
        .isFalse();
  }
}
