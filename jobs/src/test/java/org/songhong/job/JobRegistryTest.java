package org.songhong.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.songhong.contract.PipelineSpec;

/**
 * The job order is schemas/pipeline.yaml's; the registry only maps names to code and refuses a
 * mismatch.
 */
class JobRegistryTest {
  @Test
  void theOrderIsTheDeclaredOne() {
    PipelineSpec spec = JobRegistry.spec();
    assertThat(JobRegistry.names()).containsExactlyElementsOf(spec.names());
    assertThat(JobRegistry.pipeline())
        .extracting(Job::name)
        .containsExactlyElementsOf(spec.names(PipelineSpec.PIPELINE))
        .startsWith("provincial_stats_bronze")
        .endsWith("provincial_marts")
        .doesNotContain("lake_maintenance");
  }

  @Test
  void aDeclaredJobWithoutCodeIsRefusedNamingIt() {
    assertThatThrownBy(
            () -> JobRegistry.ordered(List.of("provincial_stats_bronze", "port_forecast")))
        .hasMessageContaining("schemas/pipeline.yaml and the job classes disagree")
        .hasMessageContaining("declared without code [port_forecast]");
  }
}
