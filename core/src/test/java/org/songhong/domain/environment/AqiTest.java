package org.songhong.domain.environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.songhong.contract.SchemaResources;

/**
 * VN_AQI arithmetic (docs/METHODS.md section 2), every expected value worked by hand in the
 * comments.
 */
class AqiTest {
  private static final EnvironmentCatalog ENV =
      EnvironmentCatalog.load(
          SchemaResources.open(Path.of("..", "schemas").toAbsolutePath().toString()));
  private final Aqi aqi = new Aqi(ENV.aqi());

  @Test
  void eachPollutantInterpolatesBetweenItsBreakpoints() {
    assertThat(aqi.subIndex("pm25", 35.0))
        .isCloseTo(70.0, within(1e-9)); // 50 + (100-50)/(50-25) * (35-25)
    assertThat(aqi.subIndex("pm10", 200.0)).isCloseTo(125.0, within(1e-9)); // 100 + 50/100 * 50
    assertThat(aqi.subIndex("o3_1h", 180.0)).isCloseTo(75.0, within(1e-9)); // 50 + 50/40 * 20
    assertThat(aqi.subIndex("o3_8h", 150.0)).isCloseTo(130.0, within(1e-9)); // 100 + 50/50 * 30
    assertThat(aqi.subIndex("co", 12000.0)).isCloseTo(55.0, within(1e-9)); // 50 + 50/20000 * 2000
    assertThat(aqi.subIndex("so2", 700.0)).isCloseTo(180.0, within(1e-9)); // 150 + 50/250 * 150
    assertThat(aqi.subIndex("no2", 1300.0))
        .isCloseTo(200 + 100.0 / 1150 * 100, within(1e-9)); // 208.695...
    assertThat(aqi.subIndex("pm25", 300.0)).isCloseTo(350.0, within(1e-9)); // 300 + 100/100 * 50
  }

  @Test
  void boundariesBelongToTheUpperSegmentAndTheTopIs500() {
    assertThat(aqi.subIndex("pm25", 25.0)).isEqualTo(50.0); // BP_i <= C: the segment starting at 25
    assertThat(aqi.subIndex("pm25", 0.0)).isEqualTo(0.0);
    assertThat(aqi.subIndex("pm25", 500.0)).isEqualTo(500.0); // at the last breakpoint
    assertThat(aqi.subIndex("pm25", 900.0)).isEqualTo(500.0); // above it
    assertThat(aqi.subIndex("o3_8h", 400.0)).isNull(); // the 8-hour column stops at 300 (400 µg/m³)
    assertThat(aqi.subIndex("pm25", -1.0)).isNull();
    assertThat(aqi.subIndex("pm25", null)).isNull();
  }

  @Test
  void theIndexIsRoundedHalfUp() {
    assertThat(aqi.subIndex("pm10", 51.0)).isEqualTo(50.5); // 50 + 0.5 * 1
    assertThat(Aqi.roundHalfUp(50.5)).isEqualTo(51); // banker's rounding would give 50
    assertThat(Aqi.roundHalfUp(100.49999)).isEqualTo(100);
    assertThat(Aqi.roundHalfUp(0.5)).isEqualTo(1);
    assertThat(aqi.hourly(null, null, null, null, 51.0, null).aqi()).isEqualTo(51);
  }

  @Test
  void nowCastWeighsRecentHoursAndNeedsTwoOfTheLatestThree() {
    // min 10 / max 30 = 0.33 -> w = 0.5: (30 + 0.5*20 + 0.25*10) / (1 + 0.5 + 0.25) = 42.5 / 1.75
    assertThat(aqi.nowcast(new Double[] {30.0, 20.0, 10.0})).isCloseTo(42.5 / 1.75, within(1e-9));
    // The current hour missing: (0.5*20 + 0.25*10) / (0.5 + 0.25) = 12.5 / 0.75
    assertThat(aqi.nowcast(new Double[] {null, 20.0, 10.0})).isCloseTo(12.5 / 0.75, within(1e-9));
    // Only one of the latest three hours: no NowCast.
    assertThat(aqi.nowcast(new Double[] {null, null, 10.0, 10.0, 10.0})).isNull();
    // Steady air: w = 1, the plain mean.
    Double[] steady = new Double[12];
    java.util.Arrays.fill(steady, 40.0);
    assertThat(aqi.nowcast(steady)).isCloseTo(40.0, within(1e-9));
    // w = min/max when above one half: 40/50 = 0.8 -> (50 + 0.8*40) / 1.8
    assertThat(aqi.nowcast(new Double[] {50.0, 40.0})).isCloseTo(82.0 / 1.8, within(1e-9));
    // A gap in the middle keeps each hour's own weight: (50 + 0.8^2*40) / (1 + 0.64)
    assertThat(aqi.nowcast(new Double[] {50.0, null, 40.0}))
        .isCloseTo((50 + 0.64 * 40) / 1.64, within(1e-9));
  }

