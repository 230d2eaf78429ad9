package org.songhong.ops;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.songhong.contract.TableContract;
import org.songhong.contract.Tables;
import org.songhong.error.Errors;
import org.songhong.lake.KernelTables;
import org.songhong.lake.Lake;
import org.songhong.lake.SqlLiterals;
import org.songhong.lake.TableWriter;

/**
 * Named snapshots of lake tables ({@code ops.pinned_versions}). A pin records each table's current
 * Delta version; {@code lake_maintenance} keeps every pinned version readable, and pinning sets the
 * table's log retention so the version can be time-travelled to for years.
 */
public final class Pins {
  public static final String TABLE = Tables.OPS_PINNED_VERSIONS;

  /**
   * How long a pinned table keeps its Delta log (time travel needs the log as well as the files).
   */
  static final String LOG_RETENTION = "interval 3650 days";

  /** One pinned table version. */
  public record Pin(
      String pin, String table, long version, Instant committedAt, Instant pinnedAt, String note) {}

  private final Lake lake;
  private final TableWriter writer;

  public Pins(Lake lake, TableWriter writer) {
    this.lake = lake;
    this.writer = writer;
  }

  /**
   * Pins the current version of each table under {@code name}; returns the pins made. Refuses an
   * existing name, an unknown table and a table with no commits, before writing anything.
   */
  public List<Pin> create(String name, List<String> tables, String note) {
    if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")) {
      throw Errors.badOption(
          "pin name", name, "letters, digits, '.', '_' or '-' (e.g. scorecard-2026-11)");
    }
    if (!list(name).isEmpty()) {
      throw Errors.pinExists(name);
    }
    // Each table's current version, its commit time and its log retention from its log (Delta
    // Kernel: a DESCRIBE HISTORY and a SHOW TBLPROPERTIES a table were a Spark command each).
    KernelTables kernel = lake.kernel();
    Map<TableContract, io.delta.kernel.Snapshot> heads = new LinkedHashMap<>();
    for (String t : tables) {
      TableContract c = lake.contracts().get(t);
      heads.put(
          c,
          kernel.latest(c.name()).orElseThrow(() -> Errors.emptyTable(c.name(), "nothing to pin")));
    }
    Instant now = Instant.now();
    List<Pin> made = new ArrayList<>();
    List<Row> rows = new ArrayList<>();
    for (var e : heads.entrySet()) {
      TableContract c = e.getKey();
      long version = e.getValue().getVersion();
      Instant committed = kernel.committedAt(e.getValue());
      made.add(new Pin(name, c.name(), version, committed, now, note));
      rows.add(
          RowFactory.create(
              name, c.name(), version, Timestamp.from(committed), Timestamp.from(now), note));
    }
    // Log retention first: if the pin row is written, its version is guaranteed to stay reachable.
    for (var e : heads.entrySet()) {
      TableContract c = e.getKey();
      if (!LOG_RETENTION.equals(
          e.getValue().getTableProperties().get("delta.logRetentionDuration"))) {
        lake.sql(
            "ALTER TABLE "
                + c.name()
                + " SET TBLPROPERTIES ('delta.logRetentionDuration' = '"
                + LOG_RETENTION
                + "')");
      }
    }
    writer.append(TABLE, lake.spark().createDataFrame(rows, lake.contract(TABLE).writeSchema()));
    return made;
  }

  /**
   * The pins, oldest first; all of them when {@code name} is null. Read from the table's log and
   * files with Delta Kernel, not a Spark query: a fresh JVM's first query (planning, generated
   * code, Delta's first snapshot) cost 8-11 s, paid by `songhong pin`, the nightly maintenance and
   * the SQL endpoint's start; Kernel applies the deletion vectors a dropped pin leaves.
   */
  public List<Pin> list(String name) {
    KernelTables kernel = lake.kernel();
    Optional<io.delta.kernel.Snapshot> current = kernel.latest(TABLE);
    if (current.isEmpty()) {
      return List.of();
    }
    KernelTables.Loaded t = kernel.read(current.get());
    int pin = t.index("pin");
    int table = t.index("table_name");
    int version = t.index("version");
    int committed = t.index("committed_at");
    int pinned = t.index("pinned_at");
    int note = t.index("note");
    return t.rows().stream()
        .filter(r -> name == null || name.equals(r[pin]))
        .map(
            r ->
                new Pin(
                    (String) r[pin],
                    (String) r[table],
                    (Long) r[version],
                    (Instant) r[committed],
                    (Instant) r[pinned],
                    (String) r[note]))
        .sorted(
            java.util.Comparator.comparing(Pin::pinnedAt)
                .thenComparing(Pin::pin)
                .thenComparing(Pin::table))
        .toList();
  }

  /** Removes a pin (its versions become ordinary history, vacuumed after the retention). */
  public int drop(String name) {
    int n = list(name).size();
    if (n == 0) {
      throw Errors.unknownPin(name);
    }
    lake.sql("DELETE FROM " + TABLE + " WHERE pin = " + SqlLiterals.string(name));
    return n;
  }

  /** The oldest pinned version per table (no Spark job: see {@link #list}). */
  public Map<String, Pin> oldestPerTable() {
    Map<String, Pin> oldest = new LinkedHashMap<>();
    for (Pin p : list(null)) {
      oldest.merge(p.table(), p, (a, b) -> b.version() < a.version() ? b : a);
    }
    return oldest;
  }

  /**
   * The database that holds a pin's views: {@code pin_} and the name with other characters as '_'.
   */
  public static String database(String pin) {
    return "pin_" + pin.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
  }

  /**
   * Makes every pin addressable by name: a database {@code pin_NAME} (see {@link #database}) with,
   * for each pinned table, a view of the table at the pinned version, named like the table ({@code
   * pin_scorecard_2026_11.target_attainment}; {@code layer_table} where two layers share a name).
   * They live in the session's catalog, like the contract views. Returns the pins.
   */
  public List<Pin> registerViews() {
    List<Pin> pins = list(null);
    Map<String, Long> names = new java.util.HashMap<>();
    for (TableContract c : lake.contracts().all()) {
      names.merge(c.table(), 1L, Long::sum);
    }
    for (Pin p : pins) {
      String db = database(p.pin());
      String location;
      try {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("songhong-" + db);
        dir.toFile().deleteOnExit();
        location = dir.toUri().toString();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      lake.spark()
          .sql(
              "CREATE DATABASE IF NOT EXISTS "
                  + db
                  + " COMMENT "
                  + SqlLiterals.string(
                      "Pinned release " + p.pin() + (p.note() == null ? "" : ": " + p.note()))
                  + " LOCATION '"
                  + location
                  + "'");
      TableContract c = lake.contracts().get(p.table());
      String view = names.get(c.table()) > 1 ? c.layer() + "_" + c.table() : c.table();
      lake.spark()
          .sql(
              "CREATE OR REPLACE VIEW "
                  + db
                  + "."
                  + view
                  + " COMMENT "
                  + SqlLiterals.string(
                      c.name()
                          + " as pinned in "
                          + p.pin()
                          + " (version "
                          + p.version()
                          + ", committed "
                          + p.committedAt()
                          + ")")
                  + " AS SELECT * FROM "
                  + c.name()
                  + " VERSION AS OF "
                  + p.version());
    }
    return pins;
  }
}
