package org.songhong.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.songhong.SparkTestSession;
import org.songhong.config.SonghongConfig;
import org.songhong.contract.Tables;
import org.songhong.error.SonghongException;
import org.songhong.lake.WriteResult;
import org.songhong.ops.InputFile;
import org.songhong.ops.LedgerHistory;
import org.songhong.ops.TableMetrics;

/**
 * The runner writes the ledger from what a job returns and from what the run's writer committed: a
 * succeeded run records its returned {@link JobResult} and its steps with the rows committed in
 * each; a run that fails after a commit records that commit (table, rows, version) and the step it
 * failed in, though it returned nothing.
 */
class LakeRuntimeTest {
  private static final String ZONES = Tables.SILVER_INDUSTRIAL_ZONES;
  private static final LocalDate DAY = LocalDate.of(2025, 6, 1);
  private static final InputFile REGISTRY = new InputFile("file:/landing/zones.csv", "c0ffee", 2);

  @TempDir static Path dir;
  static LakeRuntime rt;

  @BeforeAll
  static void open() {
    rt =
        new LakeRuntime(
            SparkTestSession.get(),
            SonghongConfig.of(
                Map.of("songhong.lake.path", dir.resolve("lake").toString()), Map.of()));
  }

  /** Replaces the zones with {@code ids}, then fails if asked to, else returns its result. */
  private record ZonesJob(String name, boolean fail, String... ids) implements Job {
    @Override
    public String description() {
      return "writes industrial zones (a test job)";
    }

    @Override
    public JobResult run(JobContext ctx) {
      ctx.step("write " + ids.length + " zones");
      List<Row> rows =
          java.util.Arrays.stream(ids)
              .map(id -> RowFactory.create(id, "Zone " + id, null, null, REGISTRY.path()))
              .toList();
      WriteResult w =
          ctx.writer()
              .replace(
                  ZONES,
                  ctx.spark().createDataFrame(rows, ctx.lake().contract(ZONES).writeSchema()));
      if (fail) {
        ctx.step("check the zones");
        throw new IllegalStateException("zone " + ids[0] + " is not in the plan");
      }
      return ctx.result().input(REGISTRY).table(w.metrics(ids.length, 0)).build();
    }
  }

  /** A Spark task that writes to a full disk (/dev/full: the operating system's own refusal). */
  private record DiskFullJob() implements Job {
    @Override
    public String name() {
      return "disk_full";
    }

    @Override
    public String description() {
      return "writes to a full disk (a test job)";
    }

    @Override
    public JobResult run(JobContext ctx) {
      ctx.spark()
          .range(1)
          .toJavaRDD()
          .foreach(
              x -> {
                try (var out = new java.io.FileOutputStream("/dev/full")) {
                  out.write(new byte[64]);
                }
              });
      return ctx.result().build();
    }
  }

  private static LedgerHistory.Entry last(String runId) {
    return rt.ledger().history().entries().stream()
        .filter(e -> e.runId().equals(runId) && !e.status().equals("running"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aSucceededRunRecordsWhatTheJobReturnedAndTheRowsEachStepCommitted() {
    String first = rt.run(new ZonesJob("zones_ok", false, "IZ-A", "IZ-B"), DAY);
    long version = rt.lake().version(rt.lake().contract(ZONES));

    LedgerHistory.Entry e = last(first);
    assertThat(e.status()).isEqualTo("succeeded");
    assertThat(e.inputs()).containsExactly(REGISTRY);
    assertThat(e.tables()).containsExactly(new TableMetrics(ZONES, 2, 2, 0, version, true));
    assertThat(e.steps()).extracting(LedgerHistory.Step::step).last().isEqualTo("write 2 zones");
    assertThat(e.steps()).extracting(LedgerHistory.Step::rows).last().isEqualTo(2L);

    // The same rows again: the writer commits nothing, so the step wrote no rows.
    LedgerHistory.Entry again = last(rt.run(new ZonesJob("zones_ok", false, "IZ-A", "IZ-B"), DAY));
    assertThat(again.tables()).containsExactly(new TableMetrics(ZONES, 2, 2, 0, version, false));
    assertThat(again.steps()).extracting(LedgerHistory.Step::rows).last().isNull();
    assertThat(rt.lake().version(rt.lake().contract(ZONES))).isEqualTo(version);
  }

  @Test
  void aFailedRunRecordsWhatItsWriterCommittedBeforeTheFailure() {
    String[] runId = new String[1];
    assertThatThrownBy(() -> runId[0] = rt.run(new ZonesJob("zones_failing", true, "IZ-Q"), DAY))
        .isInstanceOf(SonghongException.class)
        .hasMessageContaining("IZ-Q is not in the plan");
    LedgerHistory.Entry e =
        rt.ledger().history().entries().stream()
            .filter(x -> x.job().equals("zones_failing") && !x.status().equals("running"))
            .findFirst()
            .orElseThrow();
    long version = rt.lake().version(rt.lake().contract(ZONES));

    assertThat(e.status()).isEqualTo("failed");
    assertThat(e.error()).contains("IZ-Q is not in the plan");
    assertThat(e.tables())
        .as("the commit made before the failure, at the version it made")
        .containsExactly(new TableMetrics(ZONES, 1, 1, 0, version, true));
    assertThat(e.inputs()).as("a failed run processed no file").isEmpty();
    assertThat(e.steps())
        .extracting(LedgerHistory.Step::step)
        .endsWith("write 1 zones", "check the zones");
    assertThat(e.steps()).extracting(LedgerHistory.Step::rows).endsWith(1L, (Long) null);
    assertThat(
            rt.lake().read(ZONES).select("zone_id").collectAsList().stream()
                .map(r -> r.getString(0)))
        .containsExactly("IZ-Q");
  }

  @Test
  void aFullDiskIsNamedWithTheFoldersAJobWritesToAndWhatToDo() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        java.nio.file.Files.exists(Path.of("/dev/full")), "needs /dev/full (Linux)");
    assertThatThrownBy(() -> rt.run(new DiskFullJob(), DAY))
        .isInstanceOf(SonghongException.class)
        .hasMessageContaining("Job disk_full failed")
        .hasMessageContaining("a disk is full (No space left on device)")
        .hasMessageContaining(
            "Spark's local folder "
                + SparkTestSession.get()
                    .sparkContext()
                    .getConf()
                    .get("spark.local.dir", System.getProperty("java.io.tmpdir")))
        .hasMessageContaining("the lake " + rt.lake().root())
        .hasMessageMatching("(?s).* MiB free of .*")
        .hasMessageContaining("--conf spark.local.dir=DIR")
        .hasMessageContaining("a shorter lookback");
  }
}
