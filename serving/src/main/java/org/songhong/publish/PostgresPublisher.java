package org.songhong.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.kernel.Snapshot;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.songhong.contract.ColumnSpec;
import org.songhong.contract.ContractCatalog;
import org.songhong.contract.TableContract;
import org.songhong.lake.KernelTables;

/**
 * Copies gold tables into a PostgreSQL schema for the tools people already run (Grafana, Superset,
 * Metabase, Power BI, Excel). One publication is one PostgreSQL transaction: each changed table is
 * loaded into a new table, then swapped for the old one, so readers see the previous publication or
 * the new one, never half. Incremental per table: a table whose Delta version is the one recorded
 * in {@code <schema>._songhong_published} is left alone. Table and column comments come from the
 * contracts in {@code schemas/}. The lake is read with Delta Kernel (no Spark).
 */
public final class PostgresPublisher {
  public static final String LEDGER = "_songhong_published";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final KernelTables kernel;
  private final ContractCatalog contracts;

  public PostgresPublisher(KernelTables kernel, ContractCatalog contracts) {
    this.kernel = kernel;
    this.contracts = contracts;
  }

  /** What happened to one table. */
  public record Outcome(String table, String target, Long version, int rows, String action) {}

  /**
   * The PostgreSQL name of a lake table: gold tables keep their name, others get their layer as a
   * prefix.
   */
  public static String pgName(TableContract c) {
    return c.layer().equals("gold") ? c.table() : c.layer() + "_" + c.table();
  }

  public List<Outcome> publish(Connection conn, String schema, List<String> tables, boolean force)
      throws SQLException {
    String s = ident(schema);
    conn.setAutoCommit(false);
    try (Statement st = conn.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS " + s);
      st.execute(
          "CREATE TABLE IF NOT EXISTS "
              + s
              + "."
              + LEDGER
              + " (table_name text PRIMARY KEY, lake_table text NOT NULL, "
              + "delta_version bigint NOT NULL, rows bigint NOT NULL, published_at timestamptz NOT NULL)");
      st.execute(
          "COMMENT ON TABLE "
              + s
              + "."
              + LEDGER
              + " IS "
              + literal(
                  "What songhong publish postgres last copied here: each table's lake table and Delta version"));
    }
    conn.commit();
    Map<String, Long> published = new HashMap<>();
    try (Statement st = conn.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT table_name, delta_version FROM " + s + "." + LEDGER)) {
      while (rs.next()) {
        published.put(rs.getString(1), rs.getLong(2));
      }
    }
    List<Outcome> out = new ArrayList<>();
    try {
      for (String name : tables) {
        TableContract c = contracts.get(name);
        String target = pgName(c);
        Optional<Snapshot> snap = kernel.latest(name);
        if (snap.isEmpty()) {
          out.add(
              new Outcome(
                  name,
                  target,
                  null,
                  0,
                  "skipped: not in the lake yet (run the job that writes it)"));
          continue;
        }
        long version = snap.get().getVersion();
        if (!force
            && published.containsKey(target)
            && published.get(target) == version
            && exists(conn, schema, target)) {
          out.add(new Outcome(name, target, version, -1, "unchanged"));
          continue;
        }
        KernelTables.Loaded data = kernel.read(snap.get());
        load(conn, s, c, target, data);
        out.add(new Outcome(name, target, version, data.rows().size(), "published"));
      }
      conn.commit();
    } catch (SQLException | RuntimeException e) {
      conn.rollback();
      throw e;
    }
    return out;
  }

