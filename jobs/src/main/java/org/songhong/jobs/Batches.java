package org.songhong.jobs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.songhong.io.LandingFiles;

/**
 * Files of one batch with the same content. Bronze tables are keyed by the file's checksum and the
 * record's place in it, so a file sent twice under two names is landed once, from the first name in
 * path order; each other copy is quarantined whole, with the name of the one that was loaded.
 */
public final class Batches {
  /** The quarantine record columns of a whole-file rejection. */
  public static final StructType RECORD =
      new StructType()
          .add("source_file", DataTypes.StringType, false)
          .add("source_checksum", DataTypes.StringType, false)
          .add("source_sheet", DataTypes.StringType, false)
          .add("source_line", DataTypes.IntegerType, false)
          .add("source_column", DataTypes.IntegerType, false)
          .add("raw_record", DataTypes.StringType, true)
          .add("rule", DataTypes.StringType, false)
          .add("reason", DataTypes.StringType, false);

  private Batches() {}

  /**
   * The copies among {@code perFile} (rows of file, checksum, ...): each copy's file mapped to the
   * file whose content is loaded.
   */
  public static Map<String, String> copies(List<Row> perFile) {
    Map<String, List<String>> byChecksum = new HashMap<>();
    for (Row r : perFile) {
      byChecksum.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(r.getString(0));
    }
    Map<String, String> copies = new LinkedHashMap<>();
    for (List<String> files : byChecksum.values()) {
      files.sort(String::compareTo);
      for (String f : files.subList(1, files.size())) {
        copies.put(f, files.get(0));
      }
    }
    return copies;
  }

  /** One quarantine record per copy (columns {@link #RECORD}). */
  public static Dataset<Row> copyRecords(
      SparkSession spark, List<Row> perFile, Map<String, String> copies) {
    List<Row> rows = new ArrayList<>();
    for (Row r : perFile) {
      String first = copies.get(r.getString(0));
      if (first != null) {
        rows.add(
            RowFactory.create(
                r.getString(0),
                r.getString(1),
                "",
                0,
                0,
                null,
                LandingFiles.DUPLICATE_RULE,
                LandingFiles.duplicateReason(r.getString(0), first)));
      }
    }
    return spark.createDataFrame(rows, RECORD);
  }
}
