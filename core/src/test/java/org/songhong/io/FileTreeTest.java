package org.songhong.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Listing a local folder: the files Hadoop's recursive listing finds, without a process each.
 *
 * <p>The processes are counted by Java Flight Recorder in a JVM of its own: started in the test
 * JVM, the recorder slowed the Spark tests that ran after it in that JVM (EnvironmentPipelineTest
 * 55 s -> 98-109 s in two CI runs).
 */
class FileTreeTest {
  @Test
  void aLocalFolderIsListedWholeWithoutStartingAProcessPerFile(@TempDir Path tmp) throws Exception {
    Path root = Files.createDirectories(tmp.resolve("landing"));
    for (int day = 1; day <= 5; day++) {
      Path d = Files.createDirectories(root.resolve("feed/2025-01-0" + day));
      for (int f = 0; f < 8; f++) {
        Files.writeString(d.resolve("t" + f + ".jsonl"), "{}\n");
      }
    }
    Files.writeString(root.resolve("top.csv"), "a\n");
    Files.writeString(root.resolve("_provenance.yaml"), "x\n");
    Files.createDirectories(root.resolve("empty/deeper"));
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(root.toUri());
    FileSystem fs = dir.getFileSystem(new Configuration());
    // what the ChecksumFileSystem hides from both listings
    fs.create(new org.apache.hadoop.fs.Path(dir, "feed/2025-01-01/checked.jsonl")).close();

    List<String> expected = new ArrayList<>();
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
    while (it.hasNext()) {
      expected.add(it.next().getPath().toString());
    }

    Path listed = tmp.resolve("listed.txt");
    Path started = tmp.resolve("started.txt");
    Process p =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                Probe.class.getName(),
                dir.toString(),
                listed.toString(),
                started.toString())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("probe.log").toFile())
            .start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the probe JVM finished").isTrue();
    assertThat(p.exitValue())
        .as("the probe JVM:\n" + Files.readString(tmp.resolve("probe.log")))
        .isZero();

    assertThat(Files.readAllLines(listed, StandardCharsets.UTF_8))
        .hasSize(43)
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(Files.readAllLines(started, StandardCharsets.UTF_8))
        .as("processes started while listing")
        .isEmpty();
  }

  /**
   * Lists FOLDER with {@link FileTree} under a flight recording of process starts; writes the paths
   * to LISTED and the commands started by the listing thread to STARTED.
   */
  public static final class Probe {
    public static void main(String[] args) throws Exception {
      org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(args[0]);
      FileSystem fs = dir.getFileSystem(new Configuration());
      Path jfr = Files.createTempFile("filetree", ".jfr");
      List<FileStatus> files;
      try (Recording r = new Recording()) {
        r.enable("jdk.ProcessStart");
        r.start();
        files = FileTree.files(fs, dir);
        r.stop();
        r.dump(jfr);
      }
      long self = Thread.currentThread().getId();
      List<String> commands =
          RecordingFile.readAllEvents(jfr).stream()
              .filter(e -> e.getEventType().getName().equals("jdk.ProcessStart"))
              .filter(e -> e.getThread() != null && e.getThread().getJavaThreadId() == self)
              .map(e -> e.getString("command"))
              .toList();
      Files.delete(jfr);
      Files.write(Path.of(args[1]), files.stream().map(s -> s.getPath().toString()).toList());
      Files.write(Path.of(args[2]), commands);
    }
  }
}
