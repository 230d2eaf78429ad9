package org.songhong.job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.songhong.contract.PipelineSpec;
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

/**
 * The jobs {@code songhong run} knows. Their order, stage and DAG come from {@code
 * schemas/pipeline.yaml} ({@link PipelineSpec}); this class only maps a name to its code, and fails
 * at start, naming the difference, if the two disagree.
 */
public final class JobRegistry {
  /** The code of each job (the order is pipeline.yaml's, not this list's). */
  private static final List<Job> KNOWN =
      List.of(
          new ProvincialStatsBronzeJob(),
          new ProvincialStatsSilverJob(),
          new LogisticsStatsJob(),
          new LogisticsEventsBronzeJob(),
          new LogisticsEventsSilverJob(),
          new LogisticsMartsJob(),
          new EnvironmentBronzeJob(),
          new EnvironmentSilverJob(),
          new EnvironmentMartsJob(),
          new ProvincialMartsJob(),
          new QualitySummaryJob(),
          new LakeMaintenanceJob());

  private static final PipelineSpec SPEC = PipelineSpec.bundled();

  /** The data pipeline's jobs in order (what the demo runs). */
  private static final List<Job> JOBS = ordered(SPEC.names(PipelineSpec.PIPELINE));

  /**
   * Every job in the declared order: the pipeline's, then the operations jobs (the maintenance DAG
   * runs them).
   */
  private static final List<Job> ALL = ordered(SPEC.names());

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
    return ALL.stream()
        .filter(j -> j.name().equals(name))
        .findFirst()
        .orElseThrow(() -> Errors.unknownJob(name, names()));
  }

  public static List<String> names() {
    return ALL.stream().map(Job::name).toList();
  }

  /** The declarations the order comes from. */
  public static PipelineSpec spec() {
    return SPEC;
  }

  /**
   * The jobs named, in that order; a job the code lacks or one missing from the list is an error.
   */
  static List<Job> ordered(List<String> names) {
    Map<String, Job> byName = new LinkedHashMap<>();
    KNOWN.forEach(j -> byName.put(j.name(), j));
    List<String> unknown = names.stream().filter(n -> !byName.containsKey(n)).toList();
    List<String> undeclared =
        byName.keySet().stream().filter(n -> !SPEC.names().contains(n)).toList();
    if (!unknown.isEmpty() || !undeclared.isEmpty()) {
      throw new IllegalStateException(
          "schemas/"
              + PipelineSpec.FILE
              + " and the job classes disagree: "
              + (unknown.isEmpty() ? "" : "declared without code " + unknown + " ")
              + (undeclared.isEmpty() ? "" : "code not declared " + undeclared)
              + " (declare each job of JobRegistry in the file, in run order)");
    }
    return names.stream().map(byName::get).toList();
  }
}
