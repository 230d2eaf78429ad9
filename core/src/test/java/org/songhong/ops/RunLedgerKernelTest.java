package org.songhong.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.songhong.SparkTestSession;
import org.songhong.contract.ContractCatalog;
import org.songhong.contract.SchemaResources;
import org.songhong.error.SonghongException;
import org.songhong.lake.KernelAppend;
import org.songhong.lake.Lake;
import org.songhong.lake.TableWriter;

/**
 * The run ledger is written through Delta Kernel: no Spark job, the same rows as Spark would have
 * written (read back by Spark and by Kernel), NOT NULL refused before anything is written,
 * concurrent runs both recorded, the log checkpointed as Spark's writer does, and a ledger made by
 * an earlier version (a CHECK constraint Kernel cannot write) still written, with Spark.
 */
class RunLedgerKernelTest {
  @TempDir Path dir;

  private Lake lake() throws Exception {
    return new Lake(
            SparkTestSession.get(),
            dir.resolve("lake").toUri().toString(),
            ContractCatalog.load(SchemaResources.open("../schemas")))
        .open();
  }

  private static RunLedger.Run run(String id, String job) {
    return new RunLedger.Run(
        id,
        job,
        LocalDate.of(2025, 12, 1),
        Map.of("songhong.lake.path", "/x", "a", "b"),
        Instant.parse("2025-12-01T08:00:00.123456Z"),
        "local-1",
        "0.1.0");
  }

  private static RunLedger.Outcome succeeded() {
    return new RunLedger.Outcome(
        "succeeded",
        List.of(new InputFile("data/a.csv", "abc", 12), new InputFile("data/b.csv", "def", 0)),
        List.of(new TableMetrics("silver.t", 12, 10, 2, 3, true)),
        null,
        Map.of("bronze.t", 4L),
        List.of(
            new LedgerHistory.Step("read", 0.25, null),
            new LedgerHistory.Step("write silver.t", 1.5, 10L)));
  }

  @Test
  void aRunIsRecordedWithoutASparkJobAndReadsBackTheSameThroughSparkAndKernel() throws Exception {
    Lake lake = lake();
    RunLedger ledger = new RunLedger(lake, new TableWriter(lake, 2));
    RunLedger.Run run = run("r1", "provincial_stats_silver");
    lake.ensureCreated(lake.contract(RunLedger.TABLE));
    long before = lake.version(lake.contract(RunLedger.TABLE));
    int jobs =
        SparkTestSession.jobsDuring(
            lake.spark(),
            () -> {
              ledger.start(run);
              ledger.finish(run, succeeded());
            });
    assertThat(jobs).as("Spark jobs started to record a run").isZero();
    assertThat(lake.version(lake.contract(RunLedger.TABLE)))
        .as("one commit for the start, one for the end")
        .isEqualTo(before + 2);

    // Spark reads what Kernel wrote: every kind of column (map, array of structs, timestamps to the
    // microsecond).
    Row r =
        lake.spark()
            .sql(
                "SELECT run_id, job, status, logical_date, parameters['a'], started_at, duration_s, "
                    + "input_files[1].checksum, input_files[1].rows, tables[0].rows_quarantined, tables[0].committed, read_versions['bronze.t'], "
                    + "steps[1].step, steps[0].rows, error FROM ops.job_run_log WHERE status = 'succeeded'")
            .first();
    assertThat(r.getString(0)).isEqualTo("r1");
    assertThat(r.getString(2)).isEqualTo("succeeded");
    assertThat(r.getDate(3).toLocalDate()).isEqualTo(LocalDate.of(2025, 12, 1));
    assertThat(r.getString(4)).isEqualTo("b");
    assertThat(r.getTimestamp(5).toInstant())
        .isEqualTo(Instant.parse("2025-12-01T08:00:00.123456Z"));
    assertThat(r.getDouble(6)).isPositive();
    assertThat(r.getString(7)).isEqualTo("def");
    assertThat(r.getLong(8)).isZero();
    assertThat(r.getLong(9)).isEqualTo(2);
    assertThat(r.getBoolean(10)).isTrue();
    assertThat(r.getLong(11)).isEqualTo(4);
    assertThat(r.getString(12)).isEqualTo("write silver.t");
    assertThat(r.isNullAt(13)).as("a step that wrote no rows").isTrue();
    assertThat(r.isNullAt(14)).isTrue();
    assertThat(lake.spark().table(RunLedger.TABLE).count()).isEqualTo(2);

    // Kernel reads the same, and the log's statistics count the rows.
    LedgerHistory h = ledger.history();
    assertThat(h.entries())
        .extracting(LedgerHistory.Entry::status)
        .containsExactlyInAnyOrder("running", "succeeded");
    LedgerHistory.Entry done =
        h.entries().stream().filter(e -> e.status().equals("succeeded")).findFirst().orElseThrow();
    assertThat(done.inputs())
        .containsExactly(
            new InputFile("data/a.csv", "abc", 12), new InputFile("data/b.csv", "def", 0));
    assertThat(done.steps())
        .containsExactly(
            new LedgerHistory.Step("read", 0.25, null),
            new LedgerHistory.Step("write silver.t", 1.5, 10L));
    assertThat(done.readVersions()).containsEntry("bronze.t", 4L);
    assertThat(lake.kernel().rowCount(lake.kernel().latest(RunLedger.TABLE).orElseThrow()))
        .contains(2L);
    assertThat(ledger.processedChecksums("provincial_stats_silver"))
        .containsExactlyInAnyOrder("abc", "def");
    // Read again with no commit since: the same history, not read again; after a commit, the new
    // rows.
    assertThat(ledger.history()).isSameAs(h);
    ledger.start(run("r2", "provincial_stats_silver"));
    assertThat(ledger.history().entries()).hasSize(3);
  }

