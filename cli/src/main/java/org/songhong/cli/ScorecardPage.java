package org.songhong.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.songhong.contract.Presentation;

/**
 * Renders scorecard rows as a self-contained HTML page (no script, no external asset) or Markdown.
 */
final class ScorecardPage {

  private ScorecardPage() {}

  /**
   * The page; each status in Vietnamese and English on its colour
   * (schemas/reference/presentation.yaml).
   */
  static String html(List<Row> rows, Presentation presentation) {
    StringBuilder b =
        new StringBuilder(
            """
        <!doctype html><html lang="vi"><head><meta charset="utf-8">
        <title>Hai Phong 2030 targets: scorecard</title>
        <style>
        body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#212529}
        table{border-collapse:collapse;width:100%}th,td{padding:6px 8px;border-bottom:1px solid #dee2e6;vertical-align:top;text-align:left}
        th{background:#f1f3f5}.status{color:#fff;border-radius:4px;padding:2px 6px;white-space:nowrap}.num{text-align:right}
        .en{color:#495057;font-size:12px}
        </style></head><body>
        <h1>Mục tiêu 2030 của Hải Phòng / Hai Phong's 2030 targets</h1>
        <p>Resolution 30-NQ/TW. Status as docs/METHODS.md defines it; the latest release of the figures.</p>
        <table><thead><tr><th>Target</th><th>Status</th><th class="num">Value</th><th>Target</th><th>Trend</th><th>Explanation</th></tr></thead><tbody>
        """);
    for (Row r : rows) {
      Presentation.Status status = presentation.status(r.getAs("status"));
      String colour = "#" + status.colour();
      b.append("<tr><td><b>")
          .append(esc(r.getAs("target_id")))
          .append("</b><br>")
          .append(esc(r.getAs("wording_vi")))
          .append("<div class=en>")
          .append(esc(r.getAs("wording_en")))
          .append("</div></td>")
          .append("<td><span class=status style=\"background:")
          .append(colour)
          .append("\">")
          .append(esc(status.vi()))
          .append("</span><div class=en>")
          .append(esc(status.en()))
          .append("</div></td><td class=num>")
          .append(r.isNullAt(r.fieldIndex("value")) ? "–" : fmt(r.getAs("value")))
          .append("<div class=en>")
          .append(esc(r.getAs("unit")))
          .append(", ")
          .append(r.<Integer>getAs("as_of_year"))
          .append("</div></td><td>")
          .append(esc(r.getAs("target")))
          .append(" (")
          .append(r.<Integer>getAs("target_year"))
          .append(")</td><td>")
          .append(sparkline(r.getList(r.fieldIndex("sparkline")), colour))
          .append("</td><td>")
          .append(esc(r.getAs("explanation_vi")))
          .append("<div class=en>")
          .append(esc(r.getAs("explanation_en")))
          .append("</div></td></tr>\n");
    }
    return b.append("</tbody></table></body></html>\n").toString();
  }

  static String markdown(List<Row> rows) {
    StringBuilder b =
        new StringBuilder(
            "# Hai Phong's 2030 targets: scorecard\n\n"
                + "| target | status | value | target | year | explanation |\n|---|---|---:|---|---:|---|\n");
    for (Row r : rows) {
      b.append("| ")
          .append(r.<String>getAs("target_id"))
          .append(" | ")
          .append(r.<String>getAs("status"))
          .append(" | ")
          .append(r.isNullAt(r.fieldIndex("value")) ? "" : fmt(r.getAs("value")))
          .append(" | ")
          .append(r.<String>getAs("target").replace("|", "\\|"))
          .append(" | ")
          .append(r.<Integer>getAs("as_of_year"))
          .append(" | ")
          .append(r.<String>getAs("explanation_en"))
          .append(" / ")
          .append(r.<String>getAs("explanation_vi"))
          .append(" |\n");
    }
    return b.toString();
  }

  /** An inline SVG polyline of the yearly values, 120 x 28 px. */
  static String sparkline(List<Row> points, String colour) {
    if (points == null || points.size() < 2) {
      return "";
    }
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (Row p : points) {
      min = Math.min(min, p.getDouble(1));
      max = Math.max(max, p.getDouble(1));
    }
    List<String> xy = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      double x = 2 + 116.0 * i / (points.size() - 1);
      double y = max == min ? 14 : 26 - 24 * (points.get(i).getDouble(1) - min) / (max - min);
      xy.add(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
    }
    return "<svg width=120 height=28 role=img aria-label=trend><polyline fill=none stroke=\""
        + colour
        + "\" stroke-width=2 points=\""
        + String.join(" ", xy)
        + "\"/></svg>";
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : "%.2f", v);
  }

  private static String esc(Object o) {
    return o == null
        ? ""
        : o.toString()
            .replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace("\"", "&quot;");
  }
}
