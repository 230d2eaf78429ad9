package org.songhong.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

/**
 * Writes benchmark results: one CSV row per measure appended to {@code bench/results/NAME.csv}
 * (date, machine, parameters, measure, value, unit), and an SVG bar chart of the latest run.
 */
public final class Results {
  /** One measured figure. */
  public record Measure(String name, double value, String unit) {}

  private Results() {}

  public static void write(
      Path dir, String bench, String parameters, Machine machine, List<Measure> measures)
      throws IOException {
    Files.createDirectories(dir);
    Path csv = dir.resolve(bench + ".csv");
    String date = LocalDateTime.now(ZoneOffset.UTC).withNano(0).toString();
    StringBuilder b = new StringBuilder();
    if (!Files.exists(csv)) {
      b.append("run_at_utc,benchmark,machine,parameters,measure,value,unit\n");
    }
    for (Measure m : measures) {
      b.append(
              String.join(
                  ",",
                  date,
                  bench,
                  quote(machine.toString()),
                  quote(parameters),
                  m.name(),
                  String.format(Locale.ROOT, "%.4f", m.value()),
                  m.unit()))
          .append('\n');
    }
    Files.writeString(
        csv, b, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    Files.writeString(
        dir.resolve(bench + "-latest.svg"),
        svg(bench + " (" + date + ")", machine + "; " + parameters, measures),
        StandardCharsets.UTF_8);
  }

  private static String quote(String s) {
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }

  /** A horizontal bar chart, one bar per measure, bars scaled within each unit. */
  static String svg(String title, String subtitle, List<Measure> measures) {
    int rowH = 28;
    int w = 900;
    int h = 70 + rowH * measures.size();
    StringBuilder s =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif' font-size='12'>"
                    + "<rect width='100%%' height='100%%' fill='white'/><text x='10' y='20' font-size='15'>%s</text>"
                    + "<text x='10' y='38' fill='#555'>%s</text>",
                w,
                h,
                esc(title),
                esc(subtitle)));
    for (int i = 0; i < measures.size(); i++) {
      Measure m = measures.get(i);
      double max =
          measures.stream()
              .filter(x -> x.unit().equals(m.unit()))
              .mapToDouble(Measure::value)
              .max()
              .orElse(1);
      int y = 55 + i * rowH;
      int len = (int) Math.round(max <= 0 ? 0 : m.value() / max * 380);
      s.append(
          String.format(
              Locale.ROOT,
              "<text x='10' y='%d'>%s</text><rect x='300' y='%d' width='%d' height='18' fill='#3b7dd8'/>"
                  + "<text x='%d' y='%d'>%s %s</text>",
              y + 13,
              esc(m.name()),
              y,
              Math.max(len, 1),
              306 + len,
              y + 13,
              fmt(m.value()),
              esc(m.unit())));
    }
    return s.append("</svg>\n").toString();
  }

  public static String fmt(double v) {
    return Math.abs(v) >= 100
        ? String.format(Locale.ROOT, "%,.0f", v)
        : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
