package org.songhong.publish;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.songhong.contract.Tables;
import org.songhong.lake.KernelTables;

/**
 * The lake's figures as SDMX-CSV 2.0 (README, "SDMX-CSV out"), read through Delta Kernel:
 *
 * <ul>
 *   <li>{@code DF_OBSERVATIONS}: every figure the lake loaded ({@code
 *       silver.provincial_observations}), by indicator, area, year and release, with its unit,
 *       status, publication date and provenance; beside it a source descriptor with which another
 *       songhong lake loads the file back (the {@code sdmx_csv} layout), the same figures with the
 *       same releases;
 *   <li>{@code DF_INDICATOR_SERIES}: {@code gold.indicator_series}, published and derived figures
 *       as known at each release (derived ones carry their derivation);
 *   <li>{@code DF_TARGET_ATTAINMENT}: {@code gold.target_attainment}, each target's figure, status,
 *       chance and interval per area, year and release.
 * </ul>
 *
 * Codes: indicators and targets by their catalog codes, areas by geo id, units by {@link #unitCode}
 * (the catalog's unit in capitals, "%" as PC), statuses as SDMX's A (official), P (preliminary), R
 * (revised). Numbers are written in full (Java's shortest round-trip form, never an exponent).
 */
public final class SdmxExport {
  public static final String AGENCY = "SONGHONG";
  public static final String OBSERVATIONS = Tables.SILVER_PROVINCIAL_OBSERVATIONS;
  public static final String SERIES = Tables.GOLD_INDICATOR_SERIES;
  public static final String ATTAINMENT = Tables.GOLD_TARGET_ATTAINMENT;

  /** The tables an SDMX export reads. */
  public static final List<String> TABLES = List.of(OBSERVATIONS, SERIES, ATTAINMENT);

  private SdmxExport() {}

  /**
   * An SDMX code for a catalog unit: {@code %} is PC, the rest upper case with underscores (billion
   * VND: BILLION_VND).
   */
  public static String unitCode(String unit) {
    String u = unit.strip();
    if (u.equals("%")) {
      return "PC";
    }
    String code =
        u.replace("%", "PC ")
            .toUpperCase(Locale.ROOT)
            .replaceAll("[^A-Z0-9]+", "_")
            .replaceAll("^_|_$", "");
    return code.isEmpty() ? "UNIT" : code;
  }

  static String status(Object releaseStatus) {
    return switch (String.valueOf(releaseStatus)) {
      case "preliminary" -> "P";
      case "revised" -> "R";
      default -> "A";
    };
  }

