package org.songhong.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.songhong.SparkTestSession;

class DayFoldersTest {
  @Test
  void theWindowsFilesAreListedWithoutPartialOnesAndReadWholeSpreadOverTheCores(@TempDir Path dir)
      throws IOException {
    LocalDate last = LocalDate.of(2025, 12, 6);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      LocalDate d = last.minusDays(i);
      Path day =
          Files.createDirectories(
              dir.resolve("feed").resolve(i % 2 == 0 ? d.toString() : "date=" + d));
      Files.writeString(day.resolve("moves.jsonl"), "day " + d + "\n", StandardCharsets.UTF_8);
      Files.writeString(
          day.resolve("moves.jsonl.tmp"), "still being written", StandardCharsets.UTF_8);
      Files.writeString(day.resolve("_SUCCESS"), "", StandardCharsets.UTF_8);
      if (i < 6) {
        expected.add(d + "=day " + d + "\n");
      }
    }
    List<String> files =
        DayFolders.list(
            dir.resolve("feed").toUri().toString(),
            DayFolders.window(last, 5),
            new Configuration());
    assertThat(files).hasSize(6).allSatisfy(f -> assertThat(f).endsWith("/moves.jsonl"));

    SparkContext sc = SparkTestSession.get().sparkContext();
    var read =
        DayFolders.read(
            sc,
            new Configuration(),
            files,
            (path, bytes) -> {
              String folder =
                  new org.apache.hadoop.fs.Path(path).getParent().getName().replace("date=", "");
              return List.of(folder + "=" + new String(bytes, StandardCharsets.UTF_8)).iterator();
            });
    // Six small files that Spark's binaryFiles would put in one split: one task per file here, up
    // to twice the cores.
    assertThat(read.getNumPartitions())
        .isEqualTo(Math.min(6, 2 * sc.defaultParallelism()))
        .isGreaterThan(1);
    assertThat(read.collect()).containsExactlyInAnyOrderElementsOf(expected);
  }
}
