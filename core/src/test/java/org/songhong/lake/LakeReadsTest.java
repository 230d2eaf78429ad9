package org.songhong.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.songhong.SparkTestSession;
import org.songhong.contract.ContractCatalog;
import org.songhong.contract.SchemaResources;

/**
 * Jobs read a lake's tables from its folders ({@link Lake#read}, {@link Lake#sql}), not through the
 * session's names: two lakes opened in one session (a test, a benchmark, a notebook comparing a
 * copy) each read their own rows, whichever registered its names last.
 */
class LakeReadsTest {
  private static final String VIEW =
      """
      view: gold.scores_high
      description: Scores above one half.
      sql: |
        SELECT * FROM gold.scores WHERE score > 0.5
      """;

  @TempDir Path dir;

  private Lake lake(String name, double score) throws Exception {
    Path schemas = dir.resolve(name).resolve("schemas");
    Files.createDirectories(schemas.resolve("tables/gold"));
    Files.createDirectories(schemas.resolve("views"));
    Files.writeString(schemas.resolve("tables/gold/scores.yaml"), TestLakes.CONTRACT);
    Files.writeString(schemas.resolve("views/scores_high.yaml"), VIEW);
    Lake lake =
        new Lake(
                SparkTestSession.get(),
                dir.resolve(name).resolve("lake").toUri().toString(),
                ContractCatalog.load(SchemaResources.open(schemas.toString())))
            .open();
    new TableWriter(lake, 2)
        .append(
            "gold.scores",
            lake.spark()
                .createDataFrame(
                    List.of(RowFactory.create("VN-31", 2024, score, null)),
                    lake.contract("gold.scores").writeSchema()));
    return lake;
  }

  @Test
  void aLakeReadsItsOwnTablesAfterAnotherLakeTookTheSessionsNames() throws Exception {
    Lake first = lake("first", 0.75);
    Lake second = lake("second", 0.25);
    // The session's names now point at the second lake: a read by name would give the first lake
    // 0.25.
    assertThat(first.spark().table("gold.scores").first().getDouble(2)).isEqualTo(0.25);

    assertThat(first.read("gold.scores").first().getDouble(2)).isEqualTo(0.75);
    assertThat(first.sql("SELECT score FROM gold.scores").first().getDouble(0)).isEqualTo(0.75);
    assertThat(first.sql("SELECT count(*) FROM gold.scores_high").first().getLong(0))
        .as("a view, resolved in this lake")
        .isEqualTo(1);
    assertThat(second.sql("SELECT count(*) FROM gold.scores_high").first().getLong(0)).isEqualTo(0);
  }

  /** The SQL endpoint refuses SQL on paths: the lake says so, and reading by frame still works. */
  @Test
  void aSessionThatRefusesSqlOnPathsIsToldToReadByFrame() throws Exception {
    Lake lake = lake("refusing", 0.5);
    lake.spark().conf().set("spark.sql.runSQLOnFiles", "false");
    try {
      assertThatThrownBy(() -> lake.sql("SELECT score FROM gold.scores"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("runSQLOnFiles=false")
          .hasMessageContaining("Lake.read");
      assertThat(lake.read("gold.scores").first().getDouble(2)).isEqualTo(0.5);
    } finally {
      lake.spark().conf().unset("spark.sql.runSQLOnFiles");
    }
  }

  @Test
  void anIdIsReplacedWhereItStandsAsANameOnly() throws Exception {
    Lake lake = lake("only", 0.5);
    String folder = "delta.`" + lake.location(lake.contract("gold.scores")) + "`";
    assertThat(
            lake.resolve(
                "SELECT 'gold.scores' AS t, s.score FROM gold.scores s JOIN gold.scores_other o ON true"))
        .isEqualTo(
            "SELECT 'gold.scores' AS t, s.score FROM "
                + folder
                + " s JOIN gold.scores_other o ON true");
    assertThat(lake.resolve("SELECT * FROM GOLD.SCORES_HIGH"))
        .isEqualTo("SELECT * FROM (SELECT * FROM " + folder + " WHERE score > 0.5)");
    assertThat(lake.resolve("SELECT * FROM " + folder))
        .as("a folder already resolved")
        .isEqualTo("SELECT * FROM " + folder);
  }
}
