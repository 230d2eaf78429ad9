package org.songhong.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a warm runner leaves to the launcher (which then runs the command in a JVM of its own): a
 * command whose Spark settings its running context does not have, or that reads standard input.
 */
class RunnerRefusalTest {
  /** The running context's settings: local mode, two shuffle partitions. */
  private static final Map<String, String> RUNNING =
      Map.of("spark.master", "local[*]", "spark.sql.shuffle.partitions", "2");

  private static String refusal(Map<String, String> env, String... args) {
    return Main.runnerRefusal(args, env, RUNNING::get);
  }

  @Test
  void songhongSettingsAndTheRunnersOwnSparkSettingsRunThere() {
    assertThat(refusal(Map.of(), "run", "logistics_marts", "--date", "2025-07-01")).isNull();
    assertThat(
            refusal(
                Map.of("SONGHONG_LAKE_PATH", "/lake"),
                "run",
                "logistics_marts",
                "--conf",
                "songhong.logistics.events.dir=/in",
                "--conf",
                "spark.sql.shuffle.partitions=2",
                "--conf",
                "songhong.spark.master=local[*]"))
        .isNull();
    assertThat(refusal(Map.of(), "sql", "SELECT 1")).isNull();
  }

  @Test
  void anotherMasterOrSparkSettingOrStandardInputIsLeftToTheLauncher() {
    assertThat(refusal(Map.of(), "run", "logistics_marts", "--conf", "songhong.spark.master=yarn"))
        .contains("Spark master yarn")
        .contains("local[*]");
    assertThat(refusal(Map.of("SONGHONG_SPARK_MASTER", "spark://h:7077"), "tables"))
        .contains("spark://h:7077");
    assertThat(refusal(Map.of(), "run", "x", "--conf", "spark.sql.shuffle.partitions=200"))
        .contains("spark.sql.shuffle.partitions");
    assertThat(refusal(Map.of(), "sql", "--conf", "spark.executor.memory=4g", "SELECT 1"))
        .contains("spark.executor.memory");
    assertThat(refusal(Map.of(), "sql")).contains("standard input");
  }
}
