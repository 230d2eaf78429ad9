package org.songhong.publish;

import io.delta.kernel.Snapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.songhong.contract.ColumnSpec;
import org.songhong.contract.ContractCatalog;
import org.songhong.contract.Presentation;
import org.songhong.contract.TableContract;
import org.songhong.contract.Tables;
import org.songhong.error.Errors;
import org.songhong.lake.KernelTables;

/**
 * {@code songhong export}: the scorecard and the target series as one {@code .xlsx} workbook (a
 * sheet each, with units and the target wording, for Excel users: figures are numeric cells shown
 * with their unit's decimals, statuses are words in Vietnamese and English on their colour, as
 * {@code schemas/reference/presentation.yaml} says), and every dashboard aggregate as CSV (RFC
 * 4180, UTF-8, a header of column names) for anything else. Parquet is written by the command with
 * Spark. Read with Delta Kernel at each table's latest version, named in the workbook. Each file is
 * written beside its name and moved into place, so a reader never opens half a file.
 */
public final class Exporter {
  public static final String WORKBOOK = "songhong-targets.xlsx";
  private final KernelTables kernel;
  private final ContractCatalog contracts;
  private final Presentation presentation;

  public Exporter(KernelTables kernel, ContractCatalog contracts, Presentation presentation) {
    this.kernel = kernel;
    this.contracts = contracts;
    this.presentation = presentation;
  }

  /** A number shown with a format ({@code #,##0.0}). */
  record Figure(Number value, String format) {}

  /** The mark on a status that rests on a figure invented for the bundled sample. */
  static final String ILLUSTRATIVE_MARK = "※ minh hoạ / illustrative: do not quote";

  private static List<String> toStrings(Object list) {
    return ((List<?>) list).stream().map(String::valueOf).toList();
  }

  /** A probability (gold.scorecard's p_meet_target, 0-1) shown as a whole percentage. */
  static final String PROBABILITY = "0%";

  /** A status shown as a word on its colour. */
  record StatusCell(String word, String colour) {}

  private Figure figure(Object value, Object unit) {
    return value == null
        ? null
        : new Figure((Number) value, presentation.numberFormat((String) unit));
  }

  private StatusCell status(Object code, boolean vietnamese) {
    Presentation.Status s = presentation.status((String) code);
    return new StatusCell(vietnamese ? s.vi() : s.en(), s.colour());
  }

  /** The tables read for an export, each at its latest version. */
  public Map<String, KernelTables.Loaded> read(List<String> tables) {
    Map<String, KernelTables.Loaded> out = new LinkedHashMap<>();
    for (String t : tables) {
      Snapshot s =
          kernel
              .latest(t)
              .orElseThrow(
                  () -> Errors.emptyTable(t, "export it (run the marts job that writes it first)"));
      out.put(t, kernel.read(s));
    }
    return out;
  }

