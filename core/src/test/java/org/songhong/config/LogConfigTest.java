package org.songhong.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationFactory;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log configuration the tool ships ({@code log4j2.xml}, not the tests' own), loaded into a
 * logger context of its own that writes into a temporary folder.
 */
class LogConfigTest {
  private static final String SNAPSHOTS = "io.delta.kernel.internal.snapshot.SnapshotManager";

  @Test
  void kernelsNoCheckpointYetWarningIsDroppedAndItsOtherWarningsKept(@TempDir Path dir)
      throws Exception {
    String previous = System.getProperty("songhong.log.dir");
    System.setProperty("songhong.log.dir", dir.toString());
    LoggerContext context = new LoggerContext("songhong-shipped-config");
    try {
      ConfigurationSource source =
          ConfigurationSource.fromUri(getClass().getResource("/log4j2.xml").toURI());
      Configuration config = ConfigurationFactory.getInstance().getConfiguration(context, source);
      context.start(config);
      Logger kernel = context.getLogger(SNAPSHOTS);
      kernel.warn("Cannot find a complete checkpoint. Listing from version 0.");
      kernel.warn(
          "{}: Checkpoint at version {} appears to have been deleted. Falling back to search for"
              + " an earlier valid checkpoint.",
          "file:/lake/silver/t",
          20);
      context.getLogger("org.apache.spark.SomeClass").warn("a warning of Spark's");
    } finally {
      context.stop();
      if (previous == null) {
        System.clearProperty("songhong.log.dir");
      } else {
        System.setProperty("songhong.log.dir", previous);
      }
    }
    String log = Files.readString(dir.resolve("songhong.jsonl"));
    assertThat(log)
        .doesNotContain("Cannot find a complete checkpoint")
        .contains("Checkpoint at version 20 appears to have been deleted")
        .contains("a warning of Spark's");
  }
}
