package org.songhong.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.songhong.bench.DuckDbPipeline.Compared;
import org.songhong.contract.SchemaResources;
import org.songhong.domain.environment.EnvironmentCatalog;
import org.songhong.domain.geo.NameNormalizer;
import org.songhong.lake.SqlLiterals;

/**
 * The environment pipeline in DuckDB ({@code environment.duckdb.sql}): the monitor files under
 * {@code readings/} and the registry, the catalogue of {@code schemas/reference/environment.yaml}
 * as VALUES rows, and the seven tables compared with Spark's.
 */
final class EnvironmentDuckDb implements DuckDbPipeline.Pipeline {
  @Override
  public String resource() {
    return "environment.duckdb.sql";
  }

  @Override
  public List<Compared> tables() {
    return TABLES;
  }

  private static final List<Compared> TABLES =
      List.of(
          new Compared(
              "bronze_rows",
              "bronze.env_readings",
              List.of(
                  "file_date",
                  "source_file",
                  "source_checksum",
                  "source_line",
                  "source_column",
                  "raw_line",
                  "station",
                  "parameter",
                  "value",
                  "unit",
                  "timestamp",
                  "local_time_zone"),
              null),
          new Compared(
              "quarantined",
              "ops.quarantine",
              List.of("source_file", "source_checksum", "source_line", "source_column", "rule"),
              "target_table IN ('bronze.env_readings', 'silver.env_readings')"),
          new Compared(
              "silver",
              "silver.env_readings",
              List.of(
                  "local_date",
                  "obs_hour",
                  "station_id",
                  "parameter",
                  "value",
                  "unit",
                  "value_as_sent",
                  "unit_as_sent",
                  "flags",
                  "valid",
                  "file_date",
                  "source_file",
                  "source_checksum",
                  "source_line",
                  "source_column"),
              null),
          new Compared(
              "aqi_hourly",
              "gold.aqi_hourly",
              List.of(
                  "local_date",
                  "obs_hour",
                  "local_hour",
                  "station_id",
                  "aqi",
                  "band",
                  "band_vi",
                  "band_rgb",
                  "dominant_pollutant",
                  "nowcast_pm25",
                  "nowcast_pm10",
                  "aqi_pm25",
                  "aqi_pm10",
                  "aqi_o3",
                  "aqi_no2",
                  "aqi_so2",
                  "aqi_co"),
              null),
          new Compared(
              "aqi_daily",
              "gold.aqi_daily",
              List.of(
                  "station_id",
                  "date",
                  "aqi",
                  "band",
                  "band_vi",
                  "band_rgb",
                  "dominant_pollutant",
                  "pm25_24h",
                  "pm10_24h",
                  "o3_max_1h",
                  "o3_max_8h",
                  "no2_max_1h",
                  "so2_max_1h",
                  "co_max_1h",
                  "valid_pm_hours"),
              null),
          new Compared(
              "exceedances",
              "gold.air_limit_exceedances_daily",
              List.of(
                  "station_id",
                  "date",
                  "pollutant",
                  "averaging",
                  "value",
                  "limit_value",
                  "limit_from",
                  "hours_above",
                  "valid_hours",
                  "valid_day",
                  "exceeded"),
              null),
          new Compared(
              "wastewater_compliance_daily",
              "gold.wastewater_compliance_daily",
              List.of(
                  "station_id",
                  "industrial_zone_id",
                  "date",
                  "parameter",
                  "daily_mean",
                  "limit_min",
                  "limit_max",
                  "standard",
                  "compliant"),
              null));

