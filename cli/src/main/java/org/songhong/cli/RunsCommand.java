package org.songhong.cli;

import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import org.songhong.config.SonghongConfig;
import org.songhong.contract.Tables;
import org.songhong.lake.HadoopConfs;
import org.songhong.lake.KernelTables;
import org.songhong.ops.LedgerHistory;
import org.songhong.ops.TableMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code songhong runs}: the ledger's latest runs, and where a run's time went. Read with Delta
 * Kernel, so it answers in a second or two without starting Spark.
 */
@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    description = {
      "The latest runs from the ledger (ops.job_runs): status, seconds, rows written.",
      "With --steps RUN_ID (or --steps latest), that run's steps, slowest first, with seconds, share and rows."
    })
final class RunsCommand implements Callable<Integer> {
  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--job", paramLabel = "JOB", description = "Only this job's runs.")
  String job;

  @Option(
      names = "--last",
      paramLabel = "N",
      defaultValue = "20",
      description = "How many runs (default: ${DEFAULT-VALUE}).")
  int last;

  @Option(
      names = "--steps",
      paramLabel = "RUN_ID",
      description = "A run's steps, slowest first ('latest': the latest run).")
  String steps;

  @Mixin LakeOptions lake;

  @Override
  public Integer call() {
    SonghongConfig config = lake.config();
    KernelTables kernel =
        new KernelTables(
            SonghongConfig.absolutise(config.get(SonghongConfig.LAKE_PATH)),
            HadoopConfs.from(config));
    LedgerHistory history = LedgerHistory.read(kernel);
    PrintWriter out = spec.commandLine().getOut();
    List<LedgerHistory.Entry> runs =
        history.runs().stream().filter(r -> job == null || r.job().equals(job)).toList();
    if (steps != null) {
      String id = steps.equals("latest") ? (runs.isEmpty() ? null : runs.get(0).runId()) : steps;
      if (id == null || history.runs().stream().noneMatch(r -> r.runId().equals(id))) {
        throw org.songhong.error.Errors.badOption(
            "--steps", steps, "a run id from 'songhong runs', or latest");
      }
      printSteps(out, history, id);
      return 0;
    }
    List<String[]> rows = new ArrayList<>();
    for (LedgerHistory.Entry r : runs.subList(0, Math.min(last, runs.size()))) {
      long written =
          r.tables().stream()
              .filter(t -> !t.table().equals(Tables.OPS_QUARANTINE))
              .mapToLong(TableMetrics::rowsWritten)
              .sum();
      long quarantined = r.tables().stream().mapToLong(TableMetrics::rowsQuarantined).sum();
      long commits = r.tables().stream().filter(TableMetrics::committed).count();
      rows.add(
          new String[] {
            r.runId(),
            r.job(),
            r.status(),
            r.logicalDate() == null ? "" : r.logicalDate().toString(),
            TS.format(r.startedAt()),
            r.durationSeconds() == null ? "" : String.format("%.1f", r.durationSeconds()),
            String.format("%,d", written),
            String.format("%,d", quarantined),
            String.valueOf(commits)
          });
    }
    table(
        out,
        new String[] {
          "run_id",
          "job",
          "status",
          "date",
          "started (UTC)",
          "seconds",
          "rows written",
          "quarantined",
          "commits"
        },
        rows);
    out.printf(
        "%d run(s) in the ledger%s; a run's steps: songhong runs --steps RUN_ID%n",
        runs.size(), job == null ? "" : " for " + job);
    return 0;
  }

  /** A run's steps, slowest first: seconds, share of the run, rows written, and a bar. */
  static void printSteps(PrintWriter out, LedgerHistory history, String runId) {
    LedgerHistory.Entry run =
        history.runs().stream().filter(r -> r.runId().equals(runId)).findFirst().orElseThrow();
    List<LedgerHistory.Step> s = new ArrayList<>(run.steps());
    double total =
        run.durationSeconds() != null
            ? run.durationSeconds()
            : s.stream().mapToDouble(LedgerHistory.Step::seconds).sum();
    s.sort(Comparator.comparingDouble(LedgerHistory.Step::seconds).reversed());
    List<String[]> rows = new ArrayList<>();
    double max = s.isEmpty() ? 1 : Math.max(1e-9, s.get(0).seconds());
    for (LedgerHistory.Step st : s) {
      rows.add(
          new String[] {
            st.step(),
            String.format("%.2f", st.seconds()),
            total <= 0 ? "" : String.format("%.0f%%", 100 * st.seconds() / total),
            st.rows() == null ? "" : String.format("%,d", st.rows()),
            "#".repeat((int) Math.round(30 * st.seconds() / max))
          });
    }
    out.printf("%s (%s, %s): %.1f s%n", run.runId(), run.job(), run.status(), total);
    table(out, new String[] {"step", "seconds", "share", "rows written", ""}, rows);
  }

  static void table(PrintWriter out, String[] header, List<String[]> rows) {
    int[] w = new int[header.length];
    for (int i = 0; i < header.length; i++) {
      w[i] = header[i].length();
      for (String[] r : rows) {
        w[i] = Math.max(w[i], r[i].length());
      }
    }
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < header.length; i++) {
      line.append(String.format("%-" + w[i] + "s", header[i]))
          .append(i + 1 < header.length ? "  " : "");
    }
    out.println(line.toString().stripTrailing());
    for (String[] r : rows) {
      line.setLength(0);
      for (int i = 0; i < r.length; i++) {
        boolean numeric = r[i].matches("[-0-9.,%]+");
        line.append(String.format("%" + (numeric ? "" : "-") + w[i] + "s", r[i]))
            .append(i + 1 < r.length ? "  " : "");
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
