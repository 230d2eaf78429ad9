package org.songhong.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.songhong.config.SonghongConfig;
import org.songhong.job.Job;
import org.songhong.job.JobRegistry;
import org.songhong.job.OfflinePreflight;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * The launcher's class-data-sharing training run (hidden): loads the classes both start-up paths
 * use, so that the archive has them: a job run and a query (a Spark session, the lake registered,
 * Delta writes and reads), and jobs deciding whether they have anything to do (Delta Kernel).
 */
@Command(name = "train-startup-archive", hidden = true)
final class TrainCommand implements Callable<Integer> {
  @Parameters(paramLabel = "DIR", description = "An empty scratch folder")
  Path dir;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(dir.resolve("input"));
    SonghongConfig config = SonghongConfig.of(java.util.Map.of(
        SonghongConfig.LAKE_PATH.key(), dir.resolve("lake").toString(),
        SonghongConfig.INPUT_DIR.key(), dir.resolve("input").toString()));
    var rt = Sessions.open(config, "train");
    rt.run(JobRegistry.get("provincial_stats_bronze"), LocalDate.of(2025, 1, 1)); // a run: the ledger has rows to read
    rt.spark().sql("SELECT count(*) FROM ops.job_runs").collectAsList();
    OfflinePreflight preflight = new OfflinePreflight(config);
    for (Job j : JobRegistry.pipeline()) {
      preflight.work(j, LocalDate.of(2025, 1, 1));
    }
    spec.commandLine().getOut().println("trained");
    return 0;
  }
}
