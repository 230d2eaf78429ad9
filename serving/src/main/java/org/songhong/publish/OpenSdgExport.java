package org.songhong.publish;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.songhong.contract.Tables;
import org.songhong.lake.KernelTables;

/**
 * The targets as an Open SDG reporting site reads them (README, "Open SDG out"): for each target of
 * {@code gold.scorecard}, {@code data/indicator_G-T-I.csv} (its indicator's series in the
 * scorecard's release: the target's own unit as the headline, the other units as the {@code
 * Geography} disaggregation) and {@code meta/G-T-I.md} (the target's wording, status, chance and
 * sources as YAML front matter). Resolution 30's targets become goal 30: HP30-01 is 30-1-1,
 * HP30-11b is 30-11-2. Read through Delta Kernel.
 */
public final class OpenSdgExport {
  public static final String SCORECARD = Tables.GOLD_SCORECARD;
  public static final String SERIES = Tables.GOLD_INDICATOR_SERIES;
  public static final List<String> TABLES = List.of(SCORECARD, SERIES);
  private static final Pattern TARGET = Pattern.compile("^[A-Z]+(\\d+)-(\\d+)([a-z]?)$");

  private OpenSdgExport() {}

  /**
   * The Open SDG id of a target id ({@code HP30-11b} -> {@code 30-11-2}), or null when it has
   * another shape.
   */
  public static String indicatorId(String targetId) {
    Matcher m = TARGET.matcher(targetId);
    if (!m.matches()) {
      return null;
    }
    int sub = m.group(3).isEmpty() ? 1 : m.group(3).charAt(0) - 'a' + 1;
    return Integer.parseInt(m.group(1)) + "-" + Integer.parseInt(m.group(2)) + "-" + sub;
  }

  /**
   * Writes data/ and meta/ under {@code dir}; {@code names} gives each geo id's name. Returns the
   * files written.
   */
  public static List<Path> write(
      Path dir, Map<String, KernelTables.Loaded> data, Map<String, String> names)
      throws IOException {
    Files.createDirectories(dir.resolve("data"));
    Files.createDirectories(dir.resolve("meta"));
    KernelTables.Loaded sc = data.get(SCORECARD);
    KernelTables.Loaded s = data.get(SERIES);
    List<Path> out = new ArrayList<>();
    List<Object[]> targets = new ArrayList<>(sc.rows());
    targets.sort(Comparator.comparing(r -> (String) r[sc.index("target_id")]));
    for (Object[] t : targets) {
      String target = (String) t[sc.index("target_id")];
      String id = indicatorId(target);
      if (id == null) {
        continue;
      }
      String indicator = (String) t[sc.index("indicator_code")];
      String geo = (String) t[sc.index("geo_id")];
      String vintage = (String) t[sc.index("vintage")];
      List<Object[]> rows = new ArrayList<>();
      for (Object[] r : s.rows()) {
        if (indicator.equals(r[s.index("indicator_code")])
            && vintage.equals(r[s.index("vintage")])) {
          rows.add(r);
        }
      }
      // Headline (no disaggregation) first, then each other unit; by year within each.
      rows.sort(
          Comparator.<Object[], Boolean>comparing(r -> !geo.equals(r[s.index("geo_id")]))
              .thenComparing(r -> (String) r[s.index("geo_id")])
              .thenComparing(r -> (Integer) r[s.index("year")]));
      List<String> lines = new ArrayList<>();
      lines.add("Year,Geography,Units,Value");
      for (Object[] r : rows) {
        String g = (String) r[s.index("geo_id")];
        lines.add(
            r[s.index("year")]
                + ","
                + (g.equals(geo) ? "" : Exporter.csvField(names.getOrDefault(g, g)))
                + ","
                + Exporter.csvField((String) r[s.index("unit")])
                + ","
                + SdmxExport.number(r[s.index("value")]));
      }
      out.add(
          SdmxExport.atomically(
              dir.resolve("data/indicator_" + id + ".csv"), String.join("\n", lines) + "\n"));
      out.add(
          SdmxExport.atomically(
              dir.resolve("meta/" + id + ".md"),
              meta(id, target, t, sc, rows.isEmpty(), names.getOrDefault(geo, geo))));
    }
    return out;
  }

  private static String meta(
      String id, String target, Object[] t, KernelTables.Loaded sc, boolean empty, String geoName) {
    String number = id.replace('-', '.');
    StringBuilder y = new StringBuilder("---\n");
    field(y, "indicator_number", number);
    field(y, "indicator_name", (String) t[sc.index("wording_en")]);
    field(y, "indicator_name_vi", (String) t[sc.index("wording_vi")]);
    field(y, "target_id", number.substring(0, number.lastIndexOf('.')));
    field(y, "sdg_goal", number.substring(0, number.indexOf('.')));
    field(y, "reporting_status", empty ? "notstarted" : "complete");
    y.append("published: true\ndata_non_statistical: false\ngraph_type: line\n");
    field(y, "graph_title", target + ": " + t[sc.index("wording_en")]);
    field(y, "computation_units", (String) t[sc.index("unit")]);
    field(y, "national_geographical_coverage", geoName);
    field(y, "songhong_target", target);
    field(y, "songhong_release", (String) t[sc.index("vintage")]);
    field(y, "songhong_status", String.valueOf(t[sc.index("status")]));
    Object p = t[sc.index("p_meet_target")];
    if (p != null) {
      field(y, "songhong_chance_of_meeting_target", SdmxExport.number(p));
    }
    if (Boolean.TRUE.equals(t[sc.index("rests_on_illustrative")])) {
      field(
          y,
          "songhong_note",
          "rests on figures invented for the sample (illustrative): do not quote");
    }
    Object sources = t[sc.index("published_sources")];
    int i = 1;
    if (sources instanceof List<?> list) {
      for (Object src : list) {
        y.append("source_active_").append(i).append(": true\n");
        field(y, "source_url_" + i, String.valueOf(src));
        i++;
      }
    }
    return y.append("---\n").toString();
  }

  private static void field(StringBuilder y, String key, String value) {
    y.append(key)
        .append(": \"")
        .append(value == null ? "" : value.replace("\\", "\\\\").replace("\"", "\\\""))
        .append("\"\n");
  }
}
