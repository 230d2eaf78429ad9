package org.songhong.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listing a local folder: the files Hadoop's recursive listing finds, without a process each. */
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

    List<FileStatus> listed;
    Path jfr = tmp.resolve("processes.jfr");
    try (Recording r = new Recording()) {
      r.enable("jdk.ProcessStart").withStackTrace();
      r.start();
      listed = FileTree.files(fs, dir);
      r.stop();
      r.dump(jfr);
    }
    long self = Thread.currentThread().getId();
    List<String> started =
        RecordingFile.readAllEvents(jfr).stream()
            .filter(e -> e.getEventType().getName().equals("jdk.ProcessStart"))
            .filter(e -> e.getThread() != null && e.getThread().getJavaThreadId() == self)
            .map(e -> e.getString("command"))
            .toList();

    assertThat(listed.stream().map(s -> s.getPath().toString()))
        .hasSize(43)
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(started).as("processes started while listing").isEmpty();
  }
}
