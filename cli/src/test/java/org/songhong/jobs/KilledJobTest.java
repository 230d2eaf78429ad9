package org.songhong.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.songhong.job.JobRegistry;
import org.songhong.job.LakeRuntime;

/**
 * Kills the silver job with SIGKILL in the middle of its write (data files on disk, commit not yet
 * made), then checks that nothing partial is visible, that the ledger tells what happened, and that
 * a rerun gives exactly the clean result.
 */
class KilledJobTest {
  @Test
  void aJobKilledMidWriteLeavesTheLakeConsistentAndARerunCompletesIt(@TempDir Path dir)
      throws Exception {
    Path lake = dir.resolve("lake");
    LakeRuntime rt = SampleLake.open(lake, SampleLake.SAMPLE);
    rt.run(JobRegistry.get("provincial_stats_bronze"), LocalDate.of(2025, 7, 1));
    long bronzeRows = rt.spark().table("bronze.provincial_stats_long").count();

    Path silverDir = lake.resolve("silver/provincial_observations");
    long commitsBefore = commits(silverDir);
    Process p =
        new ProcessBuilder(command(lake))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("child.log").toFile())
            .start();
    boolean caughtMidWrite = false;
    long deadline = System.nanoTime() + 240_000_000_000L;
    while (p.isAlive() && System.nanoTime() < deadline) {
      if (dataFiles(silverDir) > 0 && commits(silverDir) == commitsBefore) {
        caughtMidWrite = true;
        break;
      }
      Thread.sleep(5);
    }
    p.destroyForcibly().waitFor();
    assertThat(caughtMidWrite)
        .as(
            "the child was killed after writing data files and before its commit; log:\n"
                + Files.readString(dir.resolve("child.log")))
        .isTrue();

    // Data files are on disk, but no commit names them: readers see the table as before.
    assertThat(dataFiles(silverDir)).isPositive();
    rt.spark().catalog().refreshTable("silver.provincial_observations");
    assertThat(rt.spark().table("silver.provincial_observations").count()).isZero();
    assertThat(
            rt.spark()
                .sql("SELECT status FROM ops.job_runs WHERE job = 'provincial_stats_silver'")
                .collectAsList())
        .extracting(r -> r.getString(0))
        .containsExactly("running");

    rt.run(JobRegistry.get("provincial_stats_silver"), LocalDate.of(2025, 7, 1));
    long silver = rt.spark().table("silver.provincial_observations").count();
    long rejected =
        rt.spark()
            .sql(
                "SELECT count(*) FROM ops.quarantine WHERE target_table = 'silver.provincial_observations'")
            .first()
            .getLong(0);
    assertThat(silver + rejected).isEqualTo(bronzeRows);
    assertThat(rejected).isEqualTo(30);
    assertThat(
            rt.spark()
                .sql(
                    """
        SELECT count(*) FROM (SELECT indicator_code, geo_id, year, vintage FROM silver.provincial_observations
        GROUP BY ALL HAVING count(*) > 1)""")
                .first()
                .getLong(0))
        .isZero();
    List<Row> runs =
        rt.spark()
            .sql(
                "SELECT status FROM ops.job_runs WHERE job = 'provincial_stats_silver' ORDER BY started_at")
            .collectAsList();
    assertThat(runs).extracting(r -> r.getString(0)).containsExactly("abandoned", "succeeded");
  }

  private static List<String> command(Path lake) throws Exception {
    return org.songhong.testing.ChildJvm.command(
        "1g",
        "run",
        "provincial_stats_silver",
        "--lake",
        lake.toString(),
        "--input",
        SampleLake.SAMPLE.toString(),
        "--conf",
        "songhong.spark.master=local[1]");
  }

  private static long commits(Path table) throws Exception {
    try (Stream<Path> s = Files.list(table.resolve("_delta_log"))) {
      return s.filter(f -> f.getFileName().toString().endsWith(".json")).count();
    }
  }

  private static long dataFiles(Path table) throws Exception {
    try (Stream<Path> s = Files.walk(table)) {
      return s.filter(
              f ->
                  !f.toString().contains(File.separator + "_delta_log")
                      && f.getFileName().toString().endsWith(".parquet"))
          .count();
    }
  }
}