  /** Scorecard and Series sheets, plus an About sheet naming the lake versions. */
  public Path workbook(Path dir, Map<String, KernelTables.Loaded> data, String lake)
      throws IOException {
    KernelTables.Loaded sc = data.get(Tables.GOLD_SCORECARD);
    KernelTables.Loaded tr = data.get(Tables.GOLD_DASH_TARGET_TRENDS);
    Map<String, Object[]> byTarget = new HashMap<>();
    for (Object[] r : sc.rows()) {
      byTarget.put(r[sc.index("target_id")] + "|" + r[sc.index("geo_id")], r);
    }
    Path file = dir.resolve(WORKBOOK);
    Path tmp = dir.resolve("." + WORKBOOK + ".tmp");
    try (OutputStream os = Files.newOutputStream(tmp)) {
      Workbook wb = new Workbook(os, "songhong", "1.0");
      String growth = presentation.numberFormat("%");
      sheet(
          wb,
          "Scorecard",
          List.of(
              "Target",
              "Unit (geo)",
              "Mục tiêu (vi)",
              "Target (en)",
              "Unit of measure",
              "Trạng thái",
              "Status",
              "Value",
              "Target value",
              "Target year",
              "Growth still needed, %/yr",
              "Chance of meeting it",
              "Likely value in target year (median)",
              "80% interval, low",
              "80% interval, high",
              "Why no chance given",
              "Latest year",
              "Release",
              "Giải thích",
              "Explanation",
              "Số liệu / Figures",
              "Published in"),
          sorted(sc, "target_id", "geo_id").stream()
              .map(
                  r ->
                      new Object[] {
                        r[sc.index("target_id")],
                        r[sc.index("geo_id")],
                        r[sc.index("wording_vi")],
                        r[sc.index("wording_en")],
                        r[sc.index("unit")],
                        status(r[sc.index("status")], true),
                        status(r[sc.index("status")], false),
                        figure(r[sc.index("value")], r[sc.index("unit")]),
                        r[sc.index("target")],
                        r[sc.index("target_year")],
                        figure(r[sc.index("cagr_needed_from_now_pct")], "%"),
                        r[sc.index("p_meet_target")] == null
                            ? null
                            : new Figure((Number) r[sc.index("p_meet_target")], PROBABILITY),
                        figure(r[sc.index("projected_central")], r[sc.index("unit")]),
                        figure(r[sc.index("projected_lo_80")], r[sc.index("unit")]),
                        figure(r[sc.index("projected_hi_80")], r[sc.index("unit")]),
                        r[sc.index("odds_note")],
                        r[sc.index("as_of_year")],
                        r[sc.index("vintage")],
                        r[sc.index("explanation_vi")],
                        r[sc.index("explanation_en")],
                        Boolean.TRUE.equals(r[sc.index("rests_on_illustrative")])
                            ? ILLUSTRATIVE_MARK
                            : r[sc.index("rests_on_illustrative")] == null
                                ? null
                                : "đã công bố / published",
                        r[sc.index("published_sources")] == null
                            ? null
                            : String.join("; ", toStrings(r[sc.index("published_sources")]))
                      })
              .toList());
      sheet(
          wb,
          "Series",
          List.of(
              "Target",
              "Unit (geo)",
              "Target (en)",
              "Indicator",
              "Year",
              "Value",
              "Unit of measure",
              "Release",
              "Target level",
              "Target year",
              "Baseline year",
              "Baseline value",
              "Trạng thái",
              "Status"),
          sorted(tr, "target_id", "geo_id", "year").stream()
              .map(
                  r -> {
                    Object[] s =
                        byTarget.get(r[tr.index("target_id")] + "|" + r[tr.index("geo_id")]);
                    Object unit = r[tr.index("unit")];
                    return new Object[] {
                      r[tr.index("target_id")],
                      r[tr.index("geo_id")],
                      s == null ? null : s[sc.index("wording_en")],
                      r[tr.index("indicator_code")],
                      r[tr.index("year")],
                      figure(r[tr.index("value")], unit),
                      unit,
                      r[tr.index("vintage")],
                      figure(r[tr.index("target_level")], unit),
                      r[tr.index("target_year")],
                      r[tr.index("baseline_year")],
                      figure(r[tr.index("baseline_value")], unit),
                      status(r[tr.index("status")], true),
                      status(r[tr.index("status")], false)
                    };
                  })
              .toList());
      List<Object[]> about = new ArrayList<>();
      about.add(new Object[] {"Lake", lake});
      about.add(new Object[] {"Exported at (UTC)", Instant.now().toString()});
      data.forEach(
          (t, l) ->
              about.add(
                  new Object[] {
                    t, "Delta version " + l.version() + ", " + l.rows().size() + " rows"
                  }));
      about.add(
          new Object[] {
            "Method",
            "Status, value and growth needed as docs/METHODS.md section 1 defines them; the chance of meeting "
                + "each target and its interval as section 7 does (a seeded bootstrap of the indicator's yearly changes); Resolution 30-NQ/TW targets"
          });
      sheet(wb, "About", List.of("What", "Value"), about);
      wb.finish();
    }
    return Files.move(
        tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** One CSV per table: a header of the contract's column names, then the rows. */
  public Path csv(Path dir, String table, KernelTables.Loaded data) throws IOException {
    TableContract c = contracts.get(table);
    Path file = dir.resolve(c.table() + ".csv");
    Path tmp = dir.resolve("." + c.table() + ".csv.tmp");
    List<String> cols = c.columns().stream().map(ColumnSpec::name).toList();
    int[] index = cols.stream().mapToInt(data::index).toArray();
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      w.write(String.join(",", cols.stream().map(Exporter::csvField).toList()));
      w.write("\r\n");
      for (Object[] r : data.rows()) {
        for (int i = 0; i < index.length; i++) {
          if (i > 0) {
            w.write(',');
          }
          Object v = r[index[i]];
          w.write(
              v == null
                  ? ""
                  : csvField(
                      v instanceof List<?> || v instanceof Map<?, ?> ? json(v) : v.toString()));
        }
        w.write("\r\n");
      }
    }
    return Files.move(
        tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String json(Object v) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper()
          .writeValueAsString(KernelTables.jsonable(v));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String csvField(String s) {
    return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")
        ? "\"" + s.replace("\"", "\"\"") + "\""
        : s;
  }

  /** The rows ordered by the columns {@code by}, nulls first. */
  static List<Object[]> sorted(KernelTables.Loaded t, String... by) {
    List<Object[]> rows = new ArrayList<>(t.rows());
    int[] idx = java.util.Arrays.stream(by).mapToInt(t::index).toArray();
    rows.sort(
        (a, b) -> {
          for (int i : idx) {
            @SuppressWarnings({"unchecked", "rawtypes"})
            int c =
                a[i] == null
                    ? (b[i] == null ? 0 : -1)
                    : b[i] == null ? 1 : ((Comparable) a[i]).compareTo(b[i]);
            if (c != 0) {
              return c;
            }
          }
          return 0;
        });
    return rows;
  }

  private static void sheet(Workbook wb, String name, List<String> header, List<Object[]> rows) {
    Worksheet ws = wb.newWorksheet(name);
    for (int c = 0; c < header.size(); c++) {
      ws.value(0, c, header.get(c));
      ws.style(0, c).bold().fillColor("E9ECEF").set();
      ws.width(c, Math.min(60, Math.max(12, header.get(c).length() + 2)));
    }
    ws.freezePane(1, 1);
    int r = 1;
    for (Object[] row : rows) {
      for (int c = 0; c < row.length; c++) {
        Object v = row[c];
        if (v instanceof Figure f) {
          ws.value(r, c, f.value());
          ws.style(r, c).format(f.format()).set();
        } else if (v instanceof StatusCell s) {
          ws.value(r, c, s.word());
          ws.style(r, c).fillColor(s.colour()).fontColor("FFFFFF").bold().set();
        } else if (v instanceof Number n) {
          ws.value(r, c, n);
        } else if (v instanceof LocalDate d) {
          ws.value(r, c, d);
          ws.style(r, c).format("yyyy-mm-dd").set();
        } else if (v instanceof Boolean b) {
          ws.value(r, c, b);
        } else if (v != null) {
          ws.value(r, c, v.toString());
        }
      }
      r++;
    }
    if (!rows.isEmpty()) {
      ws.setAutoFilter(0, 0, header.size() - 1);
    }
  }
}