  @Test
  void aNullWhereTheContractSaysNotNullIsRefusedAndNothingIsWritten() throws Exception {
    Lake lake = lake();
    lake.ensureCreated(lake.contract(RunLedger.TABLE));
    long before = lake.version(lake.contract(RunLedger.TABLE));
    Object[] row = new Object[lake.contract(RunLedger.TABLE).columnNames().size()];
    row[0] = "r1"; // job, status and the rest left null
    assertThatThrownBy(
            () ->
                KernelAppend.append(
                    lake.kernel(),
                    RunLedger.TABLE,
                    java.util.Collections.singletonList(row),
                    "test"))
        .isInstanceOf(SonghongException.class)
        .hasMessageContaining("ops.job_run_log")
        .hasMessageContaining("NOT NULL on column job");
    assertThat(lake.version(lake.contract(RunLedger.TABLE))).isEqualTo(before);
    assertThatThrownBy(
            () ->
                new RunLedger(lake, new TableWriter(lake, 2))
                    .finish(
                        run("r1", "j"),
                        new RunLedger.Outcome(
                            "done", List.of(), List.of(), null, Map.of(), List.of())))
        .hasMessageContaining("'done' is not one of");
  }

  @Test
  void runsRecordedAtOnceFromTwoThreadsAllLandAndTheLogIsCheckpointed() throws Exception {
    Lake lake = lake();
    RunLedger ledger = new RunLedger(lake, new TableWriter(lake, 2));
    lake.ensureCreated(lake.contract(RunLedger.TABLE));
    List<Thread> threads = new ArrayList<>();
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < 2; t++) {
      String job = "job" + t;
      threads.add(
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 3; i++) {
                    RunLedger.Run run = run(job + "-" + i, job);
                    ledger.start(run);
                    ledger.finish(run, succeeded());
                  }
                } catch (Throwable e) {
                  errors.add(e);
                }
              }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    assertThat(errors).isEmpty();
    assertThat(lake.spark().table(RunLedger.TABLE).count()).isEqualTo(12);
    assertThat(
            lake.spark()
                .sql("SELECT count(*) FROM ops.job_runs WHERE status = 'succeeded'")
                .first()
                .getLong(0))
        .isEqualTo(6);
    assertThat(lake.version(lake.contract(RunLedger.TABLE))).isEqualTo(12);
    Path log = Path.of(java.net.URI.create(lake.root() + "/ops/job_run_log/_delta_log"));
    assertThat(log.resolve("00000000000000000010.checkpoint.parquet"))
        .as("a checkpoint every 10 commits")
        .exists();
    assertThat(Files.readString(log.resolve("00000000000000000012.json")))
        .contains("\"engineInfo\"", "songhong");
  }

  @Test
  void aLedgerMadeWithTheOldCheckConstraintIsStillWrittenWithSpark() throws Exception {
    Lake lake = lake();
    lake.ensureCreated(lake.contract(RunLedger.TABLE));
    lake.spark()
        .sql(
            "ALTER TABLE delta.`"
                + lake.location(lake.contract(RunLedger.TABLE))
                + "` ADD CONSTRAINT status_known "
                + "CHECK (status IN ('running', 'succeeded', 'failed', 'abandoned'))");
    assertThat(KernelAppend.append(lake.kernel(), RunLedger.TABLE, List.of(), "test"))
        .as("Kernel declines")
        .isEmpty();
    RunLedger ledger = new RunLedger(lake, new TableWriter(lake, 2));
    RunLedger.Run run = run("r1", "provincial_stats_silver");
    ledger.start(run);
    ledger.finish(run, succeeded());
    assertThat(ledger.history().entries())
        .extracting(LedgerHistory.Entry::status)
        .containsExactlyInAnyOrder("running", "succeeded");
    assertThat(
            lake.spark()
                .sql(
                    "SELECT input_files[0].path, steps[1].rows FROM ops.job_run_log WHERE status = 'succeeded'")
                .first()
                .toString())
        .isEqualTo("[data/a.csv,10]");
  }
}
