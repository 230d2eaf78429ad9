package org.songhong.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.songhong.job.LakeRuntime;

/** One table at one Delta version as a single Parquet file, {@code <out>/<table>.parquet}. */
final class ParquetExport {
  private ParquetExport() {}

  static Path write(LakeRuntime rt, String table, long version, Path out) throws IOException {
    var c = rt.lake().contract(table);
    Path tmp = out.resolve("." + c.table() + ".parquet.tmp");
    deleteTree(tmp);
    rt.spark()
        .read()
        .format("delta")
        .option("versionAsOf", version)
        .load(rt.lake().location(c))
        .selectExpr(c.columnNames().stream().map(n -> "`" + n + "`").toArray(String[]::new))
        .coalesce(1)
        .write()
        .parquet(tmp.toUri().toString());
    Path part;
    try (Stream<Path> files = Files.list(tmp)) {
      List<Path> parts = files.filter(p -> p.getFileName().toString().startsWith("part-")).toList();
      if (parts.size() != 1) {
        throw new IOException("expected one Parquet part in " + tmp + ", found " + parts.size());
      }
      part = parts.get(0);
    }
    Path file =
        Files.move(
            part,
            out.resolve(c.table() + ".parquet"),
            StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
    deleteTree(tmp);
    return file;
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }
}
