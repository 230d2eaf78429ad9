package org.songhong.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildWatchTest {
  @TempDir Path dir;

  @Test
  void aJarRewrittenOrRemovedIsAChangedBuildAndOneLeftAloneIsNot() throws Exception {
    Path jar = Files.write(dir.resolve("songhong.jar"), new byte[] {1, 2, 3});
    BuildWatch watch = new BuildWatch(jar);
    assertThat(watch.changed()).isFalse();
    Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis()));
    assertThat(watch.changed()).as("the same time and size").isFalse();
    Files.write(jar, new byte[] {1, 2, 3, 4});
    assertThat(watch.changed()).as("rebuilt").isTrue();
    Files.delete(jar);
    assertThat(new BuildWatch(jar).changed()).as("gone at the start and still").isFalse();
    assertThat(watch.changed()).as("gone").isTrue();
  }

  @Test
  void watchesTheJarAClassCameFrom() {
    assertThat(BuildWatch.of(BuildWatch.class).path()).exists();
    assertThat(BuildWatch.of(BuildWatch.class).changed()).isFalse();
  }
}
