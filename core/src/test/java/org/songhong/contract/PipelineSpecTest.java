package org.songhong.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.songhong.error.SonghongException;

/**
 * schemas/pipeline.yaml, the one place the job order is written: what it names exists and the order
 * follows the data.
 */
class PipelineSpecTest {
  private static final SchemaResources SCHEMAS =
      SchemaResources.open(Path.of("..", "schemas").toString());

  @Test
  void everyTableItNamesIsAContract() {
    PipelineSpec spec = PipelineSpec.load(SCHEMAS);
    Set<String> contracts =
        ContractCatalog.load(SCHEMAS).all().stream()
            .map(TableContract::name)
            .collect(Collectors.toSet());
    List<String> unknown = new ArrayList<>();
    for (PipelineSpec.JobSpec j : spec.jobs()) {
      for (String t : concat(j.reads(), j.writes())) {
        if (!contracts.contains(t)) {
          unknown.add(j.name() + ": " + t);
        }
      }
    }
    assertThat(unknown).as("tables without a contract in schemas/tables").isEmpty();
  }

  @Test
  void noPipelineJobReadsATableOnlyALaterJobWrites() {
    assertThat(PipelineSpec.load(SCHEMAS).readsBeforeWrites()).isEmpty();
  }

  @Test
  void everyGoldTableHasAWriter() {
    PipelineSpec spec = PipelineSpec.load(SCHEMAS);
    Set<String> written =
        spec.jobs().stream().flatMap(j -> j.writes().stream()).collect(Collectors.toSet());
    Set<String> gold =
        ContractCatalog.load(SCHEMAS).all().stream()
            .map(TableContract::name)
            .filter(t -> t.startsWith("gold."))
            .collect(Collectors.toCollection(TreeSet::new));
    gold.removeAll(written);
    assertThat(gold).as("gold tables no job declares it writes").isEmpty();
  }

  @Test
  void theOrderCheckNamesAReadThatComesBeforeItsWrite() {
    PipelineSpec swapped =
        new PipelineSpec(
            List.of(
                new PipelineSpec.JobSpec(
                    "marts",
                    "pipeline",
                    "d",
                    "x",
                    List.of("silver.a"),
                    List.of("gold.b"),
                    List.of()),
                new PipelineSpec.JobSpec(
                    "silver", "pipeline", "d", "x", List.of(), List.of("silver.a"), List.of())));
    assertThat(swapped.readsBeforeWrites())
        .containsExactly("marts reads silver.a, which silver writes later");
  }

  @Test
  void eachDagRunsItsJobsInTheFileOrder() {
    PipelineSpec spec = PipelineSpec.load(SCHEMAS);
    assertThat(spec.dags().get("songhong_logistics"))
        .containsExactly(
            "logistics_stats",
            "logistics_events_bronze",
            "logistics_events_silver",
            "logistics_marts");
    assertThat(spec.names(PipelineSpec.OPERATIONS))
        .containsExactly("quality_summary", "lake_maintenance");
  }

  @Test
  void aJobListedTwiceOrAnAssetItDoesNotWriteIsRefusedNamingTheFile(@TempDir Path dir)
      throws Exception {
    Files.writeString(
        dir.resolve("pipeline.yaml"),
        """
        jobs:
          - {name: a, stage: pipeline, dag: d, doc: x, writes: [silver.a]}
          - {name: a, stage: pipeline, dag: d, doc: x, writes: [silver.b]}
        """);
    assertThatThrownBy(() -> PipelineSpec.load(SchemaResources.open(dir.toString())))
        .isInstanceOf(SonghongException.class)
        .hasMessageContaining("schemas/pipeline.yaml")
        .hasMessageContaining("job a is listed twice");
    Files.writeString(
        dir.resolve("pipeline.yaml"),
        """
        jobs:
          - {name: a, stage: pipeline, dag: d, doc: x, writes: [silver.a], emits: [gold.b]}
        """);
    assertThatThrownBy(() -> PipelineSpec.load(SchemaResources.open(dir.toString())))
        .isInstanceOf(SonghongException.class)
        .hasMessageContaining("emits gold.b but does not list it among its writes");
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