  /**
   * A number in full: the shortest text that reads back as the same double, never with an exponent.
   */
  static String number(Object v) {
    if (v == null) {
      return "";
    }
    double d = ((Number) v).doubleValue();
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return "NaN";
    }
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }

  /**
   * Writes the three dataflows and the observations' descriptor into {@code dir}; returns the
   * files.
   */
  public static List<Path> write(Path dir, Map<String, KernelTables.Loaded> data, String lakeName)
      throws IOException {
    Files.createDirectories(dir);
    List<Path> out = new ArrayList<>();
    KernelTables.Loaded obs = data.get(OBSERVATIONS);
    Map<String, String> units = new TreeMap<>();
    List<Object[]> published = new ArrayList<>();
    boolean anyIllustrative = false;
    List<List<String>> rows = new ArrayList<>();
    for (Object[] r : Exporter.sorted(obs, "indicator_code", "geo_id", "year", "vintage")) {
      String unit = (String) r[obs.index("unit")];
      units.put(unitCode(unit), unit);
      String provenance = String.valueOf(r[obs.index("provenance")]);
      anyIllustrative |= provenance.equals("illustrative");
      if (provenance.equals("published") && r[obs.index("provenance_source")] != null) {
        published.add(r);
      }
      rows.add(
          List.of(
              "dataflow",
              AGENCY + ":DF_OBSERVATIONS(1.0)",
              "I",
              (String) r[obs.index("indicator_code")],
              (String) r[obs.index("geo_id")],
              String.valueOf(r[obs.index("year")]),
              (String) r[obs.index("vintage")],
              number(r[obs.index("value")]),
              unitCode(unit),
              "0",
              status(r[obs.index("release_status")]),
              String.valueOf(r[obs.index("published_on")]),
              provenance,
              orEmpty(r[obs.index("provenance_source")])));
    }
    out.add(
        csv(
            dir.resolve("DF_OBSERVATIONS.csv"),
            List.of(
                "STRUCTURE",
                "STRUCTURE_ID",
                "ACTION",
                "INDICATOR",
                "REF_AREA",
                "TIME_PERIOD",
                "RELEASE",
                "OBS_VALUE",
                "UNIT_MEASURE",
                "UNIT_MULT",
                "OBS_STATUS",
                "RELEASE_DATE",
                "PROVENANCE",
                "SOURCE"),
            rows));
    out.add(
        descriptor(
            dir.resolve("DF_OBSERVATIONS.source.yaml"),
            lakeName,
            units,
            anyIllustrative,
            published,
            obs));

    KernelTables.Loaded s = data.get(SERIES);
    rows = new ArrayList<>();
    for (Object[] r : Exporter.sorted(s, "indicator_code", "geo_id", "year", "vintage")) {
      rows.add(
          List.of(
              "dataflow",
              AGENCY + ":DF_INDICATOR_SERIES(1.0)",
              "I",
              (String) r[s.index("indicator_code")],
              (String) r[s.index("geo_id")],
              String.valueOf(r[s.index("year")]),
              (String) r[s.index("vintage")],
              number(r[s.index("value")]),
              unitCode((String) r[s.index("unit")]),
              "0",
              String.valueOf(r[s.index("vintage_published_on")]),
              (String) r[s.index("value_vintage")],
              orEmpty(r[s.index("derivation")])));
    }
    out.add(
        csv(
            dir.resolve("DF_INDICATOR_SERIES.csv"),
            List.of(
                "STRUCTURE",
                "STRUCTURE_ID",
                "ACTION",
                "INDICATOR",
                "REF_AREA",
                "TIME_PERIOD",
                "RELEASE",
                "OBS_VALUE",
                "UNIT_MEASURE",
                "UNIT_MULT",
                "RELEASE_DATE",
                "VALUE_RELEASE",
                "DERIVATION"),
            rows));

    KernelTables.Loaded a = data.get(ATTAINMENT);
    rows = new ArrayList<>();
    for (Object[] r : Exporter.sorted(a, "target_id", "geo_id", "as_of_year", "vintage")) {
      rows.add(
          List.of(
              "dataflow",
              AGENCY + ":DF_TARGET_ATTAINMENT(1.0)",
              "I",
              (String) r[a.index("target_id")],
              (String) r[a.index("geo_id")],
              String.valueOf(r[a.index("as_of_year")]),
              (String) r[a.index("vintage")],
              number(r[a.index("measured_value")]),
              unitCode((String) r[a.index("unit")]),
              "0",
              String.valueOf(r[a.index("status")]),
              number(r[a.index("p_meet_target")]),
              number(r[a.index("projected_lo_80")]),
              number(r[a.index("projected_hi_80")]),
              String.valueOf(r[a.index("vintage_published_on")])));
    }
    out.add(
        csv(
            dir.resolve("DF_TARGET_ATTAINMENT.csv"),
            List.of(
                "STRUCTURE",
                "STRUCTURE_ID",
                "ACTION",
                "TARGET",
                "REF_AREA",
                "TIME_PERIOD",
                "RELEASE",
                "OBS_VALUE",
                "UNIT_MEASURE",
                "UNIT_MULT",
                "TARGET_STATUS",
                "P_MEET_TARGET",
                "PROJECTED_LO_80",
                "PROJECTED_HI_80",
                "RELEASE_DATE"),
            rows));
    return out;
  }

  /**
   * A source descriptor (schemas/sources/) with which a songhong lake loads DF_OBSERVATIONS.csv
   * back.
   */
  private static Path descriptor(
      Path file,
      String lakeName,
      Map<String, String> units,
      boolean illustrative,
      List<Object[]> published,
      KernelTables.Loaded obs)
      throws IOException {
    StringBuilder y = new StringBuilder();
    y.append(
            "# Written by songhong export --format sdmx-csv: loads DF_OBSERVATIONS.csv into a songhong lake.\n")
        .append("# Copy this file to schemas/sources/ and the CSV to <input>/provincial/sdmx/.\n")
        .append("source_id: ")
        .append(sourceId(lakeName))
        .append('\n')
        .append(
            "family: provincial_stats\nlayout: sdmx_csv\nfiles: \"provincial/sdmx/DF_OBSERVATIONS.csv\"\n")
        .append(
            "vintage: from-file  # each observation's RELEASE\nrelease_status: official  # OBS_STATUS A\n")
        .append("publisher: ")
        .append(quote("songhong lake " + lakeName))
        .append('\n')
        .append("figures: ")
        .append(illustrative ? "illustrative" : "published")
        .append('\n')
        .append(
            "codes:\n  indicator: {dimension: INDICATOR}\n  area: {dimension: REF_AREA}\n  time: {dimension: TIME_PERIOD}\n")
        .append("  units: {");
    boolean first = true;
    for (Map.Entry<String, String> u : units.entrySet()) {
      y.append(first ? "" : ", ")
          .append(u.getKey())
          .append(": {unit: ")
          .append(quote(u.getValue()))
          .append('}');
      first = false;
    }
    y.append(
            "}\n  status: {P: preliminary, R: revised}\n  vintage: RELEASE\n  published_on: RELEASE_DATE\n")
        .append("  ignore: [PROVENANCE, SOURCE]\n");
    if (!published.isEmpty()) {
      y.append("published:\n");
      for (Object[] r : published) {
        y.append("  - {indicator: ")
            .append(r[obs.index("indicator_code")])
            .append(", geo_id: ")
            .append(r[obs.index("geo_id")])
            .append(", year: ")
            .append(r[obs.index("year")])
            .append(", value: ")
            .append(number(r[obs.index("value")]))
            .append(",\n     source: ")
            .append(quote(String.valueOf(r[obs.index("provenance_source")])))
            .append("}\n");
      }
    }
    return atomically(file, y.toString());
  }

  static String sourceId(String lakeName) {
    String id =
        lakeName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
    return "sdmx_export_" + (id.isEmpty() ? "lake" : id);
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String orEmpty(Object v) {
    return v == null ? "" : String.valueOf(v);
  }

  private static Path csv(Path file, List<String> header, List<List<String>> rows)
      throws IOException {
    StringBuilder text = new StringBuilder(String.join(",", header)).append('\n');
    for (List<String> r : rows) {
      text.append(String.join(",", r.stream().map(Exporter::csvField).toList())).append('\n');
    }
    return atomically(file, text.toString());
  }

  /**
   * Writes {@code text} to a temporary file beside {@code file}, then moves it into place whole.
   */
  static Path atomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    return Files.move(
        tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
