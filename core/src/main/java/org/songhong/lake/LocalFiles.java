package org.songhong.lake;

import java.util.function.BiConsumer;
import org.songhong.lake.fs.NioLocalFileSystem;
import org.songhong.lake.fs.NioLocalFs;

/**
 * The Hadoop settings that make {@code file:} paths use {@link org.songhong.lake.fs} (a user's own
 * setting wins).
 */
public final class LocalFiles {
  private LocalFiles() {}

  /** Calls {@code setIfMissing} with each setting as Spark spells it ({@code spark.hadoop.*}). */
  public static void configure(BiConsumer<String, String> setIfMissing) {
    setIfMissing.accept("spark.hadoop.fs.file.impl", NioLocalFileSystem.class.getName());
    setIfMissing.accept("spark.hadoop.fs.AbstractFileSystem.file.impl", NioLocalFs.class.getName());
  }

  /**
   * The same on a Hadoop configuration used without Spark (set before the user's settings, which
   * then win).
   */
  public static void configure(org.apache.hadoop.conf.Configuration hadoop) {
    configure((k, v) -> hadoop.set(k.substring("spark.hadoop.".length()), v));
  }
}
