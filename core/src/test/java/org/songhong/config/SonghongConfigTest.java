package org.songhong.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.songhong.error.SonghongException;

class SonghongConfigTest {
  @Test
  void defaultsArePinned() {
    Map<String, String> defaults = new LinkedHashMap<>();
    SonghongConfig.ALL.forEach(s -> defaults.put(s.key(), s.defaultValue()));
    assertThat(defaults)
        .containsExactly(
            Map.entry("songhong.lake.path", "lakehouse"),
            Map.entry("songhong.input.dir", "data/sample"),
            Map.entry("songhong.schemas.dir", ""),
            Map.entry("songhong.spark.master", ""),
            Map.entry("songhong.stats.year.min", "1990"),
            Map.entry("songhong.stats.year.max", "2100"),
            Map.entry("songhong.write.retries", "5"),
            Map.entry("songhong.region.subtotal.tolerance.pct", "0.5"),
            Map.entry("songhong.logistics.events.dir", ""),
            Map.entry("songhong.logistics.lookback.days", "7"),
            Map.entry("songhong.logistics.reconciliation.tolerance.pct", "5.0"),
            Map.entry("songhong.environment.lookback.days", "2"),
            Map.entry("songhong.environment.dir", ""),
            Map.entry("songhong.maintenance.vacuum.retention.hours", "168"),
            Map.entry("songhong.maintenance.optimize.min.files", "16"),
            Map.entry("songhong.maintenance.tables", ""),
            Map.entry("songhong.sql.query.timeout.seconds", "300"),
            Map.entry("songhong.sql.max.result.rows", "1000000"),
            Map.entry("songhong.sql.max.queries.per.session", "2"),
            Map.entry("songhong.sql.max.queries", "4"),
            Map.entry("songhong.spark.codegen.min.bytes", "1048576"));
  }

  @Test
  void flagBeatsEnvironmentBeatsDefault() {
    Map<String, String> env =
        Map.of("SONGHONG_LAKE_PATH", "/env/lake", "SONGHONG_STATS_YEAR_MIN", "2000");
    SonghongConfig c = SonghongConfig.of(Map.of("songhong.lake.path", "/flag/lake"), env);
    assertThat(c.get(SonghongConfig.LAKE_PATH)).isEqualTo("/flag/lake");
    assertThat(c.get(SonghongConfig.YEAR_MIN)).isEqualTo(2000);
    assertThat(c.get(SonghongConfig.YEAR_MAX)).isEqualTo(2100);
  }

  @Test
  void unknownKeysAndBadValuesAreRefusedClearly() {
    assertThatThrownBy(() -> SonghongConfig.of(Map.of("songhong.lake.pth", "x"), Map.of()))
        .isInstanceOf(SonghongException.class)
        .hasMessageStartingWith(
            "Unknown setting 'songhong.lake.pth': use a spark.* key for Spark, or one of songhong.lake.path, ");
    SonghongConfig c = SonghongConfig.of(Map.of("songhong.write.retries", "many"), Map.of());
    assertThatThrownBy(() -> c.get(SonghongConfig.WRITE_RETRIES))
        .hasMessage(
            "Invalid value 'many' for songhong.write.retries (How often a write is retried after a "
                + "concurrent-commit conflict): see 'songhong settings'");
  }

  @Test
  void localPathsBecomeUrisAndUrisStay() {
    assertThat(SonghongConfig.absolutise("s3a://bucket/lake")).isEqualTo("s3a://bucket/lake");
    assertThat(SonghongConfig.absolutise("/tmp/x")).isEqualTo("file:///tmp/x");
  }
}
