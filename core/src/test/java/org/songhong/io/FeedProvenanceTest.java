package org.songhong.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedProvenanceTest {
  @Test
  void aFeedFolderSaysWhatItsDataIsAndAFolderWithoutTheFileSaysNothing(@TempDir Path dir)
      throws Exception {
    FeedProvenance.write(
        dir.resolve("events"), "illustrative", "generated, seed 2025 (\"do not quote\")");
    assertThat(FeedProvenance.read(dir.resolve("events").toUri().toString(), new Configuration()))
        .contains(new FeedProvenance("illustrative", "generated, seed 2025 ('do not quote')"));
    assertThat(FeedProvenance.read(dir.resolve("reports").toString(), new Configuration()))
        .isEmpty();
  }

  @Test
  void aFileThatSaysNeitherPublishedNorIllustrativeIsRefusedNamingIt(@TempDir Path dir)
      throws Exception {
    Files.writeString(
        dir.resolve(FeedProvenance.FILE), "figures: real\nsource: a port authority\n");
    assertThatThrownBy(() -> FeedProvenance.read(dir.toString(), new Configuration()))
        .hasMessageContaining(FeedProvenance.FILE)
        .hasMessageContaining("figures must be published or illustrative, got real");
    Files.writeString(dir.resolve(FeedProvenance.FILE), "source: a port authority\n");
    assertThatThrownBy(() -> FeedProvenance.read(dir.toString(), new Configuration()))
        .hasMessageContaining(FeedProvenance.FILE)
        .hasMessageContaining("figures");
  }
}