  /** The placeholders' values: file lists and the catalogue's reference data as VALUES rows. */
  @Override
  public Map<String, String> values(SchemaResources schemas, Path landing) throws IOException {
    EnvironmentCatalog cat = EnvironmentCatalog.load(schemas);
    Map<String, String> v = new LinkedHashMap<>();
    v.put(
        "files",
        DuckDbPipeline.files(landing.resolve("readings")).stream()
            .map(DuckDbPipeline::lit)
            .collect(Collectors.joining(", ")));
    v.put("stations", landing.resolve("registry/stations.csv").toString().replace("'", "''"));
    List<String> names = new ArrayList<>();
    List<String> params = new ArrayList<>();
    for (EnvironmentCatalog.Parameter p : cat.parameters()) {
      java.util.Set<String> keys = new java.util.LinkedHashSet<>();
      keys.add(NameNormalizer.key(p.code()));
      p.names().forEach(n -> keys.add(NameNormalizer.key(n)));
      keys.forEach(
          k -> names.add("(" + DuckDbPipeline.lit(k) + ", " + DuckDbPipeline.lit(p.code()) + ")"));
      params.add(
          "("
              + String.join(
                  ", ",
                  DuckDbPipeline.lit(p.code()),
                  DuckDbPipeline.lit(p.unit()),
                  DuckDbPipeline.lit(
                      p.unit()
                          .toLowerCase(Locale.ROOT)
                          .replace("µ", "u")
                          .replace("³", "3")
                          .replace(" ", "")),
                  SqlLiterals.doubleOrNull(p.molarMass()),
                  SqlLiterals.doubleOrNull(p.min()),
                  SqlLiterals.doubleOrNull(p.max()))
              + ")");
    }
    v.put("param_names", String.join(", ", names));
    v.put("params", String.join(", ", params));
    List<String> bp = new ArrayList<>();
    List<Integer> idx = cat.aqi().index();
    cat.aqi()
        .breakpoints()
        .forEach(
            (col, b) -> {
              for (int i = 0; i + 1 < b.size(); i++) {
                bp.add(
                    String.format(
                        Locale.ROOT,
                        "('%s', %s, %s, %d.0, %d.0)",
                        col,
                        b.get(i),
                        b.get(i + 1),
                        idx.get(i),
                        idx.get(i + 1)));
              }
              if (b.size() == idx.size()) {
                bp.add(
                    String.format(
                        Locale.ROOT,
                        "('%s', %s, NULL, %d.0, %d.0)",
                        col,
                        b.get(b.size() - 1),
                        idx.get(idx.size() - 1),
                        idx.get(idx.size() - 1)));
              }
            });
    v.put("breakpoints", String.join(", ", bp));
    v.put(
        "bands",
        cat.aqi().bands().stream()
            .map(
                b ->
                    "("
                        + b.max()
                        + ", "
                        + DuckDbPipeline.lit(b.en())
                        + ", "
                        + DuckDbPipeline.lit(b.vi())
                        + ", "
                        + DuckDbPipeline.lit(b.rgb())
                        + ")")
            .collect(Collectors.joining(", ")));
    v.put(
        "air_limits",
        cat.airLimits().stream()
            .map(
                l ->
                    "("
                        + DuckDbPipeline.lit(l.pollutant())
                        + ", "
                        + DuckDbPipeline.lit(l.averaging())
                        + ", "
                        + SqlLiterals.doubleOrNull(l.limit())
                        + ", DATE '"
                        + l.from()
                        + "')")
            .collect(Collectors.joining(", ")));
    v.put(
        "ww_limits",
        cat.wastewaterLimits().stream()
            .map(
                l ->
                    "("
                        + String.join(
                            ", ",
                            DuckDbPipeline.lit(l.standard()),
                            DuckDbPipeline.lit(l.parameter()),
                            SqlLiterals.doubleOrNull(l.aMin()),
                            SqlLiterals.doubleOrNull(l.aMax()),
                            SqlLiterals.doubleOrNull(l.bMin()),
                            SqlLiterals.doubleOrNull(l.bMax()),
                            String.valueOf(l.scaled()))
                        + ")")
            .collect(Collectors.joining(", ")));
    v.put("stuck_hours", String.valueOf(cat.qc().stuckHours()));
    v.put("spike_factor", String.valueOf(cat.qc().spikeFactor()));
    v.put("nowcast_preceding", String.valueOf(cat.aqi().nowcastHours() - 1));
    v.put("nowcast_min_recent", String.valueOf(cat.aqi().nowcastMinRecent()));
    v.put("o3_8h_min_hours", String.valueOf(cat.aqi().o38hMinHours()));
    v.put("day_min_valid_hours", String.valueOf(cat.aqi().dayMinValidHours()));
    return v;
  }
}