  @Test
  void theHourlyIndexIsTheLargestSubIndexAndNeedsParticles() {
    Aqi.Result r = aqi.hourly(null, null, null, 180.0, null, 35.0); // O3 75 beats PM2.5 70
    assertThat(r.aqi()).isEqualTo(75);
    assertThat(r.dominant()).isEqualTo("o3");
    assertThat(aqi.hourly(100.0, 5000.0, 50.0, 100.0, null, null).aqi())
        .isNull(); // no PM: no index
    assertThat(aqi.band(75).vi()).isEqualTo("Trung bình");
  }

  @Test
  void theDailyOzoneIndexTakesTheLargerOfOneAndEightHoursUnlessEightHoursIsOffTheTable() {
    // 1 h 180 -> 75; 8 h 150 -> 130: 130
    assertThat(aqi.daily(null, null, null, 180.0, 150.0, null, 20.0).subIndices().get("o3"))
        .isCloseTo(130.0, within(1e-9));
    // 8 h above 400: only the 1-hour index, 1 h 500 -> 200 + 100/400 * 100 = 225
    Aqi.Result r = aqi.daily(null, null, null, 500.0, 450.0, null, 20.0);
    assertThat(r.subIndices().get("o3")).isCloseTo(225.0, within(1e-9));
    assertThat(r.aqi()).isEqualTo(225);
    assertThat(aqi.band(225).en()).isEqualTo("very bad");
  }

  @Test
  void bandsFollowTheDecision() {
    assertThat(aqi.band(50).en()).isEqualTo("good");
    assertThat(aqi.band(51).en()).isEqualTo("moderate");
    assertThat(aqi.band(101).vi()).isEqualTo("Kém");
    assertThat(aqi.band(151).vi()).isEqualTo("Xấu");
    assertThat(aqi.band(300).vi()).isEqualTo("Rất xấu");
    assertThat(aqi.band(301).vi()).isEqualTo("Nguy hại");
    assertThat(aqi.band(301).rgb()).isEqualTo("126,0,35");
  }

  @Test
  void gasesConvertAt25DegreesAndOneAtmosphere() {
    var no2 = ENV.parameter("NO2").orElseThrow();
    assertThat(EnvironmentCatalog.convert(no2, 100, "ppb"))
        .isCloseTo(100 * 46.0055 / 24.45, within(1e-9)); // 188.16
    var co = ENV.parameter("co").orElseThrow();
    assertThat(EnvironmentCatalog.convert(co, 1.0, "mg/m³")).isEqualTo(1000.0);
    assertThat(EnvironmentCatalog.convert(co, 1.0, "ppm"))
        .isCloseTo(1000 * 28.010 / 24.45, within(1e-9)); // 1145.6
    assertThat(EnvironmentCatalog.convert(ENV.parameter("PM2.5").orElseThrow(), 35, "ug/m3"))
        .isEqualTo(35.0);
    assertThat(EnvironmentCatalog.convert(ENV.parameter("PM2.5").orElseThrow(), 35, "ppb"))
        .isNull(); // no molar mass
    assertThat(EnvironmentCatalog.convert(ENV.parameter("COD").orElseThrow(), 80, "mg/L"))
        .isEqualTo(80.0);
    assertThat(EnvironmentCatalog.convert(ENV.parameter("COD").orElseThrow(), 80, "kg")).isNull();
  }

  @Test
  void theLimitInForceDependsOnTheDate() {
    assertThat(ENV.airLimit("pm25", "24h", LocalDate.of(2025, 12, 31)).orElseThrow().limit())
        .isEqualTo(50.0);
    assertThat(ENV.airLimit("pm25", "24h", LocalDate.of(2026, 1, 1)).orElseThrow().limit())
        .isEqualTo(45.0);
    assertThat(ENV.airLimit("pm10", "1h", LocalDate.of(2026, 1, 1))).isEmpty();
  }

