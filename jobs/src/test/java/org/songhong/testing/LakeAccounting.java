package org.songhong.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.songhong.contract.TableContract;
import org.songhong.job.LakeRuntime;

/**
 * The checks every ingest test makes of a lake: the ledger's accounting, files landed whole,
 * versions.
 */
public final class LakeAccounting {
  private LakeAccounting() {}

  /**
   * Every run of {@code jobs} recorded rows read = rows written + rows quarantined for each table
   * it wrote (the quarantine itself is the rejected rows' destination, so it is left out).
   */
  public static void everyRunAccounts(LakeRuntime rt, List<String> jobs) {
    List<Row> metrics =
        rt.spark()
            .sql(
                "SELECT r.run_id, t.table, t.rows_read, t.rows_written, t.rows_quarantined "
                    + "FROM ops.job_runs r LATERAL VIEW explode(r.tables) x AS t WHERE t.table <> 'ops.quarantine' AND r.job IN ("
                    + String.join(", ", jobs.stream().map(j -> "'" + j + "'").toList())
                    + ")")
            .collectAsList();
    assertThat(metrics).isNotEmpty();
    for (Row m : metrics) {
      assertThat(m.getLong(2))
          .as("rows read by %s into %s", m.getString(0), m.getString(1))
          .isEqualTo(m.getLong(3) + m.getLong(4));
    }
  }

  /**
   * Each of {@code files} (absolute local paths) is in the ledger as an input of {@code job}, and
   * its records are all in {@code bronze} or in the quarantine: as many as the ledger says it had.
   */
  public static void filesLandedWhole(
      LakeRuntime rt, String job, String bronze, List<java.nio.file.Path> files) {
    Map<String, Long> declared = new java.util.HashMap<>();
    var history = rt.ledger().history();
    history.runs().stream()
        .filter(r -> r.job().equals(job) && r.status().equals("succeeded"))
        .forEach(
            r -> r.inputs().forEach(f -> declared.merge(local(f.path()), f.rows(), Long::sum)));
    Map<String, Long> landed =
        perFile(rt, "SELECT source_file, count(*) FROM " + bronze + " GROUP BY source_file");
    Map<String, Long> quarantined =
        perFile(
            rt,
            "SELECT source_file, count(*) FROM ops.quarantine WHERE target_table = '"
                + bronze
                + "' GROUP BY source_file");
    for (java.nio.file.Path f : files) {
      String p = f.toAbsolutePath().toString();
      assertThat(declared).as("%s among the inputs of %s", f.getFileName(), job).containsKey(p);
      assertThat(landed.getOrDefault(p, 0L) + quarantined.getOrDefault(p, 0L))
          .as("records of %s in %s or quarantined", f.getFileName(), bronze)
          .isEqualTo(declared.get(p));
    }
  }

  private static Map<String, Long> perFile(LakeRuntime rt, String sql) {
    Map<String, Long> out = new java.util.HashMap<>();
    for (Row r : rt.spark().sql(sql).collectAsList()) {
      out.merge(local(r.getString(0)), r.getLong(1), Long::sum);
    }
    return out;
  }

  /** A file's address as a local path: file:/x, file:///x and /x are the same file. */
  private static String local(String uri) {
    return uri.replaceFirst("^file:/+", "/");
  }

  /** The latest Delta version of every table of the lake (tables not created yet: -1). */
  public static Map<String, Long> versions(LakeRuntime rt) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (TableContract c : rt.lake().contracts().all()) {
      out.put(c.name(), rt.lake().exists(c) ? rt.lake().version(c) : -1L);
    }
    return out;
  }

  public static long count(LakeRuntime rt, String sql) {
    return rt.spark().sql(sql).first().getLong(0);
  }
}
