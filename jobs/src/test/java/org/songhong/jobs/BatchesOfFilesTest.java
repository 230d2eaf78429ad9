package org.songhong.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.songhong.SparkTestSession;

/**
 * The rows of a batch's pending files are picked by a function of the checksum, not by an IN list
 * Spark would push into the Parquet reader (converted and checked again for every Parquet file:
 * 10.4 s of task CPU against 1.5 s for the 364 files of a year of vessel calls), and not by a
 * semi-join probing a hash table with every row's checksum.
 */
class BatchesOfFilesTest {
  @Test
  void rowsOfTheListedFilesOnlyWithNoListPushedIntoTheReader(@TempDir Path dir) {
    SparkSession spark = SparkTestSession.get();
    List<String> all = IntStream.range(0, 40).mapToObj(i -> "checksum-" + i).toList();
    String table = dir.resolve("bronze").toString();
    spark
        .createDataset(all, org.apache.spark.sql.Encoders.STRING())
        .toDF("source_checksum")
        .selectExpr("source_checksum", "explode(sequence(1, 3)) AS source_line")
        // Files interleaved within each Parquet file, so that a listed file's rows follow an
        // unlisted one's and the other way round: the function remembers only the last answer.
        .repartition(4)
        .sortWithinPartitions("source_line", "source_checksum")
        .write()
        .parquet(table);
    // More than Spark's threshold for pushing an IN list as OR-ed equalities (10): the case that
    // reached the reader as an In predicate.
    List<String> pending = new ArrayList<>(all.subList(5, 30));
    pending.add(all.get(5)); // a checksum listed twice picks its rows once
    Dataset<Row> rows = Batches.ofFiles(spark.read().parquet(table), pending);

    assertThat(
            rows.selectExpr("source_checksum")
                .distinct()
                .as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList())
        .containsExactlyInAnyOrderElementsOf(all.subList(5, 30));
    assertThat(rows.count()).isEqualTo(25 * 3);
    String plan = rows.queryExecution().executedPlan().toString();
    assertThat(plan).doesNotContainPattern("PushedFilters: \\[[^\\]]*In\\(source_checksum");
    assertThat(plan).doesNotContain("Join");
  }
}