  // Concentrations whose sub-indices are worked by hand above
  // (eachPollutantInterpolatesBetweenItsBreakpoints).
  private static final String[] DAILY_INPUTS = {
    "so2", "co", "no2", "o3_1h", "o3_8h", "pm10", "pm25"
  };
  private static final double[] DAILY_VALUES = {700.0, 12000.0, 1300.0, 180.0, 150.0, 200.0, 35.0};
  private static final java.util.Map<String, Double> SUB_INDEX =
      java.util.Map.of(
          "so2",
          180.0,
          "co",
          55.0,
          "no2",
          200 + 100.0 / 1150 * 100,
          "o3_1h",
          75.0,
          "o3_8h",
          130.0,
          "pm10",
          125.0,
          "pm25",
          70.0);

  @Test
  void everyCombinationOfPresentAndMissingPollutantsGivesADailyIndexWhenParticlesArePresent() {
    for (int mask = 0; mask < 1 << DAILY_INPUTS.length; mask++) {
      Double[] v = new Double[DAILY_INPUTS.length];
      java.util.Map<String, Double> expected = new java.util.HashMap<>();
      for (int i = 0; i < v.length; i++) {
        if ((mask & 1 << i) != 0) {
          v[i] = DAILY_VALUES[i];
          String pollutant = DAILY_INPUTS[i].startsWith("o3") ? "o3" : DAILY_INPUTS[i];
          expected.merge(pollutant, SUB_INDEX.get(DAILY_INPUTS[i]), Math::max);
        }
      }
      Aqi.Result r = aqi.daily(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
      String present = java.util.Arrays.toString(v);
      for (String p : java.util.List.of("so2", "co", "no2", "o3", "pm10", "pm25")) {
        assertThat(r.subIndices().get(p)).as(p + " of " + present).isEqualTo(expected.get(p));
      }
      if (!expected.containsKey("pm25") && !expected.containsKey("pm10")) {
        assertThat(r.aqi()).as("no particles, no index: " + present).isNull();
        assertThat(r.dominant()).isNull();
        continue;
      }
      var top =
          expected.entrySet().stream().max(java.util.Map.Entry.comparingByValue()).orElseThrow();
      assertThat(r.aqi()).as(present).isEqualTo(Aqi.roundHalfUp(top.getValue()));
      assertThat(r.dominant()).as(present).isEqualTo(top.getKey());
    }
  }

  @Test
  void everyCombinationOfPresentAndMissingPollutantsGivesAnHourlyIndexWhenParticlesArePresent() {
    String[] inputs = {"so2", "co", "no2", "o3_1h", "pm10", "pm25"};
    for (int mask = 0; mask < 1 << inputs.length; mask++) {
      Double[] v = new Double[inputs.length];
      java.util.Map<String, Double> expected = new java.util.HashMap<>();
      for (int i = 0; i < v.length; i++) {
        if ((mask & 1 << i) != 0) {
          v[i] = DAILY_VALUES[java.util.Arrays.asList(DAILY_INPUTS).indexOf(inputs[i])];
          expected.put(inputs[i].equals("o3_1h") ? "o3" : inputs[i], SUB_INDEX.get(inputs[i]));
        }
      }
      Aqi.Result r = aqi.hourly(v[0], v[1], v[2], v[3], v[4], v[5]);
      String present = java.util.Arrays.toString(v);
      if (!expected.containsKey("pm25") && !expected.containsKey("pm10")) {
        assertThat(r.aqi()).as("no particles, no index: " + present).isNull();
        continue;
      }
      var top =
          expected.entrySet().stream().max(java.util.Map.Entry.comparingByValue()).orElseThrow();
      assertThat(r.aqi()).as(present).isEqualTo(Aqi.roundHalfUp(top.getValue()));
      assertThat(r.dominant()).as(present).isEqualTo(top.getKey());
      assertThat(r.subIndices().get("o3")).as(present).isEqualTo(expected.get("o3"));
    }
  }

  @Test
  void aParticleOnlyStationHasAnIndexFromParticlesAlone() {
    Aqi.Result day =
        aqi.daily(null, null, null, null, null, null, 35.0); // a low-cost PM2.5 sensor: 70
    assertThat(day.aqi()).isEqualTo(70);
    assertThat(day.dominant()).isEqualTo("pm25");
    assertThat(day.subIndices().get("o3")).isNull();
    assertThat(aqi.hourly(null, null, null, null, null, 35.0).aqi()).isEqualTo(70);
  }
}
