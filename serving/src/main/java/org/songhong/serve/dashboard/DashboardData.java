package org.songhong.serve.dashboard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.songhong.lake.KernelTables;

/**
 * One consistent, immutable view of the dashboard tables: each table's rows at one Delta version,
 * as JSON-ready maps. The server swaps in a new instance when a table gets a new version, so a
 * request reads either the old or the new data, never half of each.
 */
public final class DashboardData {
  /** A table as loaded: version (-1 when the table does not exist yet) and its rows. */
  public record Table(
      String name, long version, Instant committedAt, List<Map<String, Object>> rows) {
    public static Table missing(String name) {
      return new Table(name, -1, null, List.of());
    }
  }

  private final Map<String, Table> tables;
  private final Instant loadedAt;

  /**
   * Serialised answers for this snapshot, by endpoint and parameters; bounded, since parameters
   * come from clients.
   */
  private final java.util.concurrent.ConcurrentHashMap<String, byte[]> answers =
      new java.util.concurrent.ConcurrentHashMap<>();

  static final int MAX_CACHED_ANSWERS = 2_000;

  public DashboardData(Map<String, Table> tables, Instant loadedAt) {
    this.tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    this.loadedAt = loadedAt;
  }

  public Table table(String name) {
    Table t = tables.get(name);
    return t == null ? Table.missing(name) : t;
  }

  public Map<String, Table> tables() {
    return tables;
  }

  public Instant loadedAt() {
    return loadedAt;
  }

  byte[] cached(String key) {
    return answers.get(key);
  }

  void cache(String key, byte[] body) {
    if (answers.size() < MAX_CACHED_ANSWERS) {
      answers.putIfAbsent(key, body);
    }
  }

  /** The versions, joined: an ETag that changes whenever any table does. */
  public String etag() {
    StringBuilder b = new StringBuilder("\"");
    tables.values().forEach(t -> b.append(t.version()).append('.'));
    return b.append('"').toString();
  }

  /** Rows of {@code table} that pass {@code filter}, in the table's order. */
  public List<Map<String, Object>> rows(String table, Predicate<Map<String, Object>> filter) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> r : table(table).rows()) {
      if (filter.test(r)) {
        out.add(r);
      }
    }
    return out;
  }

  /** Distinct values of a column, sorted. */
  public List<String> distinct(String table, String column) {
    TreeSet<String> s = new TreeSet<>();
    table(table)
        .rows()
        .forEach(
            r -> {
              Object v = r.get(column);
              if (v != null) {
                s.add(v.toString());
              }
            });
    return new ArrayList<>(s);
  }

  /**
   * Rows as maps, sorted by the given columns (nulls first), values made JSON-friendly (dates as
   * ISO text).
   */
  static List<Map<String, Object>> asMaps(KernelTables.Loaded t, List<String> sortBy) {
    List<Map<String, Object>> out = new ArrayList<>(t.rows().size());
    for (Object[] r : t.rows()) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (int i = 0; i < r.length; i++) {
        m.put(t.columns().get(i), KernelTables.jsonable(r[i]));
      }
      out.add(Collections.unmodifiableMap(m));
    }
    out.sort(
        (a, b) -> {
          for (String c : sortBy) {
            int cmp = compare(a.get(c), b.get(c));
            if (cmp != 0) {
              return cmp;
            }
          }
          return 0;
        });
    return Collections.unmodifiableList(out);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Object a, Object b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    return ((Comparable) a).compareTo(b);
  }
}