  private static boolean exists(Connection conn, String schema, String table) throws SQLException {
    try (PreparedStatement ps =
        conn.prepareStatement(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?")) {
      ps.setString(1, schema);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Inside the publication's transaction: a new table with the rows, swapped for the old one. */
  private void load(
      Connection conn, String s, TableContract c, String target, KernelTables.Loaded data)
      throws SQLException {
    String fresh = s + "." + ident(target + "__songhong_new");
    String table = s + "." + ident(target);
    List<ColumnSpec> cols = c.columns();
    List<String> defs = new ArrayList<>();
    for (ColumnSpec col : cols) {
      defs.add(
          ident(col.name()) + " " + pgType(col.type()) + (col.isNullable() ? "" : " NOT NULL"));
    }
    if (!c.primaryKey().isEmpty()) {
      defs.add(
          "PRIMARY KEY ("
              + String.join(", ", c.primaryKey().stream().map(PostgresPublisher::ident).toList())
              + ")");
    }
    try (Statement st = conn.createStatement()) {
      st.execute("DROP TABLE IF EXISTS " + fresh);
      st.execute("CREATE TABLE " + fresh + " (" + String.join(", ", defs) + ")");
    }
    int[] index = new int[cols.size()];
    for (int i = 0; i < cols.size(); i++) {
      index[i] = data.index(cols.get(i).name());
    }
    String marks =
        String.join(", ", cols.stream().map(col -> isJson(col.type()) ? "?::jsonb" : "?").toList());
    try (PreparedStatement ps =
        conn.prepareStatement("INSERT INTO " + fresh + " VALUES (" + marks + ")")) {
      int n = 0;
      for (Object[] row : data.rows()) {
        for (int i = 0; i < cols.size(); i++) {
          ps.setObject(i + 1, jdbc(row[index[i]], cols.get(i).type()));
        }
        ps.addBatch();
        if (++n % 1000 == 0) {
          ps.executeBatch();
        }
      }
      ps.executeBatch();
    }
    try (Statement st = conn.createStatement()) {
      st.execute("DROP TABLE IF EXISTS " + table);
      st.execute("ALTER TABLE " + fresh + " RENAME TO " + ident(target));
      String pk = target + "__songhong_new_pkey";
      if (!c.primaryKey().isEmpty()) {
        st.execute("ALTER INDEX " + s + "." + ident(pk) + " RENAME TO " + ident(target + "_pkey"));
      }
      st.execute(
          "COMMENT ON TABLE "
              + table
              + " IS "
              + literal(
                  c.name()
                      + " (Delta version "
                      + data.version()
                      + "): "
                      + (c.description() == null ? c.grain() : c.description().strip())
                      + " Grain: "
                      + c.grain()));
      for (ColumnSpec col : cols) {
        if (col.description() != null) {
          st.execute(
              "COMMENT ON COLUMN "
                  + table
                  + "."
                  + ident(col.name())
                  + " IS "
                  + literal(col.description()));
        }
      }
    }
    try (PreparedStatement ps =
        conn.prepareStatement(
            "INSERT INTO "
                + s
                + "."
                + LEDGER
                + " VALUES (?, ?, ?, ?, now()) "
                + "ON CONFLICT (table_name) DO UPDATE SET lake_table = EXCLUDED.lake_table, delta_version = EXCLUDED.delta_version, "
                + "rows = EXCLUDED.rows, published_at = EXCLUDED.published_at")) {
      ps.setString(1, target);
      ps.setString(2, c.name());
      ps.setLong(3, data.version());
      ps.setLong(4, data.rows().size());
      ps.executeUpdate();
    }
  }

  static String pgType(String type) {
    String t = type.toLowerCase(Locale.ROOT).strip();
    if (t.startsWith("decimal")) {
      return t.replace("decimal", "numeric");
    }
    return switch (t) {
      case "string" -> "text";
      case "int", "integer" -> "integer";
      case "long", "bigint" -> "bigint";
      case "short", "smallint" -> "smallint";
      case "double" -> "double precision";
      case "float" -> "real";
      case "boolean" -> "boolean";
      case "date" -> "date";
      case "timestamp" -> "timestamptz";
      default -> "jsonb"; // arrays, maps, structs
    };
  }

  private static boolean isJson(String type) {
    return pgType(type).equals("jsonb");
  }

  private static Object jdbc(Object v, String type) {
    if (v == null) {
      return null;
    }
    if (isJson(type)) {
      try {
        return JSON.writeValueAsString(KernelTables.jsonable(v));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    if (v instanceof Instant i) {
      return i.atOffset(ZoneOffset.UTC);
    }
    return v;
  }

  /**
   * A PostgreSQL identifier, quoted only when it needs it; names come from contracts and options.
   */
  static String ident(String name) {
    if (name.matches("[a-z_][a-z0-9_]*")) {
      return name;
    }
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
