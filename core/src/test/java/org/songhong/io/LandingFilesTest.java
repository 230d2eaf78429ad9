package org.songhong.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bronze skeleton of the driver-side ingest jobs: each new file once, loaded ones skipped,
 * copies reported.
 */
class LandingFilesTest {
  @Test
  void newFilesSkipsWhatWasLoadedAndReportsACopyWithTheFirstFilesName(@TempDir Path root)
      throws Exception {
    Path dir = Files.createDirectories(root.resolve("stats"));
    Files.writeString(dir.resolve("a.csv"), "x,1\n", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("b.csv"), "x,1\n", StandardCharsets.UTF_8); // a copy of a.csv
    Files.writeString(
        dir.resolve("c.csv"), "y,2\n", StandardCharsets.UTF_8); // loaded by an earlier run
    Files.writeString(dir.resolve("d.csv"), "z,3\n", StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("_provenance.yaml"), "figures: illustrative\n", StandardCharsets.UTF_8);
    LandingFiles landing = new LandingFiles(root.toUri().toString(), new Configuration());
    Set<String> loaded = Set.of(LandingFiles.sha256("y,2\n".getBytes(StandardCharsets.UTF_8)));

    List<String> events = new ArrayList<>();
    for (LandingFiles.Landed f :
        landing.newFiles(
            "stats", loaded, (dup, first) -> events.add(dup.relativePath() + " copies " + first))) {
      events.add("handle " + f.relativePath());
    }
    // In listing order: a copy is reported after the files before it were handled.
    assertThat(events)
        .containsExactly(
            "handle stats/a.csv", "stats/b.csv copies stats/a.csv", "handle stats/d.csv");
  }
}
