package org.songhong.cli;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import org.songhong.config.SonghongConfig;
import org.songhong.contract.Tables;
import org.songhong.job.Job;
import org.songhong.job.JobRegistry;
import org.songhong.job.LakeRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code songhong demo}: the whole pipeline on the bundled sample, then the attainment table. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Run every job on the bundled sample data into the lake (default ./lakehouse) and print the attainment table.")
final class DemoCommand implements Callable<Integer> {
  static final String SCORECARD_QUERY =
      """
      SELECT target_id, as_of_year AS year, status, round(value, 2) AS value, target,
             round(cagr_needed_from_now_pct, 1) AS needed_pct_yr, explanation_en
      FROM gold.scorecard
      ORDER BY target_id
      """;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--input",
      paramLabel = "PATH",
      description = "Landing folder (default: the bundled sample, data/sample).")
  String input;

  @Mixin LakeOptions lake;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    SonghongConfig config = lake.config();
    if (input != null) {
      config = config.with(SonghongConfig.INPUT_DIR.key(), input);
    }
    long t0 = System.nanoTime();
    SampleEvents events = SampleEvents.prepare(config, out);
    config = events.config();
    LakeRuntime rt = Sessions.open(config, "demo");
    out.printf("Lake: %s%nInput: %s%n", rt.lake().root(), config.inputDir());
    int i = 0;
    for (Job job : JobRegistry.pipeline()) {
      i++;
      long s = System.nanoTime();
      out.printf("[%d/%d] %-26s ", i, JobRegistry.pipeline().size(), job.name());
      out.flush();
      LocalDate day = events.dayFor(job.name(), LocalDate.now(ZoneOffset.UTC));
      if (rt.work(job, day).isEmpty()) {
        out.printf("up to date (nothing new), %.1f s%n", (System.nanoTime() - s) / 1e9);
        continue;
      }
      rt.run(job, day);
      out.printf("done in %.1f s%n", (System.nanoTime() - s) / 1e9);
    }
    out.println();
    var scorecard = rt.spark().sql(SCORECARD_QUERY);
    out.println("Hai Phong's 2030 targets (Resolution 30-NQ/TW), latest release: gold.scorecard");
    ResultPrinter.print(
        out, scorecard.schema(), scorecard.collectAsList(), ResultPrinter.Format.table);
    long quarantined = rt.spark().table(Tables.OPS_QUARANTINE).count();
    out.printf(
        "%nQuarantined records: %d (songhong sql \"SELECT rule, reason FROM ops.quarantine\")%n",
        quarantined);
    out.printf(
        "Done in %.1f s. Explore with: songhong sql \"SELECT * FROM gold.target_attainment_latest\"%n",
        (System.nanoTime() - t0) / 1e9);
    return 0;
  }
}
