package org.songhong.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/** Prints query results as an aligned table, CSV or JSON lines. */
public final class ResultPrinter {
  /** The output formats of {@code --format}. */
  public enum Format {
    table,
    csv,
    json
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private ResultPrinter() {}

  public static void print(PrintWriter out, StructType schema, List<Row> rows, Format format) {
    String[] names = schema.fieldNames();
    if (names.length == 0) {
      out.println("OK");
      out.flush();
      return;
    }
    switch (format) {
      case csv -> {
        out.println(String.join(",", List.of(names).stream().map(ResultPrinter::csv).toList()));
        for (Row r : rows) {
          List<String> cells = new ArrayList<>();
          for (int i = 0; i < names.length; i++) {
            cells.add(csv(text(r, i)));
          }
          out.println(String.join(",", cells));
        }
      }
      case json -> {
        for (Row r : rows) {
          ObjectNode o = JSON.createObjectNode();
          for (int i = 0; i < names.length; i++) {
            put(o, names[i], r.isNullAt(i) ? null : r.get(i));
          }
          out.println(o.toString());
        }
      }
      case table -> table(out, names, rows);
    }
    out.flush();
  }

  private static void table(PrintWriter out, String[] names, List<Row> rows) {
    int[] width = new int[names.length];
    List<String[]> cells = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      width[i] = names[i].length();
    }
    for (Row r : rows) {
      String[] c = new String[names.length];
      for (int i = 0; i < names.length; i++) {
        c[i] = r.isNullAt(i) ? "NULL" : text(r, i);
        width[i] = Math.max(width[i], c[i].codePointCount(0, c[i].length()));
      }
      cells.add(c);
    }
    StringBuilder sep = new StringBuilder("+");
    for (int w : width) {
      sep.append("-".repeat(w + 2)).append('+');
    }
    out.println(sep);
    out.println(line(names, width, null));
    out.println(sep);
    for (int k = 0; k < cells.size(); k++) {
      out.println(line(cells.get(k), width, rows.get(k)));
    }
    out.println(sep);
    out.println(rows.size() + (rows.size() == 1 ? " row" : " rows"));
  }

  private static String line(String[] cells, int[] width, Row row) {
    StringBuilder sb = new StringBuilder("|");
    for (int i = 0; i < cells.length; i++) {
      boolean numeric = row != null && !row.isNullAt(i) && row.get(i) instanceof Number;
      int pad = width[i] - cells[i].codePointCount(0, cells[i].length());
      sb.append(' ');
      if (numeric) {
        sb.append(" ".repeat(pad)).append(cells[i]);
      } else {
        sb.append(cells[i]).append(" ".repeat(pad));
      }
      sb.append(" |");
    }
    return sb.toString();
  }

  static String text(Row r, int i) {
    if (r.isNullAt(i)) {
      return "";
    }
    Object v = r.get(i);
    if (v instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        return d.toString();
      }
      double a = Math.abs(d);
      return a != 0 && (a >= 1e12 || a < 1e-4)
          ? String.format(Locale.ROOT, "%.6g", d)
          : new java.math.BigDecimal(d)
              .setScale(4, java.math.RoundingMode.HALF_UP)
              .stripTrailingZeros()
              .toPlainString();
    }
    if (v instanceof scala.collection.Seq<?> s) {
      return "["
          + String.join(
              ", ",
              scala.jdk.javaapi.CollectionConverters.asJava(s).stream()
                  .map(String::valueOf)
                  .toList())
          + "]";
    }
    if (v instanceof scala.collection.Map<?, ?> m) {
      return m.mkString("{", ", ", "}");
    }
    return String.valueOf(v);
  }

  private static String csv(String s) {
    return s.contains(",") || s.contains("\"") || s.contains("\n")
        ? "\"" + s.replace("\"", "\"\"") + "\""
        : s;
  }

  private static void put(ObjectNode o, String name, Object v) {
    if (v == null) {
      o.putNull(name);
    } else if (v instanceof Integer i) {
      o.put(name, i);
    } else if (v instanceof Long l) {
      o.put(name, l);
    } else if (v instanceof Double d) {
      o.put(name, d);
    } else if (v instanceof Boolean b) {
      o.put(name, b);
    } else if (v instanceof java.math.BigDecimal b) {
      o.put(name, b);
    } else if (v instanceof scala.collection.Seq<?> s) {
      ArrayNode a = o.putArray(name);
      for (Object e : scala.jdk.javaapi.CollectionConverters.asJava(s)) {
        a.add(e instanceof Row rr ? rr.toString() : String.valueOf(e));
      }
    } else if (v instanceof Row rr) {
      o.put(name, rr.toString());
    } else {
      o.put(name, String.valueOf(v));
    }
  }
}
