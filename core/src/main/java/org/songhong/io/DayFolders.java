package org.songhong.io;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.SerializableConfiguration;
import org.songhong.error.Errors;

/**
 * Landing folders split by day ({@code ROOT/YYYY-MM-DD/} or {@code ROOT/date=YYYY-MM-DD/}): a daily
 * run lists only the days of its window, never the whole history, through Hadoop's FileSystem
 * (local, HDFS or S3). Files still being written (hidden, {@code _}, {@code .tmp}, {@code .part})
 * are left for the next run.
 */
public final class DayFolders {
  private DayFolders() {}

  /** The days a run for {@code date} covers: the lookback window ending on it, oldest first. */
  public static List<LocalDate> window(LocalDate date, int lookbackDays) {
    List<LocalDate> days = new ArrayList<>();
    for (int i = lookbackDays; i >= 0; i--) {
      days.add(date.minusDays(i));
    }
    return days;
  }

  /**
   * Files in the day folders of {@code root} for {@code days}, sorted; empty if root does not
   * exist.
   */
  public static List<String> list(String root, List<LocalDate> days, Configuration hadoop) {
    List<String> out = new ArrayList<>();
    try {
      FileSystem fs = new Path(root).getFileSystem(hadoop);
      if (!fs.exists(new Path(root))) {
        return out;
      }
      for (LocalDate d : days) {
        for (String folder : List.of(d.toString(), "date=" + d)) {
          Path dir = new Path(root + "/" + folder);
          if (!fs.exists(dir)) {
            continue;
          }
          for (FileStatus s : fs.listStatus(dir)) {
            String n = s.getPath().getName();
            if (s.isFile()
                && !n.startsWith(".")
                && !n.startsWith("_")
                && !n.endsWith(".tmp")
                && !n.endsWith(".part")) {
              out.add(s.getPath().toString());
            }
          }
        }
      }
    } catch (IOException e) {
      throw Errors.unreadableFile(root, e.getMessage(), e);
    }
    out.sort(String::compareTo);
    return out;
  }

  /** What a task does with one file's bytes. */
  @FunctionalInterface
  public interface FileReader<T> extends java.io.Serializable {
    Iterator<T> read(String path, byte[] bytes) throws IOException;
  }

  /**
   * Reads each file whole in a task and hands its bytes to {@code reader}, the files spread over
   * twice the cluster's cores. Spark's binaryFiles packs small files into splits of up to 128 MiB,
   * so a window of compressed feeds (a few MiB) was read, decompressed and parsed by one task while
   * the other cores waited; its streams cannot be spread afterwards without serialising a Hadoop
   * configuration per file.
   */
  public static <T> JavaRDD<T> read(
      SparkContext sc, Configuration hadoop, List<String> files, FileReader<T> reader) {
    var conf = SerializableConfiguration.broadcast(sc, hadoop);
    int slices = Math.max(1, Math.min(files.size(), 2 * sc.defaultParallelism()));
    return JavaSparkContext.fromSparkContext(sc)
        .parallelize(files, slices)
        .flatMap(
            f -> {
              Path p = new Path(f);
              byte[] bytes;
              try (var in = p.getFileSystem(conf.value().value()).open(p)) {
                bytes = in.readAllBytes();
              }
              return reader.read(f, bytes);
            });
  }

  /** A SQL list of date literals: DATE'2025-12-01', DATE'2025-12-02'. */
  public static String sqlList(java.util.Collection<LocalDate> days) {
    return days.stream().map(d -> "DATE'" + d + "'").collect(Collectors.joining(", "));
  }
}
