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
import org.songhong.jobs.maintenance.LakeMaintenanceJob;
import org.songhong.jobs.maintenance.QualitySummaryJob;
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
  /** Operations jobs: not part of the data pipeline (the demo does not run them; the maintenance DAG does). */
  private static final List<Job> OPERATIONS = List.of(new QualitySummaryJob(), new LakeMaintenanceJob());
  private static final List<Job> ALL = java.util.stream.Stream.concat(JOBS.stream(), OPERATIONS.stream()).toList();

  private JobRegistry() {}

  /** Every job, the pipeline's first. */
  public static List<Job> all() {
    return ALL;
  }

  /** The data pipeline's jobs in order (what the demo runs). */
  public static List<Job> pipeline() {
    return JOBS;
  }

  public static Job get(String name) {
    return ALL.stream().filter(j -> j.name().equals(name)).findFirst()
        .orElseThrow(() -> Errors.unknownJob(name, names()));
  }

  public static List<String> names() {
    return ALL.stream().map(Job::name).toList();
  }
}
