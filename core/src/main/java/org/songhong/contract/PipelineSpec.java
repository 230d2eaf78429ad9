package org.songhong.contract;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.songhong.error.Errors;

/**
 * {@code schemas/pipeline.yaml}: the one place that says which jobs exist, in which order they run,
 * which Airflow DAG runs each, the tables each reads and writes, and the Assets a DAG emits after a
 * job. {@code songhong run} and the demo take their order from it (the job registry fails at start
 * if a job is missing from it or it names a job that does not exist), the DAGs build their task
 * chains and schedules from it, and the tests' job lists come from it. What a job declares is
 * checked against what its runs record in the ledger (the demo lake's test, {@code DemoMartsIT}).
 */
public record PipelineSpec(@JsonProperty(value = "jobs", required = true) List<JobSpec> jobs) {
  public static final String FILE = "pipeline.yaml";

  /** The data pipeline (the demo runs it in order); operations jobs run on their own schedule. */
  public static final String PIPELINE = "pipeline";

  public static final String OPERATIONS = "operations";

  /**
   * One job: its name, stage, DAG, the task's one-line description, the tables it reads and writes.
   */
  public record JobSpec(
      @JsonProperty(value = "name", required = true) String name,
      @JsonProperty(value = "stage", required = true) String stage,
      @JsonProperty(value = "dag", required = true) String dag,
      @JsonProperty(value = "doc", required = true) String doc,
      @JsonProperty("reads") List<String> reads,
      @JsonProperty(value = "writes", required = true) List<String> writes,
      @JsonProperty("emits") List<String> emits) {
    public JobSpec {
      reads = reads == null ? List.of() : List.copyOf(reads);
      writes = List.copyOf(writes);
      emits = emits == null ? List.of() : List.copyOf(emits);
    }
  }

  public PipelineSpec {
    jobs = List.copyOf(jobs);
  }

  /**
   * The file in {@code schemas}, checked: unique names, known stages, Assets among the job's
   * writes.
   */
  public static PipelineSpec load(SchemaResources schemas) {
    String shown = schemas.describe(schemas.resolve(FILE));
    PipelineSpec spec = Yaml.read(schemas.resolve(FILE), shown, PipelineSpec.class);
    Set<String> names = new HashSet<>();
    for (JobSpec j : spec.jobs()) {
      if (!names.add(j.name())) {
        throw Errors.badReference(
            shown, "job " + j.name() + " is listed twice (list each job once, in run order)");
      }
      if (!j.stage().equals(PIPELINE) && !j.stage().equals(OPERATIONS)) {
        throw Errors.badReference(
            shown,
            "job " + j.name() + " has stage '" + j.stage() + "' (use pipeline or operations)");
      }
      for (String e : j.emits()) {
        if (!j.writes().contains(e)) {
          throw Errors.badReference(
              shown, "job " + j.name() + " emits " + e + " but does not list it among its writes");
        }
      }
    }
    return spec;
  }

  /** The bundled copy (the jar's {@code schemas/}): what the code's job order comes from. */
  public static PipelineSpec bundled() {
    return load(SchemaResources.open(null));
  }

  /** Job names in run order. */
  public List<String> names() {
    return jobs.stream().map(JobSpec::name).toList();
  }

  /** Job names of one stage, in run order. */
  public List<String> names(String stage) {
    return jobs.stream().filter(j -> j.stage().equals(stage)).map(JobSpec::name).toList();
  }

  public JobSpec job(String name) {
    return jobs.stream()
        .filter(j -> j.name().equals(name))
        .findFirst()
        .orElseThrow(() -> Errors.unknownJob(name, names()));
  }

  /** Each DAG's jobs in run order, the DAGs in the order their first job appears. */
  public Map<String, List<String>> dags() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (JobSpec j : jobs) {
      out.computeIfAbsent(j.dag(), d -> new ArrayList<>()).add(j.name());
    }
    return out;
  }

  /**
   * Reads that come too early: "job reads table, which job runs later" for every table a pipeline
   * job reads that only a later pipeline job writes. Empty when the order follows the data.
   */
  public List<String> readsBeforeWrites() {
    List<String> out = new ArrayList<>();
    List<JobSpec> pipeline = jobs.stream().filter(j -> j.stage().equals(PIPELINE)).toList();
    Set<String> written = new LinkedHashSet<>();
    for (int i = 0; i < pipeline.size(); i++) {
      JobSpec j = pipeline.get(i);
      written.addAll(j.writes());
      for (String t : j.reads()) {
        if (written.contains(t)) {
          continue;
        }
        pipeline.stream()
            .skip(i + 1)
            .filter(later -> later.writes().contains(t))
            .findFirst()
            .ifPresent(
                later ->
                    out.add(
                        j.name() + " reads " + t + ", which " + later.name() + " writes later"));
      }
    }
    return out;
  }
}
