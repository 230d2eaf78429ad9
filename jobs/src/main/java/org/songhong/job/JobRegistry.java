package org.songhong.job;

import java.util.List;
import org.songhong.error.Errors;
import org.songhong.jobs.environment.EnvironmentBronzeJob;
import org.songhong.jobs.environment.EnvironmentMartsJob;
import org.songhong.jobs.environment.EnvironmentSilverJob;
import org.songhong.jobs.logistics.LogisticsEventsBronzeJob;
import org.songhong.jobs.logistics.LogisticsEventsSilverJob;
import org.songhong.jobs.logistics.LogisticsMartsJob;
import org.songhong.jobs.logistics.LogisticsStatsJob;
import org.songhong.jobs.marts.ProvincialMartsJob;
import org.songhong.jobs.provincial.ProvincialStatsBronzeJob;
import org.songhong.jobs.provincial.ProvincialStatsSilverJob;

/** The jobs {@code songhong run} knows, in the order the demo pipeline runs them. */
public final class JobRegistry {
  private static final List<Job> JOBS = List.of(
      new ProvincialStatsBronzeJob(),
      new ProvincialStatsSilverJob(),
      new LogisticsStatsJob(),
      new LogisticsEventsBronzeJob(),
      new LogisticsEventsSilverJob(),
      new LogisticsMartsJob(),
      new EnvironmentBronzeJob(),
      new EnvironmentSilverJob(),
      new EnvironmentMartsJob(),
      new ProvincialMartsJob());

  private JobRegistry() {}

  public static List<Job> all() {
    return JOBS;
  }

  public static Job get(String name) {
    return JOBS.stream().filter(j -> j.name().equals(name)).findFirst()
        .orElseThrow(() -> Errors.unknownJob(name, names()));
  }

  public static List<String> names() {
    return JOBS.stream().map(Job::name).toList();
  }
}
