package org.songhong.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.songhong.error.SonghongException;
import scala.jdk.javaapi.CollectionConverters;

class TableWriterTest {
  @TempDir Path dir;

  private Lake lake;
  private TableWriter writer;

  @BeforeEach
  void setUp() throws Exception {
    lake = TestLakes.open(dir);
    writer = new TableWriter(lake, 2);
  }

  private Dataset<Row> rows(Object[]... rows) {
    List<Row> list =
        java.util.Arrays.stream(rows)
            .map(
                r ->
                    RowFactory.create(
                        r[0],
                        r[1],
                        r[2],
                        r.length > 3 ? CollectionConverters.asScala((Map<?, ?>) r[3]) : null))
            .toList();
    return lake.spark().createDataFrame(list, lake.contract("gold.scores").writeSchema());
  }

  private List<String> table() {
    return lake
        .spark()
        .sql("SELECT geo_id, year, score FROM gold.scores ORDER BY geo_id, year")
        .collectAsList()
        .stream()
        .map(Row::toString)
        .toList();
  }

  @Test
  void theRowCountFromTheLogsStatisticsFollowsAppendsDeletesAndDeletionVectors() {
    writer.append(
        "gold.scores", rows(new Object[] {"VN-31", 2023, 0.1}, new Object[] {"VN-31", 2024, 0.2}));
    writer.append("gold.scores", rows(new Object[] {"VN-01", 2024, 0.3}));
    assertThat(lake.kernel().rowCount(lake.kernel().latest("gold.scores").orElseThrow()))
        .contains(3L);
    lake.spark().sql("DELETE FROM gold.scores WHERE year = 2023");
    assertThat(lake.kernel().rowCount(lake.kernel().latest("gold.scores").orElseThrow()))
        .contains(2L);
    // A deletion vector hides rows a file's numRecords still counts: no answer rather than a wrong
    // one.
    lake.spark()
        .sql("ALTER TABLE gold.scores SET TBLPROPERTIES ('delta.enableDeletionVectors' = 'true')");
    writer.append(
        "gold.scores",
        rows(new Object[] {"VN-02", 2024, 0.4}, new Object[] {"VN-03", 2024, 0.5}).coalesce(1));
    lake.spark().sql("DELETE FROM gold.scores WHERE geo_id = 'VN-02'");
    assertThat(lake.spark().table("gold.scores").count()).isEqualTo(3);
    assertThat(
            lake.spark()
                .sql("DESCRIBE HISTORY gold.scores LIMIT 1")
                .selectExpr("operationMetrics['numDeletionVectorsAdded']")
                .first()
                .getString(0))
        .as("the DELETE marked the row in a deletion vector")
        .isEqualTo("1");
    assertThat(lake.kernel().rowCount(lake.kernel().latest("gold.scores").orElseThrow())).isEmpty();
  }

  @Test
  void theContractsChecksAreDeltaConstraintsSoEvenAWriteAroundTheWriterIsRefused() {
    assertThatThrownBy(
            () -> lake.spark().sql("INSERT INTO gold.scores VALUES ('VN-31', 2024, 1.5, NULL)"))
        .hasMessageContaining("score_is_share");
    lake.spark().sql("INSERT INTO gold.scores VALUES ('VN-31', 2024, 0.5, NULL)");
    assertThat(table()).containsExactly("[VN-31,2024,0.5]");
  }

