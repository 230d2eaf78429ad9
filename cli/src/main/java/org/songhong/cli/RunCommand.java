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
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "Run jobs (see 'songhong jobs') in the order given, in one Spark application; stop at the first failure.")
final class RunCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "JOB", arity = "1..*", description = "The jobs to run, in order.")
  java.util.List<String> jobs;

  @Option(
      names = "--date",
      paramLabel = "YYYY-MM-DD",
      description = "The logical date of the run (default: today, UTC).")
  String date;

  @Option(
      names = "--input",
      paramLabel = "PATH",
      description = "Landing folder the ingest jobs read (songhong.input.dir).")
  String input;

  @Option(names = "--force", description = "Run every job even when it finds nothing new to do.")
  boolean force;

  @Option(
      names = "--profile",
      description =
          "After each run, print its steps, slowest first, with seconds and rows written.")
  boolean profile;

  @Mixin LakeOptions lake;

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
    var out = spec.commandLine().getOut();
    // Until a job has work, decide without Spark (Delta Kernel reads the ledger and the tables): a
    // day with nothing new costs no Spark application at all.
    org.songhong.job.OfflinePreflight offline =
        force ? null : new org.songhong.job.OfflinePreflight(config);
    LakeRuntime rt = null;
    for (Job j : js) {
      java.util.Optional<String> work =
          force
              ? java.util.Optional.of("--force")
              : rt == null ? offline.work(j, d) : rt.work(j, d);
      if (work.isEmpty()) {
        out.println(
            "up to date: "
                + j.name()
                + " (nothing new since its last successful run; --force runs it anyway)");
        out.flush();
        continue;
      }
      if (rt == null) {
        rt = Sessions.open(config, String.join(",", jobs));
      }
      org.songhong.ops.CpuClock started = org.songhong.ops.CpuClock.now();
      long wallStarted = System.nanoTime();
      String runId = rt.run(j, d);
      out.println("ok: " + j.name() + " run " + runId);
      if (profile) {
        RunsCommand.printSteps(out, rt.ledger().history(), runId);
        out.println(
            cpuLine(
                org.songhong.ops.CpuClock.now(), started, (System.nanoTime() - wallStarted) / 1e9));
      }
      out.flush();
    }
    return 0;
  }

  /**
   * The CPU seconds the process used during a run (all its threads: tasks, the compiler, the
   * collector), how long the JIT compiler's threads ran and the collectors paused (where the JVM
   * reports them; the compiler's is elapsed time, an upper bound of its CPU seconds, followed by
   * its threads' CPU seconds where Linux tells them), and the share of the host's CPU the
   * hypervisor took meanwhile: to compare two runs of a job on a virtual machine, whose wall-clock
   * seconds move with the host's hour.
   */
  static String cpuLine(
      org.songhong.ops.CpuClock end, org.songhong.ops.CpuClock start, double wall) {
    double cpu = end.cpuSecondsSince(start);
    double stolen = end.stealShareSince(start);
    double compile = end.compileSecondsSince(start);
    double compilerCpu = end.compilerCpuSecondsSince(start);
    double gc = end.gcPauseSecondsSince(start);
    return String.format(
        java.util.Locale.ROOT,
        "CPU: %.1f s of this process's threads in %.1f s (%.2f cores)%s%s",
        cpu,
        wall,
        cpu / wall,
        Double.isNaN(compile) || Double.isNaN(gc)
            ? ""
            : String.format(
                java.util.Locale.ROOT,
                "; the JIT compiler's threads ran %.1f s%s, the collector paused %.1f s",
                compile,
                Double.isNaN(compilerCpu)
                    ? ""
                    : String.format(java.util.Locale.ROOT, " (%.1f s of CPU)", compilerCpu),
                gc),
        Double.isNaN(stolen)
            ? ""
            : String.format(
                java.util.Locale.ROOT, "; host CPU stolen meanwhile: %.0f%%", 100 * stolen));
  }
}
