package org.songhong.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.songhong.error.Errors;
import org.songhong.job.LakeRuntime;
import org.songhong.lake.SqlLiterals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code songhong explain TARGET}: how a status was reached, with every figure and formula. */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description =
        "Show how a target's status was reached: the figures used (release, file, line), derivations, "
            + "and the formulas of docs/METHODS.md with the numbers filled in.")
final class ExplainCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "TARGET_ID", description = "A target id, e.g. HP30-01.")
  String targetId;

  @Option(
      names = "--geo",
      paramLabel = "GEO_ID",
      description = "Unit (default: the target's own; e.g. VN-31-2025 for the merged city).")
  String geo;

  @Option(
      names = "--vintage",
      paramLabel = "RELEASE",
      description = "Release (default: the latest).")
  String vintage;

  @Option(
      names = "--year",
      paramLabel = "YEAR",
      description = "As-of year (default: the latest in that release).")
  Integer year;

  @Mixin LakeOptions lake;

  @Override
  public Integer call() {
    LakeRuntime rt = Sessions.open(lake.config(), "explain");
    List<String> where = new ArrayList<>();
    where.add("target_id = " + SqlLiterals.string(targetId));
    if (geo != null) {
      where.add("geo_id = " + SqlLiterals.string(geo));
    }
    if (vintage != null) {
      where.add("vintage = " + SqlLiterals.string(vintage));
    }
    if (year != null) {
      where.add("as_of_year = " + year);
    }
    List<Row> rows =
        rt.spark()
            .sql(
                "SELECT * FROM gold.target_attainment WHERE "
                    + String.join(" AND ", where)
                    + " ORDER BY CASE boundary WHEN 'new' THEN 1 ELSE 0 END, vintage_published_on DESC, vintage DESC,"
                    + " as_of_year DESC LIMIT 1")
            .collectAsList();
    if (rows.isEmpty()) {
      throw Errors.badOption(
          "TARGET_ID",
          targetId + (vintage == null ? "" : " @ " + vintage) + (year == null ? "" : " " + year),
          "a target with a row in gold.target_attainment (see 'songhong sql \"SELECT DISTINCT target_id, vintage FROM gold.target_attainment\"')");
    }
    spec.commandLine().getOut().print(explain(rows.get(0)));
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** The explanation of one gold.target_attainment row, as text. */
  static String explain(Row r) {
    StringBuilder b = new StringBuilder();
    String measure = r.getAs("measure");
    int t0 = r.getAs("baseline_year");
    int bigT = r.getAs("target_year");
    int t = r.getAs("as_of_year");
    b.append(
        String.format(
            Locale.ROOT,
            "%s on %s (%s boundary), release %s (published %s), as of %d%n",
            r.<String>getAs("target_id"),
            r.<String>getAs("geo_id"),
            r.<String>getAs("boundary"),
            r.<String>getAs("vintage"),
            r.getAs("vintage_published_on"),
            t));
    b.append(
        String.format(
            Locale.ROOT,
            "  indicator %s, method %s%n",
            r.<String>getAs("indicator_code"),
            r.<String>getAs("method")));
    b.append(
        String.format(
            Locale.ROOT,
            "  target: %s %s by %d (%s)%n",
            r.<String>getAs("comparison"),
            targetText(r),
            bigT,
            r.<String>getAs("unit")));
    b.append("\nFigures used:\n");
    for (Row in : r.<Row>getList(r.fieldIndex("inputs"))) {
      String src =
          in.isNullAt(9)
              ? (in.isNullAt(6)
                  ? ""
                  : in.getString(6) + (in.isNullAt(8) ? ":" + in.getInt(7) : " " + in.getString(8)))
              : "derived: " + in.getString(9);
      b.append(
          String.format(
              Locale.ROOT,
              "  %-34s %-10s %d  %14s %-16s %-15s %s%n",
              in.getString(0),
              in.getString(1),
              in.getInt(2),
              num(in.getDouble(3)),
              in.getString(4),
              in.getString(5),
              src));
    }
    Integer illustrative = r.getAs("illustrative_figures");
    if (illustrative != null && illustrative > 0) {
      b.append(
          String.format(
              Locale.ROOT,
              "  ※ %d of these figures are illustrative (invented for the bundled sample): "
                  + "do not quote this status%n",
              illustrative));
    }
    if (r.getAs("published_sources") != null) {
      for (String src : r.<String>getList(r.fieldIndex("published_sources"))) {
        b.append("  published in: ").append(src).append('\n');
      }
    }
    b.append("\nFormulas (docs/METHODS.md section 1):\n");
    String status = r.getAs("status");
    if ("insufficient_data".equals(status)) {
      b.append("  status = insufficient_data: ").append(r.<String>getAs("note")).append('\n');
      odds(b, r);
      return b.toString();
    }
    double cagrActual = r.<Double>getAs("cagr_actual_pct") / 100.0;
    double x0;
    double xt;
    double tv;
    if ("average_growth".equals(measure)) {
      x0 = 1.0;
      xt = Math.pow(1 + cagrActual, t - t0);
      tv = Math.pow(1 + r.<Double>getAs("target_level") / 100.0, bigT - t0);
      b.append(
          String.format(
              Locale.ROOT,
              "  index of the yearly rates since %d: x0 = 1, xt = prod(1 + g_i) = %s, "
                  + "TV = (1 + %s%%)^%d = %s%n",
              t0,
              num(xt),
              num(r.<Double>getAs("target_level")),
              bigT - t0,
              num(tv)));
      b.append(
          String.format(
              Locale.ROOT,
              "  measured = xt^(1/%d) - 1 = %s%% a year (geometric mean)%n",
              t - t0,
              num(r.<Double>getAs("measured_value"))));
    } else {
      x0 = r.<Double>getAs("baseline_value");
      xt = r.<Double>getAs("latest_value");
      tv = r.<Double>getAs("target_level");
      b.append(
          String.format(
              Locale.ROOT,
              "  x0 = %s (%d), xt = %s (%d), TV = %s (%d)%n",
              num(x0),
              t0,
              num(xt),
              t,
              num(tv),
              bigT));
    }
    line(
        b,
        r,
        "cs",
        String.format(
            Locale.ROOT,
            "(xt - x0) / (TV - x0) = (%s - %s) / (%s - %s)",
            num(xt),
            num(x0),
            num(tv),
            num(x0)));
    line(b, r, "cagr_actual_pct", String.format(Locale.ROOT, "(xt / x0)^(1/%d) - 1", t - t0));
    line(b, r, "cagr_required_pct", String.format(Locale.ROOT, "(TV / x0)^(1/%d) - 1", bigT - t0));
    line(b, r, "rog", "cagr_actual / cagr_required");
    line(
        b,
        r,
        "cagr_needed_from_now_pct",
        String.format(Locale.ROOT, "(TV / xt)^(1/%d) - 1", bigT - t));
    line(
        b,
        r,
        "projected_target_year",
        String.format(Locale.ROOT, "xt * (1 + cagr_actual)^%d", bigT - t));
    line(
        b, r, "projected_target_year_linear", "least-squares line through the figures, at " + bigT);
    line(b, r, "ap", "(projected - x0) / (TV - x0)");
    // The thresholds are the calculator's, so that what explain prints is what decided the status.
    var th = org.songhong.domain.targets.AttainmentCalculator.Thresholds.DEFAULT;
    String onTrack = String.format(Locale.ROOT, "%.2f", th.onTrack());
    String moderate = String.format(Locale.ROOT, "%.2f", th.moderate());
    b.append(
        String.format(
            Locale.ROOT,
            "  status = %s%s%n",
            status,
            switch (status) {
              case "achieved" -> " (the target condition holds in " + t + ")";
              case "on_track" ->
                  r.getAs("rog") != null && r.<Double>getAs("rog") >= th.onTrack()
                      ? " (rog >= " + onTrack + ")"
                      : " (the average so far meets the target; it is achieved only when the period ends, in "
                          + bigT
                          + ")";
              case "moderate_progress" -> " (" + moderate + " <= rog < " + onTrack + ")";
              case "insufficient_progress" -> " (0 <= rog < " + moderate + ")";
              case "moving_away" -> " (rog < 0)";
              default -> "";
            }));
    if (r.getAs("note") != null) {
      b.append("  note: ").append(r.<String>getAs("note")).append('\n');
    }
    odds(b, r);
    return b.toString();
  }

  /** The odds of meeting the target (docs/METHODS.md section 7): the method with its numbers. */
  private static void odds(StringBuilder b, Row r) {
    int bigT = r.getAs("target_year");
    b.append(
        String.format(
            Locale.ROOT,
            "%nOdds of meeting the target in %d (docs/METHODS.md section 7):%n",
            bigT));
    if (r.getAs("p_meet_target") == null) {
      b.append("  none: ").append(r.<String>getAs("odds_note")).append('\n');
      return;
    }
    boolean rates = "average_growth".equals(r.getAs("measure"));
    b.append(
        String.format(
            Locale.ROOT,
            "  a random walk with drift, bootstrapped from the %d %s known as of %d:%n",
            r.<Integer>getAs("odds_changes"),
            rates ? "yearly rates" : "yearly changes",
            r.<Integer>getAs("as_of_year")));
    b.append(
        String.format(
            Locale.ROOT,
            "  %,d draws, seed %d (from target, unit, release and year: the same on every run);%n",
            r.<Integer>getAs("odds_draws"),
            r.<Long>getAs("odds_seed")));
    b.append(
            "  each draw resamples the changes for a drift, then adds it and a resampled deviation each year to ")
        .append(bigT)
        .append('\n');
    b.append(
        String.format(
            Locale.ROOT,
            "  P(target met in %d) = %s (share of the draws that meet it)%n",
            bigT,
            num(r.<Double>getAs("p_meet_target"))));
    b.append(
        String.format(
            Locale.ROOT,
            "  value in %d: median %s, 80%% interval %s to %s, 95%% interval %s to %s%s%n",
            bigT,
            num(r.<Double>getAs("projected_central")),
            num(r.<Double>getAs("projected_lo_80")),
            num(r.<Double>getAs("projected_hi_80")),
            num(r.<Double>getAs("projected_lo_95")),
            num(r.<Double>getAs("projected_hi_95")),
            rates ? " (% a year over the period)" : ""));
  }

  private static void line(StringBuilder b, Row r, String column, String formula) {
    Object v = r.getAs(column);
    b.append(
        String.format(
            Locale.ROOT,
            "  %-28s = %-55s = %s%n",
            column,
            formula,
            v == null ? "undefined" : num((Double) v)));
  }

  private static String targetText(Row r) {
    if ("range".equals(r.getAs("comparison"))) {
      return num(r.getAs("target_lo")) + "-" + num(r.getAs("target_hi"));
    }
    String s =
        (Boolean.TRUE.equals(r.getAs("strict")) ? "strictly " : "") + num(r.getAs("target_value"));
    return r.getAs("tolerance") == null ? s : s + " +/- " + num(r.getAs("tolerance"));
  }

  private static String num(Double d) {
    if (d == null) {
      return "-";
    }
    return Math.abs(d) >= 1000
        ? String.format(Locale.ROOT, "%,.0f", d)
        : String.format(Locale.ROOT, "%.4f", d).replaceAll("0+$", "").replaceAll("\\.$", "");
  }
}