  @Test
  void twoWritersOnOneTableAtOnceBothLandTheLaterRetryingOnTheConflict() throws Exception {
    TableWriter patient = new TableWriter(lake, 10);
    long retriesBefore = patient.conflictRetries();
    java.util.List<String> expected = new java.util.ArrayList<>();
    // Two MERGEs into one unpartitioned table started together conflict (each read what the other
    // changes);
    // rounds repeat until the race has happened at least once.
    for (int round = 0; round < 8 && patient.conflictRetries() == retriesBefore; round++) {
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(2);
      java.util.List<java.util.concurrent.Future<WriteResult>> done = new java.util.ArrayList<>();
      for (String geo : java.util.List.of("VN-A", "VN-B")) {
        int year = 2000 + round;
        Dataset<Row> frame = rows(new Object[] {geo, year, 0.25});
        expected.add("[" + geo + "," + year + ",0.25]");
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  return patient.upsert("gold.scores", frame, List.of());
                }));
      }
      for (var f : done) {
        assertThat(f.get().committed()).isTrue();
      }
      pool.shutdown();
    }
    assertThat(patient.conflictRetries())
        .as("a conflict happened and was retried")
        .isGreaterThan(retriesBefore);
    assertThat(table()).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void upsertInsertsChangesAndSkipsAnUnchangedFrame() {
    long created = lake.version(lake.contract("gold.scores"));
    WriteResult first =
        writer.upsert(
            "gold.scores",
            rows(
                new Object[] {"VN-31", 2024, 0.5, Map.of("a", "b")},
                new Object[] {"VN-01", 2024, 0.7}),
            List.of());
    assertThat(first.committed()).isTrue();
    assertThat(first.rowsWritten()).isEqualTo(2);
    assertThat(first.version()).isEqualTo(created + 1);

    WriteResult again =
        writer.upsert(
            "gold.scores",
            rows(
                new Object[] {"VN-31", 2024, 0.5, Map.of("a", "b")},
                new Object[] {"VN-01", 2024, 0.7}),
            List.of());
    assertThat(again.committed()).isFalse();
    assertThat(again.version()).isEqualTo(created + 1);

    WriteResult changed =
        writer.upsert(
            "gold.scores", rows(new Object[] {"VN-31", 2024, 0.6, Map.of("a", "b")}), List.of());
    assertThat(changed.rowsWritten()).isEqualTo(1);
    assertThat(table()).containsExactly("[VN-01,2024,0.7]", "[VN-31,2024,0.6]");
  }

  @Test
  void insertNewWritesOnlyKeysNotStoredWhereTheFilterLooksAndARerunCommitsNothing() {
    var sc = lake.spark().sparkContext();
    sc.setJobDescription("a step of a job");
    WriteResult first =
        writer.insertNew(
            "gold.scores",
            rows(new Object[] {"VN-31", 2024, 0.5}, new Object[] {"VN-01", 2024, 0.7}),
            "year = 2024");
    assertThat(first.rowsWritten()).isEqualTo(2);
    assertThat(sc.getLocalProperty("spark.job.description"))
        .as("the step's label is back after the write")
        .isEqualTo("a step of a job");
    // A slice with rows: the stored key is left alone (its new value ignored), the new key written.
    WriteResult second =
        writer.insertNew(
            "gold.scores",
            rows(new Object[] {"VN-31", 2024, 0.9}, new Object[] {"VN-02", 2024, 0.1}),
            "year = 2024");
    assertThat(second.rowsWritten()).isEqualTo(1);
    // An empty slice: every row is new.
    WriteResult third =
        writer.insertNew(
            "gold.scores",
            rows(new Object[] {"VN-31", 2025, 0.3}, new Object[] {"VN-01", 2025, 0.4}),
            "year = 2025");
    assertThat(third.rowsWritten()).isEqualTo(2);
    assertThat(third.version()).isEqualTo(first.version() + 2);
    WriteResult rerun =
        writer.insertNew(
            "gold.scores",
            rows(new Object[] {"VN-31", 2025, 0.3}, new Object[] {"VN-01", 2025, 0.4}),
            "year = 2025");
    assertThat(rerun.committed()).isFalse();
    assertThat(rerun.version()).isEqualTo(third.version());
    assertThat(table())
        .containsExactly(
            "[VN-01,2024,0.7]",
            "[VN-01,2025,0.4]",
            "[VN-02,2024,0.1]",
            "[VN-31,2024,0.5]",
            "[VN-31,2025,0.3]");
    sc.setJobDescription(null);
  }

  @Test
  void replaceCommitsOnlyWhenTheContentChanges() {
    writer.replace("gold.scores", rows(new Object[] {"VN-31", 2024, 0.5}));
    long v = lake.version(lake.contract("gold.scores"));
    assertThat(writer.replace("gold.scores", rows(new Object[] {"VN-31", 2024, 0.5})).committed())
        .isFalse();
    assertThat(writer.replace("gold.scores", rows(new Object[] {"VN-31", 2024, 0.4})).version())
        .isEqualTo(v + 1);
    assertThat(table()).containsExactly("[VN-31,2024,0.4]");
    // Counts that differ (read from the log, no comparison of rows) replace too; so does nothing
    // over something, and nothing over nothing commits nothing.
    assertThat(
            writer
                .replace(
                    "gold.scores",
                    rows(new Object[] {"VN-31", 2024, 0.4}, new Object[] {"VN-01", 2024, 0.1}))
                .version())
        .isEqualTo(v + 2);
    assertThat(writer.replace("gold.scores", rows()).version()).isEqualTo(v + 3);
    assertThat(table()).isEmpty();
    assertThat(writer.replace("gold.scores", rows()).committed()).isFalse();
    assertThat(writer.replaceWhere("gold.scores", rows(), "year = 2024").committed()).isFalse();
  }

  @Test
  void aWriteThatBreaksACheckIsRefusedAndNothingIsWritten() {
    assertThatThrownBy(
            () ->
                writer.append(
                    "gold.scores",
                    rows(new Object[] {"VN-31", 2024, 0.5}, new Object[] {"VN-01", 2024, 1.5})))
        .isInstanceOf(SonghongException.class)
        .hasMessage(
            "Refused write to gold.scores: 1 row(s) break check score_is_share (score BETWEEN 0 AND 1) on column "
                + "score, e.g. {geo_id=VN-01, year=2024, score=1.5, tags=null} (nothing was written; fix the job or the "
                + "contract in schemas/)");
    assertThat(table()).isEmpty();
  }

  @Test
  void nullsInNotNullColumnsAndDuplicateKeysAreRefused() {
    assertThatThrownBy(() -> writer.append("gold.scores", rows(new Object[] {null, 2024, 0.5})))
        .hasMessageStartingWith(
            "Refused write to gold.scores: 1 row(s) break NOT NULL on column geo_id, e.g. {geo_id=null");
    assertThatThrownBy(
            () ->
                writer.append(
                    "gold.scores",
                    rows(new Object[] {"VN-31", 2024, 0.5}, new Object[] {"VN-31", 2024, 0.6})))
        .hasMessageStartingWith(
            "Refused write to gold.scores: 1 row(s) break primary key uniqueness on column geo_id, year");
    assertThat(table()).isEmpty();
  }

  @Test
  void aFrameWithTheWrongColumnsIsRefused() {
    Dataset<Row> wrong =
        rows(new Object[] {"VN-31", 2024, 0.5}).withColumnRenamed("score", "points");
    assertThatThrownBy(() -> writer.append("gold.scores", wrong))
        .hasMessage(
            "Refused write to gold.scores: missing column(s) score (nothing was written; the frame must match "
                + "the contract in schemas/)");
    Dataset<Row> typed =
        rows(new Object[] {"VN-31", 2024, 0.5})
            .withColumn("year", org.apache.spark.sql.functions.col("year").cast("string"));
    assertThatThrownBy(() -> writer.append("gold.scores", typed))
        .hasMessageStartingWith(
            "Refused write to gold.scores: column year is STRING, the contract says INT");
  }

  @Test
  void theTableIsCreatedWithItsConstraints() {
    List<Row> props = lake.spark().sql("SHOW TBLPROPERTIES gold.scores").collectAsList();
    assertThat(props.stream().map(r -> r.getString(0) + "=" + r.getString(1)))
        .contains(
            "delta.constraints.score_is_share=score BETWEEN 0 AND 1",
            "songhong.primary_key=geo_id,year");
    // Delta itself refuses a row that breaks the CHECK, even past our writer.
    assertThatThrownBy(
            () ->
                lake.spark()
                    .sql("INSERT INTO gold.scores VALUES ('VN-31', 2024, 2.0, null)")
                    .collect())
        .hasMessageContaining("score_is_share");
  }
}
