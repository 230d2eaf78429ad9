package org.songhong.jobs.environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.songhong.SparkTestSession;
import org.songhong.config.SonghongConfig;
import org.songhong.contract.SchemaResources;
import org.songhong.domain.environment.Aqi;
import org.songhong.domain.environment.EnvironmentCatalog;
import org.songhong.job.JobRegistry;
import org.songhong.job.LakeRuntime;
import org.songhong.sample.EnvironmentGenerator;

/**
 * The environment slice on real Delta tables: a generated registry and a week of hourly readings
 * across the new year (the PM2.5 24-hour limit drops from 50 to 45 on 1 January 2026), faults
 * included, plus a hand-made file with one bad record of each kind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EnvironmentPipelineTest {
  private static final LocalDate FIRST = LocalDate.of(2025, 12, 28);
  private static final LocalDate LAST = LocalDate.of(2026, 1, 3);
  private static final EnvironmentCatalog ENV =
      EnvironmentCatalog.load(
          SchemaResources.open(Path.of("..", "schemas").toAbsolutePath().toString()));
  private LakeRuntime rt;
  private Path dir;
  private Path env;

  static final String HAND_MADE =
      String.join(
              "\n",
              "{\"station_id\":\"HP-XX-999\",\"parameter\":\"COD\",\"value\":80,\"unit\":\"mg/L\",\"timestamp\":\"2026-01-02T01:00:00+00:00\"}",
              "{\"station_id\":\"HP-WW-001\",\"parameter\":\"Arsenic\",\"value\":0.1,\"unit\":\"mg/L\",\"timestamp\":\"2026-01-02T01:00:00+00:00\"}",
              "{\"station_id\":\"HP-WW-001\",\"parameter\":\"COD\",\"value\":80,\"unit\":\"mg/L\",\"timestamp\":\"2026-01-02 01:00\"}",
              "{\"station_id\":\"HP-WW-001\",\"parameter\":\"COD\",\"value\":80,\"unit\":\"kg\",\"timestamp\":\"2026-01-02T01:00:00+00:00\"}",
              "{\"station_id\":\"HP-WW-001\",\"parameter\":\"COD\",\"value\":\"n/a\",\"unit\":\"mg/L\",\"timestamp\":\"2026-01-02T01:00:00+00:00\"}",
              "{\"station_id\":\"HP-AQ-001\",\"parameter\":\"COD\",\"value\":80,\"unit\":\"mg/L\",\"timestamp\":\"2026-01-02T01:00:00+00:00\"}",
              "{\"station_id\":\"HP-WW-001\",\"parameter\":\"COD\",\"val")
          + "\n";

  @BeforeAll
  void setUp(@TempDir Path tmp) throws IOException {
    dir = tmp;
    env = tmp.resolve("input/environment");
    EnvironmentGenerator.Settings s = new EnvironmentGenerator.Settings(3, 4, 11, 0.01, false);
    EnvironmentGenerator.registry(env, s);
    EnvironmentGenerator.readings(env, FIRST, LAST, s, null);
    Files.writeString(
        env.resolve("readings/" + LAST + "/hand_made.jsonl"), HAND_MADE, StandardCharsets.UTF_8);
    addParticleOnlyStationAndAnOzoneOutage();
    rt = runtime(7);
  }

  /**
   * A low-cost sensor that measures PM2.5 only, and a day on which HP-AQ-003's ozone analyser sends
   * nothing.
   */
  private void addParticleOnlyStationAndAnOzoneOutage() throws IOException {
    Files.writeString(
        env.resolve("registry/stations.csv"),
        "HP-AQ-901,ambient_air,\"Cảm biến bụi mịn số 1\",20.8500,106.7000,pm25,,,,,\n",
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);
    for (LocalDate d = FIRST; !d.isAfter(LAST); d = d.plusDays(1)) {
      StringBuilder b = new StringBuilder();
      for (int h = 0; h < 24; h++) {
        b.append(
            String.format(
                java.util.Locale.ROOT,
                "{\"station_id\":\"HP-AQ-901\",\"parameter\":\"PM2.5\",\"value\":%.1f,\"unit\":\"µg/m³\",\"timestamp\":\"%sT%02d:00:00+07:00\"}%n",
                20.0 + (h * 7 + d.getDayOfMonth() * 3) % 40,
                d,
                h));
      }
      Files.writeString(
          env.resolve("readings/" + d + "/lowcost_pm.jsonl"), b.toString(), StandardCharsets.UTF_8);
    }
    Path air = env.resolve("readings/" + OUTAGE + "/air_vendor_a.csv");
    List<String> lines = new java.util.ArrayList<>();
    for (String l : Files.readAllLines(air, StandardCharsets.UTF_8)) {
      lines.add(
          l.startsWith("HP-AQ-003,")
              ? l.substring(0, l.lastIndexOf(',') + 1)
              : l); // O3, the last column, left empty
    }
    Files.write(air, lines, StandardCharsets.UTF_8);
  }

  private static final LocalDate OUTAGE = LocalDate.of(2025, 12, 30);

  private LakeRuntime runtime(int lookback) {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("songhong.lake.path", dir.resolve("lake").toString());
    conf.put("songhong.environment.dir", env.toString());
    conf.put("songhong.environment.lookback.days", String.valueOf(lookback));
    return new LakeRuntime(SparkTestSession.get(), SonghongConfig.of(conf, Map.of()));
  }

  private void runAll(LakeRuntime r, LocalDate d) {
    for (String job :
        List.of(EnvironmentBronzeJob.NAME, EnvironmentSilverJob.NAME, EnvironmentMartsJob.NAME)) {
      r.run(JobRegistry.get(job), d);
    }
  }

  private List<Row> sql(String q) {
    return rt.spark().sql(q).collectAsList();
  }

  private long count(String q) {
    return sql(q).get(0).getLong(0);
  }

  private long version(String table) {
    return rt.lake().version(rt.lake().contract(table));
  }

  @Test
  @Order(1)
  void everyReadingEndsInSilverOrInQuarantineWithItsRule() throws IOException {
    runAll(rt, LAST);
    long sent = 0;
    try (Stream<Path> files = Files.walk(env.resolve("readings"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        List<String> lines = Files.readAllLines(f).stream().filter(l -> !l.isBlank()).toList();
        // a wide CSV holds a reading in each non-empty cell after the station and the time
        sent +=
            f.toString().endsWith(".csv")
                ? lines.stream()
                    .skip(1)
                    .mapToLong(
                        l ->
                            java.util.Arrays.stream(l.split(",", -1))
                                .skip(2)
                                .filter(c -> !c.isBlank())
                                .count())
                    .sum()
                : lines.size();
      }
    }
    long bronze = count("SELECT count(*) FROM bronze.env_readings");
    assertThat(
            bronze
                + count(
                    "SELECT count(*) FROM ops.quarantine WHERE target_table = 'bronze.env_readings'"))
        .isEqualTo(sent);
    long silver = count("SELECT count(*) FROM silver.env_readings");
    long rejected =
        count("SELECT count(*) FROM ops.quarantine WHERE target_table = 'silver.env_readings'");
    assertThat(silver + rejected).isEqualTo(bronze);
    List<Row> hand =
        sql(
            "SELECT source_line, rule, reason FROM ops.quarantine WHERE source_file LIKE '%hand_made.jsonl' ORDER BY 1");
    assertThat(hand)
        .extracting(r -> r.getInt(0) + ":" + r.getString(1))
        .containsExactly(
            "1:unknown_station",
            "2:unknown_parameter",
            "3:bad_timestamp",
            "4:unknown_unit",
            "5:not_a_number",
            "6:parameter_not_registered",
            "7:bad_record");
    assertThat(hand.get(0).getString(2))
        .contains("hand_made.jsonl line 1", "HP-XX-999", "stations.csv");
    assertThat(hand.get(2).getString(2)).contains("offset");
    // Generated readings are all accepted (faults are flagged, not refused) but for the copies sent
    // twice.
    assertThat(
            sql(
                "SELECT DISTINCT rule FROM ops.quarantine WHERE source_file NOT LIKE '%hand_made.jsonl'"))
        .extracting(r -> r.getString(0))
        .containsExactly("duplicate_reading");
    assertThat(count("SELECT count(DISTINCT station_id) FROM silver.env_readings")).isEqualTo(8);
    // The generator sends some lines twice: counted once, the copy in quarantine.
    assertThat(count("SELECT count(*) FROM ops.quarantine WHERE rule = 'duplicate_reading'"))
        .isPositive();
    assertThat(
            count(
                "SELECT count(*) FROM (SELECT station_id, parameter, obs_hour FROM silver.env_readings GROUP BY 1, 2, 3 HAVING count(*) > 1)"))
        .isZero();
  }

  @Test
  @Order(2)
  void coverageIsReportedPerStationDayAndParameter() {
    Row c =
        sql("SELECT hours_received, hours_valid, coverage_pct, hours_stuck + hours_spike + hours_out_of_range FROM "
                + "gold.monitoring_coverage_daily WHERE station_id = 'HP-AQ-001' AND parameter = 'pm25' AND date = DATE'2025-12-30'")
            .get(0);
    long received =
        count(
            "SELECT count(*) FROM silver.env_readings WHERE station_id = 'HP-AQ-001' AND parameter = 'pm25' "
                + "AND local_date = DATE'2025-12-30'");
    long valid =
        count(
            "SELECT count(*) FROM silver.env_readings WHERE station_id = 'HP-AQ-001' AND parameter = 'pm25' "
                + "AND local_date = DATE'2025-12-30' AND valid");
    assertThat(c.getLong(0)).isEqualTo(received);
    assertThat(c.getLong(1)).isEqualTo(valid);
    assertThat(c.getDouble(2)).isCloseTo(Math.round(valid * 1000.0 / 24) / 10.0, within(1e-9));
    assertThat(received).isBetween(20L, 24L);
  }

  @Test
  @Order(2)
  void unitsAreConvertedAndLocalTimesBecomeInstants() {
    // The air vendor writes local time and NO2 in ppb: 2025-12-28 07:00 in Hai Phong is 00:00 UTC.
    Row r =
        sql("SELECT value, value_as_sent, unit, unit_as_sent, local_date FROM silver.env_readings WHERE station_id = 'HP-AQ-001' "
                + "AND parameter = 'no2' AND obs_hour = TIMESTAMP'2025-12-28 00:00:00' AND local_date = DATE'2025-12-28'")
            .get(0);
    assertThat(r.getDouble(0))
        .isCloseTo(Double.parseDouble(r.getString(1)) * 46.0055 / 24.45, within(1e-9));
    assertThat(r.getString(2)).isEqualTo("µg/m³");
    assertThat(r.getString(3)).isEqualTo("ppb");
  }

  @Test
  @Order(3)
  void theDailyIndexIsTheArithmeticOfTheValidHours() {
    Aqi aqi = new Aqi(ENV.aqi());
    Row day =
        sql("SELECT aqi, pm25_24h, valid_pm_hours FROM gold.aqi_daily WHERE station_id = 'HP-AQ-002' AND date = DATE'2025-12-30'")
            .get(0);
    List<Row> hours =
        sql(
            "SELECT parameter, value FROM silver.env_readings WHERE station_id = 'HP-AQ-002' "
                + "AND local_date = DATE'2025-12-30' AND valid");
    double pm25 =
        hours.stream()
            .filter(h -> h.getString(0).equals("pm25"))
            .mapToDouble(h -> h.getDouble(1))
            .average()
            .orElseThrow();
    assertThat(day.getDouble(1)).isCloseTo(pm25, within(1e-9));
    java.util.function.Function<String, Double> max =
        p ->
            hours.stream()
                .filter(h -> h.getString(0).equals(p))
                .mapToDouble(h -> h.getDouble(1))
                .max()
                .orElseThrow();
    double pm10 =
        hours.stream()
            .filter(h -> h.getString(0).equals("pm10"))
            .mapToDouble(h -> h.getDouble(1))
            .average()
            .orElseThrow();
    Double o38 =
        sql("SELECT o3_max_8h FROM gold.aqi_daily WHERE station_id = 'HP-AQ-002' AND date = DATE'2025-12-30'")
            .get(0)
            .getDouble(0);
    int expected =
        aqi.daily(
                max.apply("so2"),
                max.apply("co"),
                max.apply("no2"),
                max.apply("o3"),
                o38,
                pm10,
                pm25)
            .aqi();
    assertThat(day.getInt(0)).isEqualTo(expected);
    assertThat(
            sql("SELECT band_vi FROM gold.aqi_daily WHERE station_id = 'HP-AQ-002' AND date = DATE'2025-12-30'")
                .get(0)
                .getString(0))
        .isEqualTo(aqi.band(expected).vi());
  }

  @Test
  @Order(3)
  void aParticleOnlyStationAndADayWithoutOzoneHaveAnIndexFromWhatWasMeasured() {
    Aqi aqi = new Aqi(ENV.aqi());
    List<Row> pm =
        sql(
            "SELECT date, aqi, dominant_pollutant, pm25_24h, o3_max_1h FROM gold.aqi_daily WHERE station_id = 'HP-AQ-901' ORDER BY date");
    assertThat(pm).hasSize(7);
    for (Row d : pm) {
      double byHand =
          sql("SELECT avg(value) FROM silver.env_readings WHERE station_id = 'HP-AQ-901' AND valid AND local_date = DATE'"
                  + d.getDate(0)
                  + "'")
              .get(0)
              .getDouble(0);
      assertThat(d.getDouble(3)).isCloseTo(byHand, within(1e-9));
      assertThat(d.getInt(1)).isEqualTo(Aqi.roundHalfUp(aqi.subIndex("pm25", byHand)));
      assertThat(d.getString(2)).isEqualTo("pm25");
      assertThat(d.isNullAt(4)).isTrue();
    }
    assertThat(count("SELECT count(*) FROM gold.aqi_hourly WHERE station_id = 'HP-AQ-901'"))
        .isGreaterThan(7 * 20);
    Row outage =
        sql("SELECT aqi, o3_max_1h, o3_max_8h FROM gold.aqi_daily WHERE station_id = 'HP-AQ-003' AND date = DATE'"
                + OUTAGE
                + "'")
            .get(0);
    assertThat(outage.isNullAt(1)).isTrue();
    assertThat(outage.getInt(0)).isEqualTo(expectedDaily(aqi, "HP-AQ-003", OUTAGE));
    // Every day of the full stations is its own readings' arithmetic, whoever else is in the lake.
    for (Row d :
        sql(
            "SELECT station_id, date, aqi FROM gold.aqi_daily WHERE station_id IN ('HP-AQ-001', 'HP-AQ-002', 'HP-AQ-003')")) {
      assertThat(d.getInt(2))
          .as(d.toString())
          .isEqualTo(expectedDaily(aqi, d.getString(0), d.getDate(1).toLocalDate()));
    }
  }

  /**
   * The daily index of a station-day from its valid hours in silver, as the method states (8-hour
   * ozone from the mart).
   */
  private int expectedDaily(Aqi aqi, String station, LocalDate date) {
    List<Row> hours =
        sql(
            "SELECT parameter, value FROM silver.env_readings WHERE station_id = '"
                + station
                + "' AND local_date = DATE'"
                + date
                + "' AND valid");
    int minH = ENV.aqi().dayMinValidHours();
    java.util.function.Function<String, java.util.stream.DoubleStream> of =
        p -> hours.stream().filter(h -> h.getString(0).equals(p)).mapToDouble(h -> h.getDouble(1));
    java.util.function.Function<String, Double> max =
        p -> of.apply(p).boxed().max(Double::compare).orElse(null);
    java.util.function.Function<String, Double> mean =
        p -> of.apply(p).count() >= minH ? of.apply(p).average().orElseThrow() : null;
    Row o38 =
        sql("SELECT o3_max_8h FROM gold.aqi_daily WHERE station_id = '"
                + station
                + "' AND date = DATE'"
                + date
                + "'")
            .get(0);
    return aqi.daily(
            max.apply("so2"),
            max.apply("co"),
            max.apply("no2"),
            max.apply("o3"),
            o38.isNullAt(0) ? null : o38.getDouble(0),
            mean.apply("pm10"),
            mean.apply("pm25"))
        .aqi();
  }

  @Test
  @Order(4)
  void nowCastAndEightHourWindowsCarryAcrossDaysAndRuns() {
    // Hour 00 of 2 January: its NowCast uses the 11 hours of 1 January.
    Aqi aqi = new Aqi(ENV.aqi());
    Row h =
        sql("SELECT nowcast_pm25, obs_hour FROM gold.aqi_hourly WHERE station_id = 'HP-AQ-001' AND local_date = DATE'2026-01-02' "
                + "AND local_hour = 0")
            .get(0);
    Double[] c = new Double[12];
    for (Row r :
        sql(
            "SELECT obs_hour, value FROM silver.env_readings WHERE station_id = 'HP-AQ-001' AND parameter = 'pm25' AND valid "
                + "AND obs_hour BETWEEN TIMESTAMP'2026-01-01 06:00:00' AND TIMESTAMP'2026-01-01 17:00:00'")) {
      c[(int) ((h.getTimestamp(1).getTime() - r.getTimestamp(0).getTime()) / 3_600_000L)] =
          r.getDouble(1);
    }
    assertThat(h.getDouble(0)).isCloseTo(aqi.nowcast(c), within(1e-9));
    // Recomputing 2 January alone (no lookback) yields exactly what the run over the week did.
    long hourly = version("gold.aqi_hourly");
    long daily = version("gold.aqi_daily");
    long exceed = version("gold.air_limit_exceedances_daily");
    runtime(0).run(JobRegistry.get(EnvironmentMartsJob.NAME), LocalDate.of(2026, 1, 2));
    assertThat(version("gold.aqi_hourly")).isEqualTo(hourly);
    assertThat(version("gold.aqi_daily")).isEqualTo(daily);
    assertThat(version("gold.air_limit_exceedances_daily")).isEqualTo(exceed);
  }

  @Test
  @Order(5)
  void exceedancesUseTheLimitInForceOnEachDate() {
    assertThat(
            sql(
                "SELECT DISTINCT limit_value FROM gold.air_limit_exceedances_daily WHERE pollutant = 'pm25' AND date = DATE'2025-12-31'"))
        .singleElement()
        .satisfies(r -> assertThat(r.getDouble(0)).isEqualTo(50.0));
    assertThat(
            sql(
                "SELECT DISTINCT limit_value FROM gold.air_limit_exceedances_daily WHERE pollutant = 'pm25' AND date = DATE'2026-01-01'"))
        .singleElement()
        .satisfies(r -> assertThat(r.getDouble(0)).isEqualTo(45.0));
    // exceeded agrees with the figures
    assertThat(
            count(
                "SELECT count(*) FROM gold.air_limit_exceedances_daily WHERE exceeded <> coalesce(value > limit_value, false)"))
        .isZero();
    assertThat(
            count(
                "SELECT count(*) FROM gold.air_limit_exceedances_daily WHERE averaging = '1h' AND hours_above > valid_hours"))
        .isZero();
  }

  @Test
  @Order(6)
  void wastewaterComplianceFollowsEachPointsStandardAndZonesWithoutAPlantNeverComply() {
    // QCVN 40:2011 column B, Kq 0.9, Kf 1.0: COD 150 * 0.9 = 135 mg/L; pH 5.5-9 unscaled.
    Row cod =
        sql("SELECT limit_max, standard FROM gold.wastewater_compliance_daily WHERE parameter = 'cod' LIMIT 1")
            .get(0);
    assertThat(cod.getDouble(0)).isCloseTo(135.0, within(1e-9));
    assertThat(cod.getString(1)).isEqualTo("QCVN 40:2011 B");
    Row ph =
        sql("SELECT limit_min, limit_max FROM gold.wastewater_compliance_daily WHERE parameter = 'ph' LIMIT 1")
            .get(0);
    assertThat(ph.getDouble(0)).isEqualTo(5.5);
    assertThat(ph.getDouble(1)).isEqualTo(9.0);
    assertThat(
            count(
                "SELECT count(*) FROM gold.wastewater_compliance_daily WHERE compliant <> "
                    + "((limit_min IS NULL OR daily_mean >= limit_min) AND daily_mean <= limit_max)"))
        .isZero();
    List<Row> city =
        sql(
            "SELECT year, compliant_share_pct, note, indicator_code FROM gold.wastewater_compliance_yearly WHERE level = 'city' ORDER BY year");
    assertThat(city).extracting(r -> r.getInt(0)).containsExactly(2025, 2026);
    assertThat(city.get(0).getString(3)).isEqualTo("industrial_zones_wastewater_compliant");
    Row noPlant =
        sql("SELECT compliant, note FROM gold.wastewater_compliance_yearly WHERE unit_id = 'IZ-NAMCAUKIEN' AND year = 2025")
            .get(0);
    assertThat(noPlant.getBoolean(0)).isFalse();
    assertThat(noPlant.getString(1)).contains("no central treatment plant");
    // The city share is the compliant operating zones over all operating zones (all 6 operate).
    long ok =
        count(
            "SELECT count(*) FROM gold.wastewater_compliance_yearly WHERE level = 'industrial_zone' AND year = 2025 AND compliant");
    assertThat(city.get(0).getDouble(1)).isCloseTo(ok * 100.0 / 6, within(1e-9));
  }

  @Test
  @Order(7)
  void aRerunChangesNothing() {
    Map<String, Long> before = new LinkedHashMap<>();
    for (String t :
        List.of(
            "bronze.env_readings",
            "silver.env_readings",
            "gold.aqi_hourly",
            "gold.aqi_daily",
            "ops.quarantine",
            "gold.wastewater_compliance_yearly",
            "silver.env_stations",
            "gold.dash_aqi_daily")) {
      before.put(t, version(t));
    }
    runAll(rt, LAST);
    before.forEach((t, v) -> assertThat(version(t)).as(t).isEqualTo(v));
  }

  /**
   * A reading sent again in a later file (another name, the same station, parameter and hour) is a
   * duplicate of the stored one, and its quarantine row keeps the line as it came: the silver job
   * caches only rejected readings' raw lines, so this one comes back from bronze.
   */
  @Test
  @Order(8)
  void aReadingSentAgainInALaterFileIsQuarantinedWithItsLine() throws IOException {
    String line = Files.readAllLines(env.resolve("readings/" + LAST + "/lowcost_pm.jsonl")).get(5);
    Files.writeString(
        env.resolve("readings/" + LAST + "/lowcost_pm_resent.jsonl"),
        line + "\n",
        StandardCharsets.UTF_8);
    long silver = count("SELECT count(*) FROM silver.env_readings");
    rt.run(JobRegistry.get(EnvironmentBronzeJob.NAME), LAST);
    rt.run(JobRegistry.get(EnvironmentSilverJob.NAME), LAST);
    List<Row> q =
        sql(
            "SELECT rule, reason, raw_record FROM ops.quarantine "
                + "WHERE source_file LIKE '%lowcost_pm_resent.jsonl'");
    assertThat(q).hasSize(1);
    assertThat(q.get(0).getString(0)).isEqualTo("duplicate_reading");
    assertThat(q.get(0).getString(1)).contains("lowcost_pm.jsonl line 6", "stored earlier");
    assertThat(q.get(0).getString(2)).isEqualTo(line);
    assertThat(count("SELECT count(*) FROM silver.env_readings")).isEqualTo(silver);
  }
}
