package org.songhong.jobs.environment;

import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.songhong.domain.environment.EnvironmentCatalog;
import org.songhong.error.Errors;
import org.songhong.io.CsvLine;

/**
 * The station registry ({@code environment/registry/stations.csv}) and the industrial zones ({@code
 * environment/registry/industrial_zones.csv}). They are reference data the readings are checked
 * against, so an error in them stops the run with the file, line and what to fix.
 */
public final class Registry {
  static final List<String> STATION_COLUMNS =
      List.of(
          "station_id",
          "kind",
          "name",
          "latitude",
          "longitude",
          "parameters",
          "industrial_zone_id",
          "standard",
          "standard_column",
          "kq",
          "kf");
  static final List<String> ZONE_COLUMNS =
      List.of("zone_id", "name", "operating_since", "central_plant_since");

  private Registry() {}

  static List<Map<String, String>> table(String file, byte[] bytes, List<String> expected) {
    String[] lines = new String(bytes, StandardCharsets.UTF_8).replace("\uFEFF", "").split("\r?\n");
    List<String> header = CsvLine.split(lines[0], ',').stream().map(String::strip).toList();
    if (!header.equals(expected)) {
      throw Errors.badInputFile(
          file, "line 1 is '" + lines[0] + "'", "the header must be " + String.join(",", expected));
    }
    List<Map<String, String>> out = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      List<String> cells = CsvLine.split(lines[i], ',');
      if (cells.size() != header.size()) {
        throw Errors.badInputFile(
            file,
            "line " + (i + 1) + " has " + cells.size() + " fields, the header " + header.size(),
            "quote values that contain commas");
      }
      Map<String, String> row = new HashMap<>();
      for (int c = 0; c < cells.size(); c++) {
        row.put(header.get(c), cells.get(c).strip());
      }
      row.put("_line", String.valueOf(i + 1));
      out.add(row);
    }
    return out;
  }

  /** Rows of silver.env_stations, checked against the catalog's parameters and standards. */
  public static List<Row> stations(
      String file, byte[] bytes, EnvironmentCatalog env, Set<String> zones) {
    List<Row> out = new ArrayList<>();
    Set<String> standards = new java.util.HashSet<>();
    env.wastewaterLimits().forEach(l -> standards.add(l.standard()));
    for (Map<String, String> r : table(file, bytes, STATION_COLUMNS)) {
      String where = "line " + r.get("_line");
      String kind = r.get("kind");
      if (!Set.of("ambient_air", "surface_water", "wastewater").contains(kind)) {
        throw Errors.badInputFile(
            file, where + ": kind '" + kind + "'", "use ambient_air, surface_water or wastewater");
      }
      List<String> params = new ArrayList<>();
      for (String p : r.get("parameters").split(";")) {
        params.add(
            env.parameter(p)
                .orElseThrow(
                    () ->
                        Errors.badInputFile(
                            file,
                            where + ": unknown parameter '" + p + "'",
                            "use a code or name from schemas/reference/environment.yaml"))
                .code());
      }
      String zone = blank(r.get("industrial_zone_id"));
      Double kq = number(file, where, r.get("kq"));
      Double kf = number(file, where, r.get("kf"));
      if (kind.equals("wastewater")) {
        if (zone == null || !zones.contains(zone)) {
          throw Errors.badInputFile(
              file,
              where + ": discharge point " + r.get("station_id") + " names zone '" + zone + "'",
              "name a zone_id of industrial_zones.csv");
        }
        if (!standards.contains(r.get("standard"))
            || !Set.of("A", "B").contains(r.get("standard_column"))
            || kq == null
            || kf == null) {
          throw Errors.badInputFile(
              file,
              where + ": discharge point " + r.get("station_id") + " lacks its standard",
              "give standard (one of " + standards + "), standard_column A or B, kq and kf");
        }
      }
      out.add(
          RowFactory.create(
              r.get("station_id"),
              kind,
              r.get("name"),
              number(file, where, r.get("latitude")),
              number(file, where, r.get("longitude")),
              scala.jdk.javaapi.CollectionConverters.asScala(params).toSeq(),
              zone,
              blank(r.get("standard")),
              blank(r.get("standard_column")),
              kq,
              kf,
              file));
    }
    return out;
  }

  public static List<Row> zones(String file, byte[] bytes) {
    List<Row> out = new ArrayList<>();
    for (Map<String, String> r : table(file, bytes, ZONE_COLUMNS)) {
      String where = "line " + r.get("_line");
      out.add(
          RowFactory.create(
              r.get("zone_id"),
              r.get("name"),
              date(file, where, r.get("operating_since")),
              date(file, where, r.get("central_plant_since")),
              file));
    }
    return out;
  }

  private static String blank(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static Double number(String file, String where, String s) {
    if (blank(s) == null) {
      return null;
    }
    try {
      return Double.valueOf(s);
    } catch (NumberFormatException e) {
      throw Errors.badInputFile(
          file, where + ": '" + s + "' is not a number", "write numbers as 106.68");
    }
  }

  private static Date date(String file, String where, String s) {
    if (blank(s) == null) {
      return null;
    }
    try {
      return Date.valueOf(LocalDate.parse(s));
    } catch (DateTimeParseException e) {
      throw Errors.badInputFile(
          file, where + ": '" + s + "' is not a date", "write dates as 2019-06-30");
    }
  }
}
