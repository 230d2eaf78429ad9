package org.songhong.cli;

import java.util.concurrent.Callable;
import org.songhong.job.Job;
import org.songhong.job.JobRegistry;
import picocli.CommandLine.Command;

/** {@code songhong jobs}. */
@Command(
    name = "jobs",
    mixinStandardHelpOptions = true,
    description = "List the jobs, in pipeline order.")
final class JobsCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    int w = JobRegistry.names().stream().mapToInt(String::length).max().orElse(0);
    for (Job j : JobRegistry.all()) {
      spec.commandLine().getOut().printf("%-" + w + "s  %s%n", j.name(), j.description());
    }
    return 0;
  }
}
