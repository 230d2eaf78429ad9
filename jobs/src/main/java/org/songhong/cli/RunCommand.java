package org.songhong.cli;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import org.songhong.error.Errors;
import org.songhong.job.Job;
import org.songhong.job.JobRegistry;
import org.songhong.job.LakeRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code songhong run JOB}. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run jobs (see 'songhong jobs') in the order given, in one Spark application; stop at the first failure.")
final class RunCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "JOB", arity = "1..*", description = "The jobs to run, in order.")
  java.util.List<String> jobs;

  @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "The logical date of the run (default: today, UTC).")
  String date;

  @Option(names = "--input", paramLabel = "PATH", description = "Landing folder the ingest jobs read (songhong.input.dir).")
  String input;

  @Mixin
  LakeOptions lake;

  @Override
  public Integer call() {
    java.util.List<Job> js = jobs.stream().map(JobRegistry::get).toList();
    LocalDate d;
    try {
      d = date == null ? LocalDate.now(java.time.ZoneOffset.UTC) : LocalDate.parse(date);
    } catch (DateTimeParseException e) {
      throw Errors.badOption("--date", date, "a date such as 2025-01-31");
    }
    var config = lake.config();
    if (input != null) {
      config = config.with("songhong.input.dir", input);
    }
    LakeRuntime rt = Sessions.open(config, String.join(",", jobs));
    for (Job j : js) {
      String runId = rt.run(j, d);
      spec.commandLine().getOut().println("ok: " + j.name() + " run " + runId);
      spec.commandLine().getOut().flush();
    }
    return 0;
  }
}
