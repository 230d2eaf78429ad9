package org.songhong.ops;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.songhong.contract.Tables;
import org.songhong.lake.KernelTables;

/**
 * The run ledger ({@code ops.job_run_log}) as read by Delta Kernel: no Spark, so a job can decide
 * whether it has anything to do before a session starts, and a running job learns what earlier runs
 * processed without a query. Read whole; the ledger is small (two rows per run).
 */
public final class LedgerHistory {
  /** One state a run reached: a row of {@code ops.job_run_log}. */
  public record Entry(
      String runId,
      String job,
      String status,
      Instant recordedAt,
      LocalDate logicalDate,
      Map<String, String> parameters,
      Instant startedAt,
      Instant endedAt,
      Double durationSeconds,
      List<InputFile> inputs,
      List<TableMetrics> tables,
      String error,
      String sparkAppId,
      String version,
      Map<String, Long> readVersions,
      List<Step> steps) {}

  /**
   * One step of a run: what it did, its seconds, and the rows it wrote (null when it wrote none).
   */
  public record Step(String step, double seconds, Long rows) {}

  private final List<Entry> entries;
  private final long version;

  private LedgerHistory(List<Entry> entries, long version) {
    this.entries = entries;
    this.version = version;
  }

  /** The ledger of the lake {@code kernel} reads; empty when the lake has no ledger yet. */
  public static LedgerHistory read(KernelTables kernel) {
    return read(kernel, null);
  }

  /**
   * As {@link #read(KernelTables)}, reusing {@code known} (a history read earlier from the same
   * lake) when the ledger has no commit since: a Delta version never changes, so only the log is
   * listed.
   */
  public static LedgerHistory read(KernelTables kernel, LedgerHistory known) {
    var snapshot = kernel.latest(Tables.OPS_JOB_RUN_LOG);
    if (snapshot.isEmpty()) {
      return new LedgerHistory(List.of(), -1);
    }
    if (known != null && known.version == snapshot.get().getVersion()) {
      return known;
    }
    KernelTables.Loaded t = kernel.read(snapshot.get());
    List<Entry> out = new ArrayList<>(t.rows().size());
    int rv = t.columns().indexOf("read_versions");
    int st = t.columns().indexOf("steps");
    for (Object[] r : t.rows()) {
      out.add(
          new Entry(
              (String) r[t.index("run_id")],
              (String) r[t.index("job")],
              (String) r[t.index("status")],
              (Instant) r[t.index("recorded_at")],
              (LocalDate) r[t.index("logical_date")],
              stringMap(r[t.index("parameters")]),
              (Instant) r[t.index("started_at")],
              (Instant) r[t.index("ended_at")],
              (Double) r[t.index("duration_s")],
              inputs(r[t.index("input_files")]),
              tables(r[t.index("tables")]),
              (String) r[t.index("error")],
              (String) r[t.index("spark_app_id")],
              (String) r[t.index("songhong_version")],
              rv < 0 ? Map.of() : longMap(r[rv]),
              st < 0 ? List.of() : steps(r[st])));
    }
    return new LedgerHistory(List.copyOf(out), t.version());
  }

  /** The ledger table's Delta version this history was read at (-1: no ledger). */
  public long version() {
    return version;
  }

  public List<Entry> entries() {
    return entries;
  }

  /** Checksums of the input files that successful runs of {@code job} processed. */
  public Set<String> processedChecksums(String job) {
    Set<String> out = new HashSet<>();
    for (Entry e : entries) {
      if (e.job().equals(job) && e.status().equals("succeeded")) {
        e.inputs().forEach(f -> out.add(f.checksum()));
      }
    }
    return out;
  }

  /**
   * The input files (path, checksum, records) that successful runs of {@code job} processed, each
   * once.
   */
  public List<InputFile> processedInputs(String job) {
    Map<String, InputFile> out = new LinkedHashMap<>();
    for (Entry e : entries) {
      if (e.job().equals(job) && e.status().equals("succeeded")) {
        e.inputs().forEach(f -> out.putIfAbsent(f.path() + "\u0000" + f.checksum(), f));
      }
    }
    return List.copyOf(out.values());
  }

  /**
   * Runs of {@code job} that recorded {@code running} and nothing after (killed, or still going).
   */
  public List<Entry> unfinished(String job) {
    Set<String> ended = new HashSet<>();
    for (Entry e : entries) {
      if (!e.status().equals("running")) {
        ended.add(e.runId());
      }
    }
    return entries.stream()
        .filter(
            e -> e.job().equals(job) && e.status().equals("running") && !ended.contains(e.runId()))
        .toList();
  }

  /** The latest successful run of {@code job}. */
  public Optional<Entry> lastSucceeded(String job) {
    return entries.stream()
        .filter(e -> e.job().equals(job) && e.status().equals("succeeded"))
        .max(Comparator.comparing(Entry::startedAt).thenComparing(Entry::recordedAt));
  }

  /** Every run's latest state, newest first (what the view {@code ops.job_runs} shows). */
  public List<Entry> runs() {
    Map<String, Entry> latest = new LinkedHashMap<>();
    for (Entry e : entries) {
      Entry prev = latest.get(e.runId());
      if (prev == null
          || rank(e) > rank(prev)
          || (rank(e) == rank(prev) && e.recordedAt().isAfter(prev.recordedAt()))) {
        latest.put(e.runId(), e);
      }
    }
    List<Entry> out = new ArrayList<>(latest.values());
    out.sort(Comparator.comparing(Entry::startedAt).reversed());
    return out;
  }

  private static int rank(Entry e) {
    return e.status().equals("running") ? 0 : 1;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> stringMap(Object o) {
    Map<String, String> out = new LinkedHashMap<>();
    if (o != null) {
      ((Map<Object, Object>) o)
          .forEach((k, v) -> out.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Long> longMap(Object o) {
    Map<String, Long> out = new LinkedHashMap<>();
    if (o != null) {
      ((Map<Object, Object>) o)
          .forEach(
              (k, v) -> out.put(String.valueOf(k), v == null ? null : ((Number) v).longValue()));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<InputFile> inputs(Object o) {
    List<InputFile> out = new ArrayList<>();
    if (o != null) {
      for (Object x : (List<Object>) o) {
        Map<String, Object> m = (Map<String, Object>) x;
        out.add(
            new InputFile(
                (String) m.get("path"), (String) m.get("checksum"), number(m.get("rows"))));
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<TableMetrics> tables(Object o) {
    List<TableMetrics> out = new ArrayList<>();
    if (o != null) {
      for (Object x : (List<Object>) o) {
        Map<String, Object> m = (Map<String, Object>) x;
        out.add(
            new TableMetrics(
                (String) m.get("table"),
                number(m.get("rows_read")),
                number(m.get("rows_written")),
                number(m.get("rows_quarantined")),
                number(m.get("delta_version")),
                Boolean.TRUE.equals(m.get("committed"))));
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<Step> steps(Object o) {
    List<Step> out = new ArrayList<>();
    if (o != null) {
      for (Object x : (List<Object>) o) {
        Map<String, Object> m = (Map<String, Object>) x;
        Object rows = m.get("rows");
        out.add(
            new Step(
                (String) m.get("step"),
                ((Number) m.get("seconds")).doubleValue(),
                rows == null ? null : ((Number) rows).longValue()));
      }
    }
    return out;
  }

  private static long number(Object o) {
    return o == null ? 0 : ((Number) o).longValue();
  }
}
